package org.meshhub.core.decoder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An immutable set of {@link ChannelKey}s, indexed by channel hash. A key appears once (the first name given for a
 * key wins); several different keys may share a hash, and {@link #matching(int)} returns them all in insertion
 * order.
 *
 * <p>{@link #parse(String)} reads the {@code CHANNEL_KEYS} setting: comma-separated entries, each either
 * {@code name=hex} (a 16- or 32-byte key in hex, either case) or a bare hashtag name {@code #name}, whose key is
 * derived as in {@link ChannelKey#hashtag(String)} (lower-cased name). White space around entries is ignored, and
 * so are empty entries. The parsed set does not include the Public channel; combine with {@link #defaults()} via
 * {@link #plus(ChannelKeys)} if it should.
 */
public final class ChannelKeys {

    private static final ChannelKeys NONE = new ChannelKeys(List.of());
    private static final ChannelKeys DEFAULTS = new ChannelKeys(List.of(ChannelKey.PUBLIC));

    private final List<ChannelKey> keys;
    private final Map<Integer, List<ChannelKey>> byHash;

    private ChannelKeys(Collection<ChannelKey> candidates) {
        Map<String, ChannelKey> byKey = new LinkedHashMap<>();
        for (ChannelKey key : candidates) {
            byKey.putIfAbsent(key.key(), key);
        }
        this.keys = List.copyOf(byKey.values());
        this.byHash = keys.stream()
                .collect(Collectors.groupingBy(ChannelKey::hash, LinkedHashMap::new,
                        Collectors.collectingAndThen(Collectors.toList(), List::copyOf)));
    }

    /** No keys: every group message stays undecrypted. */
    public static ChannelKeys none() {
        return NONE;
    }

    /** The built-in Public channel only (key 8b3387e9c5cdea6ac9e5edbaa115cd72, hash 0x11). */
    public static ChannelKeys defaults() {
        return DEFAULTS;
    }

    public static ChannelKeys of(ChannelKey... keys) {
        return new ChannelKeys(List.of(keys));
    }

    public static ChannelKeys of(Collection<ChannelKey> keys) {
        return new ChannelKeys(List.copyOf(keys));
    }

    /**
     * Parses the {@code CHANNEL_KEYS} format described on the class. A null or blank spec gives {@link #none()}.
     *
     * @throws IllegalArgumentException naming the first bad entry by position and name; key material is never
     *     included in the message
     */
    public static ChannelKeys parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<ChannelKey> parsed = new ArrayList<>();
        String[] entries = spec.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (!entry.isEmpty()) {
                parsed.add(parseEntry(entry, i + 1));
            }
        }
        return new ChannelKeys(parsed);
    }

    private static ChannelKey parseEntry(String entry, int position) {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            if (entry.length() < 2 || entry.charAt(0) != '#') {
                // The entry is not echoed: it might be a key typed without its name.
                throw new IllegalArgumentException(
                        "CHANNEL_KEYS entry " + position + " is neither name=hex nor #hashtag");
            }
            return ChannelKey.hashtag(entry);
        }
        String name = entry.substring(0, eq).strip();
        String hex = entry.substring(eq + 1).strip();
        String where = "CHANNEL_KEYS entry " + position + " ('" + name + "')";
        if (name.isEmpty()) {
            throw new IllegalArgumentException("CHANNEL_KEYS entry " + position + " has no name before '='");
        }
        byte[] key = Hex.tryDecode(hex);
        if (key == null) {
            throw new IllegalArgumentException(where + ": key is not valid hex");
        }
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException(where + ": key must be 16 or 32 bytes, got " + key.length);
        }
        return new ChannelKey(name, hex.toLowerCase(Locale.ROOT));
    }

    /** This set followed by {@code other}'s keys (keys already present keep their name). */
    public ChannelKeys plus(ChannelKeys other) {
        List<ChannelKey> all = new ArrayList<>(keys);
        all.addAll(other.keys);
        return new ChannelKeys(all);
    }

    /** This set plus one key. */
    public ChannelKeys with(ChannelKey key) {
        return plus(of(key));
    }

    /** Every key whose channel hash is {@code hash}, in insertion order; empty if none. */
    public List<ChannelKey> matching(int hash) {
        return byHash.getOrDefault(hash, List.of());
    }

    /** All keys, in insertion order. */
    public List<ChannelKey> all() {
        return keys;
    }

    public int size() {
        return keys.size();
    }

    /** Names and hashes only, never keys. */
    @Override
    public String toString() {
        return keys.toString();
    }
}
