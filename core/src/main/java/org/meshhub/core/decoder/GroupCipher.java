package org.meshhub.core.decoder;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Channel crypto as the firmware does it (encrypt-then-MAC). The secret is a 32-byte buffer holding the key,
 * zero-padded when the key is 16 bytes. MAC = first 2 bytes of HMAC-SHA256 keyed with all 32 secret bytes over the
 * ciphertext. Cipher = AES-128-ECB keyed with the first 16 secret bytes, no padding scheme: the sender zero-fills
 * the last block.
 */
final class GroupCipher {

    static final int BLOCK = 16;
    static final int MAC_SIZE = 2;

    private GroupCipher() {}

    /** The 2-byte MAC of {@code ciphertext} under {@code key}. */
    static byte[] mac(byte[] key, byte[] ciphertext) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Arrays.copyOf(key, 32), "HmacSHA256"));
            return Arrays.copyOf(hmac.doFinal(ciphertext), MAC_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Checks the MAC and decrypts.
     *
     * @return the plaintext (including the zero padding), or null when the MAC does not verify or the ciphertext is
     *     not a non-empty multiple of 16 bytes
     */
    static byte[] open(byte[] key, byte[] mac, byte[] ciphertext) {
        if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
            return null;
        }
        if (!MessageDigest.isEqual(mac(key, ciphertext), mac)) {
            return null;
        }
        return aes(Cipher.DECRYPT_MODE, key, ciphertext);
    }

    /** Zero-pads {@code plaintext} to whole blocks and encrypts; returns {@code mac(2) || ciphertext}. */
    static byte[] seal(byte[] key, byte[] plaintext) {
        int padded = Math.max(BLOCK, (plaintext.length + BLOCK - 1) / BLOCK * BLOCK);
        byte[] ciphertext = aes(Cipher.ENCRYPT_MODE, key, Arrays.copyOf(plaintext, padded));
        byte[] out = new byte[MAC_SIZE + ciphertext.length];
        System.arraycopy(mac(key, ciphertext), 0, out, 0, MAC_SIZE);
        System.arraycopy(ciphertext, 0, out, MAC_SIZE, ciphertext.length);
        return out;
    }

    private static byte[] aes(int mode, byte[] key, byte[] data) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(mode, new SecretKeySpec(key, 0, 16, "AES"));
            return aes.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding unavailable", e);
        }
    }
}
