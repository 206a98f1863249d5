package org.meshhub.core.decoder;

import java.util.ArrayList;
import java.util.List;

/** Reads a TRACE payload; the SNRs come from the packet path, one signed int8 SNR x 4 per byte. */
final class TraceReader {

    /** tag (4) + auth code (4) + flags (1). */
    static final int MIN_LENGTH = 9;

    private TraceReader() {}

    static Payload read(byte[] p, byte[] path) {
        if (p.length < MIN_LENGTH) {
            return new Malformed(RejectReason.TRUNCATED_PAYLOAD,
                    "trace payload is " + p.length + " bytes; needs at least " + MIN_LENGTH);
        }
        int flags = Bytes.u8(p, 8);
        int size = 1 << (flags & 0x03);
        int routeBytes = p.length - MIN_LENGTH;
        if (routeBytes % size != 0) {
            return new Malformed(RejectReason.TRUNCATED_PAYLOAD,
                    "trace route has " + routeBytes + " bytes, not a whole number of " + size + "-byte entries");
        }
        List<String> route = new ArrayList<>(routeBytes / size);
        for (int at = MIN_LENGTH; at < p.length; at += size) {
            route.add(Hex.lower(p, at, at + size));
        }
        return new Trace(Bytes.u32(p, 0), Bytes.u32(p, 4), flags, route, snrs(path));
    }

    /** Signed int8 quarter-dB values to dB. */
    static List<Double> snrs(byte[] path) {
        List<Double> snrs = new ArrayList<>(path.length);
        for (byte b : path) {
            snrs.add(b / 4.0);
        }
        return snrs;
    }
}
