package org.meshhub.core.decoder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;

/**
 * Ed25519 over the JDK provider. MeshCore sends public keys in the RFC 8032 encoding: 32 bytes, little-endian y
 * with the top bit of the last byte holding the parity of x.
 */
final class Ed25519 {

    /** Result of a verification. */
    enum Verdict {
        VALID,
        BAD_SIGNATURE,
        INVALID_KEY
    }

    /** Recent verdicts: the same advert is heard by many observers, and the JDK's verification costs a millisecond. */
    private static final int CACHE_SIZE = 8192;

    private static final java.util.Map<String, Verdict> RECENT = java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Verdict> eldest) {
                return size() > CACHE_SIZE;
            }
        });

    private Ed25519() {}

    /**
     * Verifies {@code signature} (64 bytes) over {@code message} by the 32-byte encoded {@code publicKey}. Verdicts
     * are remembered for the exact same key, message and signature (a SHA-256 over all three is the cache key), so a
     * repeat costs a hash instead of a verification.
     */
    static Verdict verify(byte[] publicKey, byte[] message, byte[] signature) {
        String key = cacheKey(publicKey, message, signature);
        Verdict known = RECENT.get(key);
        if (known != null) {
            return known;
        }
        Verdict verdict = verifyUncached(publicKey, message, signature);
        RECENT.put(key, verdict);
        return verdict;
    }

    private static String cacheKey(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(publicKey);
            sha.update((byte) 0);
            sha.update(message);
            sha.update((byte) 0);
            sha.update(signature);
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static Verdict verifyUncached(byte[] publicKey, byte[] message, byte[] signature) {
        Signature verifier;
        try {
            verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(publicKey));
        } catch (InvalidKeyException | InvalidKeySpecException e) {
            return Verdict.INVALID_KEY;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
        try {
            verifier.update(message);
            return verifier.verify(signature) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
        } catch (GeneralSecurityException e) {
            // e.g. a signature whose scalar is out of range
            return Verdict.BAD_SIGNATURE;
        }
    }

    /** The JDK public key for a 32-byte encoding; the point is checked only when the key is used. */
    static PublicKey publicKey(byte[] encoded) throws InvalidKeySpecException {
        if (encoded.length != 32) {
            throw new InvalidKeySpecException("Ed25519 public keys are 32 bytes");
        }
        boolean xOdd = (encoded[31] & 0x80) != 0;
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = encoded[31 - i];
        }
        bigEndian[0] &= 0x7F;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        try {
            return KeyFactory.getInstance("EdDSA")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
        } catch (InvalidKeySpecException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EdDSA key factory unavailable", e);
        }
    }

    /** The 32-byte encoding of a point. */
    static byte[] encode(EdECPoint point) {
        byte[] bigEndian = point.getY().toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }
}
