package org.meshhub.core.decoder;

/**
 * CONTROL (type 11): unencrypted control traffic. Byte 0: upper nibble = sub-type, lower nibble = sub-type specific.
 * Sub-types 0x80-0xF0 are only acted on as zero-hop direct packets. Two are laid out here, in {@code discovery}:
 * DISCOVER_REQ (0x80) and DISCOVER_RESP (0x90); for any other sub-type {@code discovery} is null.
 *
 * @param subtype byte 0 with the low nibble cleared (0x00, 0x10, ... 0xF0)
 * @param lowBits byte 0's low nibble
 * @param data the bytes after byte 0, lower-case hex
 */
public record Control(int subtype, int lowBits, String data, Discovery discovery) implements Payload {

    public static final int DISCOVER_REQ = 0x80;
    public static final int DISCOVER_RESP = 0x90;

    public Control {
        if ((subtype & ~0xF0) != 0) {
            throw new IllegalArgumentException("subtype is the upper nibble: " + subtype);
        }
        Checks.range(lowBits, 0, 15, "lowBits");
        Checks.hex(data, "data");
        if (discovery instanceof DiscoverRequest && subtype != DISCOVER_REQ
                || discovery instanceof DiscoverResponse && subtype != DISCOVER_RESP) {
            throw new IllegalArgumentException("discovery body does not match subtype " + subtype);
        }
    }

    /** The laid-out body of a discovery sub-type. */
    public sealed interface Discovery permits DiscoverRequest, DiscoverResponse {}

    /**
     * DISCOVER_REQ: byte 0 = 0x80 | prefix_only, type filter (bit {@code 1 << node type}), tag uint32 LE, optional
     * "since" uint32 LE.
     *
     * @param since null when the request carries none
     */
    public record DiscoverRequest(boolean prefixOnly, int typeFilter, long tag, Long since) implements Discovery {
        public DiscoverRequest {
            Checks.u8(typeFilter, "typeFilter");
            Checks.u32(tag, "tag");
            if (since != null) {
                Checks.u32(since, "since");
            }
        }
    }

    /**
     * DISCOVER_RESP: byte 0 = 0x90 | node type, int8 SNR x 4 at which the request was heard, the echoed tag uint32
     * LE, then the responder's public key: an 8-byte prefix or all 32 bytes. Bytes beyond 32 are ignored.
     *
     * @param snr dB
     * @param publicKey lower-case hex of the key or key prefix (8 to 32 bytes)
     */
    public record DiscoverResponse(int nodeType, double snr, long tag, String publicKey) implements Discovery {
        public DiscoverResponse {
            Checks.range(nodeType, 0, 15, "nodeType");
            Checks.u32(tag, "tag");
            Checks.hex(publicKey, "publicKey");
            Checks.range(publicKey.length() / 2, 8, 32, "publicKey bytes");
        }

        /** Node type label as for adverts ("repeater", ...). */
        public String advType() {
            return Advert.advTypeName(nodeType);
        }

        /** True when only a key prefix was sent. */
        public boolean prefixOnly() {
            return publicKey.length() < 64;
        }
    }
}
