package org.meshhub.core.decoder;

import java.util.List;

/**
 * TRACE (type 9), always sent direct: tag uint32 LE, auth code uint32 LE, flags (low 2 bits n: route entries are
 * {@code 1 << n} bytes), then the route to visit. The packet's path bytes are not hashes for a trace: each hop
 * appends the SNR it heard, as signed int8 SNR x 4, which {@code snrs} holds in dB.
 *
 * @param routeHashes route entries as lower-case hex
 * @param snrs SNR in dB per hop already traversed
 */
public record Trace(long tag, long authCode, int flags, List<String> routeHashes, List<Double> snrs)
        implements Payload {

    public Trace {
        Checks.u32(tag, "tag");
        Checks.u32(authCode, "authCode");
        Checks.u8(flags, "flags");
        routeHashes = List.copyOf(routeHashes);
        snrs = List.copyOf(snrs);
        int size = 1 << (flags & 0x03);
        for (String hash : routeHashes) {
            Checks.hex(hash, size, "routeHashes entry");
        }
    }

    /** Bytes per route entry: 1, 2, 4 or 8. */
    public int routeHashSize() {
        return 1 << (flags & 0x03);
    }
}
