package org.meshhub.core.decoder;

/** Argument checks shared by the value records' compact constructors. */
final class Checks {

    private Checks() {}

    /** Requires lower-case hex of any even length. */
    static void hex(String value, String field) {
        if (value == null || (value.length() & 1) != 0) {
            throw new IllegalArgumentException(field + " must be lower-case hex");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException(field + " must be lower-case hex");
            }
        }
    }

    /** Requires lower-case hex of exactly {@code bytes} bytes. */
    static void hex(String value, int bytes, String field) {
        hex(value, field);
        if (value.length() != 2 * bytes) {
            throw new IllegalArgumentException(field + " must be " + bytes + " bytes of hex");
        }
    }

    static void nullOrHex(String value, String field) {
        if (value != null) {
            hex(value, field);
        }
    }

    static void range(long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " out of range [" + min + ", " + max + "]: " + value);
        }
    }

    static void u32(long value, String field) {
        range(value, 0, 0xFFFF_FFFFL, field);
    }

    static void u8(int value, String field) {
        range(value, 0, 0xFF, field);
    }
}
