package org.meshhub.core.decoder;

import java.util.Arrays;

/**
 * Reads GRP_TXT and GRP_DATA: channel hash (1), MAC (2), ciphertext. Tries every known key with that channel hash
 * and uses the first whose MAC verifies; with none, the payload is reported undecrypted.
 */
final class GroupReader {

    /** Channel hash + MAC + at least one ciphertext byte (firmware: payload longer than 3). */
    static final int MIN_LENGTH = 4;

    private final ChannelKeys keys;

    GroupReader(ChannelKeys keys) {
        this.keys = keys;
    }

    Payload readText(byte[] p) {
        if (p.length < MIN_LENGTH) {
            return tooShort("group text", p.length);
        }
        int hash = Bytes.u8(p, 0);
        String mac = Hex.lower(p, 1, 3);
        byte[] ciphertext = Arrays.copyOfRange(p, 3, p.length);
        for (ChannelKey key : keys.matching(hash)) {
            byte[] plain = GroupCipher.open(key.keyBytes(), Arrays.copyOfRange(p, 1, 3), ciphertext);
            if (plain != null) {
                String text = AdvertReader.textUpToNul(plain, 5, plain.length);
                String[] split = splitSender(text);
                return new GroupText(hash, mac, ciphertext.length, true, key.name(), Bytes.u32(plain, 0),
                        Bytes.u8(plain, 4), text, split[0], split[1]);
            }
        }
        return GroupText.undecrypted(hash, mac, ciphertext.length);
    }

    Payload readData(byte[] p) {
        if (p.length < MIN_LENGTH) {
            return tooShort("group data", p.length);
        }
        int hash = Bytes.u8(p, 0);
        String mac = Hex.lower(p, 1, 3);
        byte[] ciphertext = Arrays.copyOfRange(p, 3, p.length);
        for (ChannelKey key : keys.matching(hash)) {
            byte[] plain = GroupCipher.open(key.keyBytes(), Arrays.copyOfRange(p, 1, 3), ciphertext);
            if (plain != null) {
                int dataType = Bytes.u16(plain, 0);
                int dataLength = Bytes.u8(plain, 2);
                String data = 3 + dataLength <= plain.length ? Hex.lower(plain, 3, 3 + dataLength) : null;
                return new GroupData(hash, mac, ciphertext.length, true, key.name(), dataType, dataLength, data);
            }
        }
        return GroupData.undecrypted(hash, mac, ciphertext.length);
    }

    /** The sender split rule described on {@link GroupText}; returns {@code [sender or null, message]}. */
    static String[] splitSender(String text) {
        int at = text.indexOf(": ");
        if (at >= 1 && at <= 49) {
            String prefix = text.substring(0, at);
            if (prefix.indexOf(':') < 0 && prefix.indexOf('[') < 0 && prefix.indexOf(']') < 0) {
                return new String[] {prefix, text.substring(at + 2)};
            }
        }
        return new String[] {null, text};
    }

    private static Malformed tooShort(String what, int length) {
        return new Malformed(RejectReason.TRUNCATED_PAYLOAD,
                what + " payload is " + length + " bytes; needs at least " + MIN_LENGTH);
    }
}
