package org.meshhub.core.decoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes raw MeshCore packets (as uploaded in the LetsMesh {@code raw} field) into {@link Packet}s. Immutable and
 * thread-safe; it never throws: every failure is a {@link DecodeResult.Rejected} value.
 *
 * <p>Framing follows the firmware's acceptance rules, and a packet the firmware would drop is rejected:
 * <ol>
 *   <li>no input: {@code empty}; hex text that is not hex: {@code bad_hex}; under 2 bytes: {@code too_short};
 *   <li>header version bits not 0: {@code unsupported_version};
 *   <li>transport route types without 4 bytes of codes: {@code truncated_transport_codes}; no path_len byte after
 *       them: {@code too_short};
 *   <li>path_len size code 3: {@code reserved_path_mode}; count x size over 64: {@code path_too_long}; path past the
 *       end: {@code truncated_path};
 *   <li>payload over 184 bytes: {@code payload_too_large}.
 * </ol>
 *
 * <p>Payload rule: once the framing is valid the packet is {@link DecodeResult.Decoded}, and a payload too short or
 * inconsistent for its type becomes a {@link Malformed} payload (the packet still has a hash and counts as heard).
 * The exception is ADVERT: an advert under 100 bytes, whose app_data ends before its flags say, or whose public key
 * is not an Ed25519 point is rejected as a whole ({@code truncated_payload} or {@code invalid_public_key}), as the
 * firmware drops it and it carries no identity worth recording. An advert with a valid key but a bad signature is
 * decoded with {@code signatureValid = false}. Group messages that no key opens are decoded, never dropped.
 */
public final class PacketDecoder {

    private final ChannelKeys keys;
    private final PayloadReader payloads;

    public PacketDecoder(ChannelKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.payloads = new PayloadReader(keys);
    }

    /** The keys this decoder tries on group messages. */
    public ChannelKeys keys() {
        return keys;
    }

    /** Decodes hex text of either case; surrounding white space is ignored. */
    public DecodeResult decodeHex(String hex) {
        if (hex == null || hex.isBlank()) {
            return new DecodeResult.Rejected(RejectReason.EMPTY, "no input");
        }
        byte[] raw;
        try {
            raw = Hex.decode(hex.strip());
        } catch (IllegalArgumentException e) {
            return new DecodeResult.Rejected(RejectReason.BAD_HEX, e.getMessage());
        }
        return decode(raw);
    }

    /** Decodes raw packet bytes. The array is not modified or kept. */
    public DecodeResult decode(byte[] raw) {
        try {
            return decodeFramed(raw);
        } catch (RuntimeException e) {
            // A decoder bug must not take ingest down; the fuzz tests assert this branch is never taken.
            return new DecodeResult.Rejected(RejectReason.INTERNAL_ERROR, e.toString());
        }
    }

    private DecodeResult decodeFramed(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return reject(RejectReason.EMPTY, "no bytes");
        }
        if (raw.length < 2) {
            return reject(RejectReason.TOO_SHORT, "1 byte; a packet has at least a header and a path_len byte");
        }
        int header = raw[0] & 0xFF;
        int version = header >> 6;
        if (version != 0) {
            return reject(RejectReason.UNSUPPORTED_VERSION, "payload version " + version);
        }
        RouteType route = RouteType.fromValue(header);
        int at = 1;
        TransportCodes transport = null;
        if (route.hasTransportCodes()) {
            if (raw.length < at + 4) {
                return reject(RejectReason.TRUNCATED_TRANSPORT_CODES,
                        route.code() + " needs 4 bytes of transport codes, " + (raw.length - at) + " present");
            }
            transport = new TransportCodes(Bytes.u16(raw, at), Bytes.u16(raw, at + 2));
            at += 4;
        }
        if (raw.length <= at) {
            return reject(RejectReason.TOO_SHORT, "no path_len byte after the transport codes");
        }
        int pathLength = raw[at++] & 0xFF;
        int sizeCode = pathLength >> 6;
        if (sizeCode == 3) {
            return reject(RejectReason.RESERVED_PATH_MODE, "path_len 0x" + Integer.toHexString(pathLength)
                    + " uses reserved hash size code 3");
        }
        int size = sizeCode + 1;
        int hops = pathLength & 0x3F;
        int pathBytes = hops * size;
        if (pathBytes > Packet.MAX_PATH_BYTES) {
            return reject(RejectReason.PATH_TOO_LONG, hops + " hops x " + size + " bytes = " + pathBytes
                    + " path bytes; at most " + Packet.MAX_PATH_BYTES);
        }
        if (raw.length < at + pathBytes) {
            return reject(RejectReason.TRUNCATED_PATH,
                    "path needs " + pathBytes + " bytes, " + (raw.length - at) + " present");
        }
        byte[] path = Arrays.copyOfRange(raw, at, at + pathBytes);
        at += pathBytes;
        int payloadLength = raw.length - at;
        if (payloadLength > Packet.MAX_PAYLOAD) {
            return reject(RejectReason.PAYLOAD_TOO_LARGE,
                    payloadLength + " payload bytes; at most " + Packet.MAX_PAYLOAD);
        }
        byte[] payloadBytes = Arrays.copyOfRange(raw, at, raw.length);

        PayloadType type = PayloadType.fromValue(header >> 2);
        Payload payload = payloads.read(type, payloadBytes, path);
        if (type == PayloadType.ADVERT && payload instanceof Malformed malformed) {
            return reject(malformed.reason(), malformed.detail());
        }
        return new DecodeResult.Decoded(new Packet(header, transport, pathLength, hops(path, size),
                Hex.lower(payloadBytes), payload));
    }

    private static List<String> hops(byte[] path, int size) {
        List<String> hops = new ArrayList<>(path.length / size);
        for (int i = 0; i < path.length; i += size) {
            hops.add(Hex.lower(path, i, i + size));
        }
        return hops;
    }

    private static DecodeResult reject(RejectReason reason, String detail) {
        return new DecodeResult.Rejected(reason, detail);
    }
}
