package org.meshhub.core.decoder;

/**
 * Dispatches a framed payload to the reader for its type. Every reader returns a {@link Payload}; layouts too short
 * for their type come back as {@link Malformed}.
 */
final class PayloadReader {

    /** dest hash + src hash + MAC (2) + at least one ciphertext byte (firmware: payload longer than 4). */
    static final int PEER_MIN = 5;
    /** dest hash + sender key (32) + MAC (2) + at least one ciphertext byte (firmware: longer than 35). */
    static final int ANON_MIN = 36;
    static final int ACK_MIN = 4;
    /** Firmware: a multipart payload is longer than 2 bytes. */
    static final int MULTIPART_MIN = 3;

    private final GroupReader groups;

    PayloadReader(ChannelKeys keys) {
        this.groups = new GroupReader(keys);
    }

    Payload read(PayloadType type, byte[] p, byte[] path) {
        switch (type) {
            case ADVERT:
                return AdvertReader.read(p);
            case GRP_TXT:
                return groups.readText(p);
            case GRP_DATA:
                return groups.readData(p);
            case REQ:
            case RESPONSE:
            case TXT_MSG:
            case PATH:
                return peer(type, p);
            case ANON_REQ:
                return anonRequest(p);
            case ACK:
                return ack(p, 0, "ack");
            case TRACE:
                return TraceReader.read(p, path);
            case MULTIPART:
                return multipart(p);
            case CONTROL:
                return ControlReader.read(p);
            default:
                return new Opaque(Hex.lower(p));
        }
    }

    private static Payload peer(PayloadType type, byte[] p) {
        if (p.length < PEER_MIN) {
            return tooShort(type.code(), p.length, PEER_MIN);
        }
        return new PeerMessage(Hex.lower(p, 0, 1), Hex.lower(p, 1, 2), Hex.lower(p, 2, 4), p.length - 4);
    }

    private static Payload anonRequest(byte[] p) {
        if (p.length < ANON_MIN) {
            return tooShort("anon_req", p.length, ANON_MIN);
        }
        return new AnonRequest(Hex.lower(p, 0, 1), Hex.lower(p, 1, 33), Hex.lower(p, 33, 35), p.length - 35);
    }

    private static Payload ack(byte[] p, int from, String what) {
        if (p.length - from < ACK_MIN) {
            return tooShort(what, p.length, from + ACK_MIN);
        }
        return new Ack(Hex.lower(p, from, from + ACK_MIN), Hex.lower(p, from + ACK_MIN, p.length));
    }

    private static Payload multipart(byte[] p) {
        if (p.length < MULTIPART_MIN) {
            return tooShort("multipart", p.length, MULTIPART_MIN);
        }
        int remaining = (p[0] & 0xF0) >> 4;
        int innerType = p[0] & 0x0F;
        Ack ack = null;
        if (innerType == PayloadType.ACK.value()) {
            Payload inner = ack(p, 1, "multipart ack");
            if (inner instanceof Malformed malformed) {
                return malformed;
            }
            ack = (Ack) inner;
        }
        return new Multipart(remaining, innerType, Hex.lower(p, 1, p.length), ack);
    }

    private static Malformed tooShort(String what, int length, int min) {
        return new Malformed(RejectReason.TRUNCATED_PAYLOAD,
                what + " payload is " + length + " bytes; needs at least " + min);
    }
}
