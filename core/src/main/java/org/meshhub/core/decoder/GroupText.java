package org.meshhub.core.decoder;

/**
 * GRP_TXT (type 5): a channel message. Layout: channel hash (1, first byte of SHA-256 of the channel key), MAC (2,
 * HMAC-SHA256 over the ciphertext with the zero-padded 32-byte secret), AES-128-ECB ciphertext (n x 16).
 * Plaintext: timestamp uint32 LE, flags byte ({@code txt_type << 2 | attempt}), UTF-8 text up to the first NUL or
 * the end, conventionally {@code "<sender>: <message>"}.
 *
 * <p>When no known key's MAC verifies, the message is still reported with {@code decrypted = false} and all the
 * plaintext fields null. {@code sender} is an unauthenticated claim by whoever holds the key. The text is split at the
 * first {@code ": "}: the prefix is the sender only when the separator is at UTF-16 index 1..49 and the prefix
 * contains none of {@code : [ ]}; otherwise {@code sender} is null and {@code message} is the whole text.
 */
public record GroupText(
        int channelHash,
        String mac,
        int ciphertextLength,
        boolean decrypted,
        String channelName,
        Long timestamp,
        Integer flags,
        String text,
        String sender,
        String message)
        implements Payload {

    public GroupText {
        Checks.u8(channelHash, "channelHash");
        Checks.hex(mac, 2, "mac");
        Checks.range(ciphertextLength, 0, Packet.MAX_PAYLOAD, "ciphertextLength");
        if (decrypted) {
            if (channelName == null || timestamp == null || flags == null || text == null || message == null) {
                throw new IllegalArgumentException("a decrypted message has channel, timestamp, flags and text");
            }
            Checks.u32(timestamp, "timestamp");
            Checks.u8(flags, "flags");
        } else if (channelName != null || timestamp != null || flags != null || text != null || sender != null
                || message != null) {
            throw new IllegalArgumentException("an undecrypted message has no plaintext fields");
        }
    }

    /** A message no known channel key could open. */
    public static GroupText undecrypted(int channelHash, String mac, int ciphertextLength) {
        return new GroupText(channelHash, mac, ciphertextLength, false, null, null, null, null, null, null);
    }

    /**
     * The sender split rule described on this class, for texts that arrive already decrypted (the older decoded
     * feed): {@code [sender or null, message]}.
     */
    public static String[] splitSender(String text) {
        return GroupReader.splitSender(text);
    }

    /** The text type, upper 6 bits of flags (0 plain); null when not decrypted. */
    public Integer txtType() {
        return flags == null ? null : flags >> 2;
    }
}
