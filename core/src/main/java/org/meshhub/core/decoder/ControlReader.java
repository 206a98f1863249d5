package org.meshhub.core.decoder;

/** Reads a CONTROL payload, laying out DISCOVER_REQ and DISCOVER_RESP. */
final class ControlReader {

    /** 0x80 | flags, type filter, tag (4). */
    static final int DISCOVER_REQ_MIN = 6;
    /** 0x90 | type, SNR, tag (4), key prefix (8). */
    static final int DISCOVER_RESP_MIN = 14;

    private ControlReader() {}

    static Payload read(byte[] p) {
        if (p.length < 1) {
            return new Malformed(RejectReason.TRUNCATED_PAYLOAD, "control payload is empty");
        }
        int subtype = p[0] & 0xF0;
        int lowBits = p[0] & 0x0F;
        String data = Hex.lower(p, 1, p.length);
        Control.Discovery discovery = null;
        if (subtype == Control.DISCOVER_REQ) {
            if (p.length < DISCOVER_REQ_MIN) {
                return tooShort("discover request", p.length, DISCOVER_REQ_MIN);
            }
            Long since = p.length >= DISCOVER_REQ_MIN + 4 ? Bytes.u32(p, DISCOVER_REQ_MIN) : null;
            discovery = new Control.DiscoverRequest((lowBits & 0x01) != 0, Bytes.u8(p, 1), Bytes.u32(p, 2), since);
        } else if (subtype == Control.DISCOVER_RESP) {
            if (p.length < DISCOVER_RESP_MIN) {
                return tooShort("discover response", p.length, DISCOVER_RESP_MIN);
            }
            int keyEnd = Math.min(p.length, 6 + 32);
            discovery = new Control.DiscoverResponse(lowBits, p[1] / 4.0, Bytes.u32(p, 2), Hex.lower(p, 6, keyEnd));
        }
        return new Control(subtype, lowBits, data, discovery);
    }

    private static Malformed tooShort(String what, int length, int min) {
        return new Malformed(RejectReason.TRUNCATED_PAYLOAD,
                what + " payload is " + length + " bytes; needs at least " + min);
    }
}
