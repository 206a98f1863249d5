package org.meshhub.core.decoder;

/**
 * The 4 bytes after the header of TRANSPORT_FLOOD and TRANSPORT_DIRECT packets: two uint16 LE values.
 * {@code code0} is the region ("scope") code, the first two bytes of HMAC-SHA256(region key, payload type ||
 * payload); {@code code1} is reserved and written as 0 by current firmware.
 */
public record TransportCodes(int code0, int code1) {

    public TransportCodes {
        if (code0 < 0 || code0 > 0xFFFF || code1 < 0 || code1 > 0xFFFF) {
            throw new IllegalArgumentException("transport codes are uint16: " + code0 + ", " + code1);
        }
    }
}
