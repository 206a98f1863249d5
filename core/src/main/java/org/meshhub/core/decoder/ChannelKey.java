package org.meshhub.core.decoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A named group channel key (pre-shared key, 16 or 32 bytes). Its channel hash, sent as the first payload byte of
 * GRP_TXT/GRP_DATA, is the first byte of SHA-256 over the key bytes exactly as given (16 or 32). Several keys may
 * share one hash.
 *
 * <p>{@link #toString()} never shows the key.
 *
 * @param name a display name, e.g. "Public" or "#bot"
 * @param key the key as lower-case hex (32 or 64 digits)
 */
public record ChannelKey(String name, String key) {

    /** Firmware PUBLIC_GROUP_PSK; its hash is 0x11. A fixed constant, not derived from a name. */
    public static final ChannelKey PUBLIC = new ChannelKey("Public", "8b3387e9c5cdea6ac9e5edbaa115cd72");

    public ChannelKey {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("channel name is empty");
        }
        if (key == null || key.length() != 32 && key.length() != 64) {
            throw new IllegalArgumentException("channel key for '" + name + "' must be 16 or 32 bytes of hex");
        }
        try {
            Checks.hex(key, "key");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel key for '" + name + "' must be lower-case hex");
        }
    }

    /** A key given as bytes (16 or 32). */
    public static ChannelKey of(String name, byte[] key) {
        return new ChannelKey(name, Hex.lower(key));
    }

    /**
     * A hashtag channel: the key is the first 16 bytes of SHA-256 over the UTF-8 name including the leading '#'.
     * The name is lower-cased first (ROOT locale), the convention of the apps and uploaders, so "#Bot" and "#bot"
     * are one channel; a channel whose key was made from a mixed-case name must be given with its explicit key.
     *
     * @throws IllegalArgumentException unless the name starts with '#' and has at least one more character
     */
    public static ChannelKey hashtag(String name) {
        if (name == null || name.length() < 2 || name.charAt(0) != '#') {
            throw new IllegalArgumentException("a hashtag channel name starts with '#' and is not empty");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        byte[] digest = Bytes.sha256(lower.getBytes(StandardCharsets.UTF_8));
        return of(lower, Arrays.copyOf(digest, 16));
    }

    /** A fresh copy of the key bytes. */
    public byte[] keyBytes() {
        return Hex.decode(key);
    }

    /** First byte of SHA-256 over the key bytes, 0-255. */
    public int hash() {
        return Bytes.sha256(keyBytes())[0] & 0xFF;
    }

    @Override
    public String toString() {
        return "ChannelKey[name=" + name + ", hash=" + String.format("%02x", hash()) + "]";
    }
}
