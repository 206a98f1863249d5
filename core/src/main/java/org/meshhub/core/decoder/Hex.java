package org.meshhub.core.decoder;

/**
 * Hex text for bytes. MeshCore uploads carry whole packets as hex ({@code raw}, usually upper case); the decoder
 * reports keys, hashes and MACs as lower-case hex and the LetsMesh packet hash as upper case.
 */
public final class Hex {

    private static final char[] LOWER = "0123456789abcdef".toCharArray();
    private static final char[] UPPER = "0123456789ABCDEF".toCharArray();

    private Hex() {}

    /** Lower-case hex of all of {@code bytes}. */
    public static String lower(byte[] bytes) {
        return encode(bytes, 0, bytes.length, LOWER);
    }

    /** Lower-case hex of {@code bytes[from..to)}. */
    public static String lower(byte[] bytes, int from, int to) {
        return encode(bytes, from, to, LOWER);
    }

    /** Upper-case hex of all of {@code bytes}. */
    public static String upper(byte[] bytes) {
        return encode(bytes, 0, bytes.length, UPPER);
    }

    /**
     * Decodes hex digits of either case; no separators, prefixes or white space.
     *
     * @throws IllegalArgumentException for an odd number of digits or a non-hex character; the message gives the
     *     position, never the text itself
     */
    public static byte[] decode(CharSequence hex) {
        if (hex == null) {
            throw new IllegalArgumentException("no hex text");
        }
        int length = hex.length();
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + length + ")");
        }
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            int high = digit(hex.charAt(2 * i));
            int low = digit(hex.charAt(2 * i + 1));
            if (high < 0 || low < 0) {
                throw new IllegalArgumentException("non-hex character at position " + (high < 0 ? 2 * i : 2 * i + 1));
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /** Like {@link #decode} but returns {@code null} instead of throwing. */
    public static byte[] tryDecode(CharSequence hex) {
        try {
            return decode(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String encode(byte[] bytes, int from, int to, char[] digits) {
        char[] out = new char[(to - from) * 2];
        for (int i = from, j = 0; i < to; i++) {
            out[j++] = digits[(bytes[i] >> 4) & 0x0F];
            out[j++] = digits[bytes[i] & 0x0F];
        }
        return new String(out);
    }
}
