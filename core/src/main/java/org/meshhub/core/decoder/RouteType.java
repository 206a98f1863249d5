package org.meshhub.core.decoder;

/**
 * Route type, bits 0-1 of the header byte. Flood packets (0, 1) collect a path hop by hop; direct packets (2, 3)
 * carry the hops still to go. Only the two transport variants (0, 3) carry the 4 bytes of region transport codes.
 */
public enum RouteType {
    TRANSPORT_FLOOD(0, "transport_flood"),
    FLOOD(1, "flood"),
    DIRECT(2, "direct"),
    TRANSPORT_DIRECT(3, "transport_direct");

    private static final RouteType[] BY_VALUE = values();

    private final int value;
    private final String code;

    RouteType(int value, String code) {
        this.value = value;
        this.code = code;
    }

    /** The 2-bit wire value. */
    public int value() {
        return value;
    }

    /** Stable snake_case label, e.g. {@code "transport_flood"}. */
    public String code() {
        return code;
    }

    public boolean hasTransportCodes() {
        return this == TRANSPORT_FLOOD || this == TRANSPORT_DIRECT;
    }

    public boolean isFlood() {
        return this == TRANSPORT_FLOOD || this == FLOOD;
    }

    public boolean isDirect() {
        return !isFlood();
    }

    /** The route type for a 2-bit wire value (only the low 2 bits are used). */
    public static RouteType fromValue(int value) {
        return BY_VALUE[value & 0x03];
    }
}
