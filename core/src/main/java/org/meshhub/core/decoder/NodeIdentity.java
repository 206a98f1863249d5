package org.meshhub.core.decoder;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * A MeshCore node identity: an Ed25519 key pair, derived deterministically from a 32-byte seed (the RFC 8032
 * private key), so simulated nodes keep their identity across runs. The public key is the node's address; its first
 * 1-3 bytes are the node hash used in paths. For building synthetic packets with {@link PacketEncoder}.
 *
 * <p>{@link #toString()} shows only the public key.
 */
public final class NodeIdentity {

    private final PrivateKey privateKey;
    private final byte[] publicKey;

    private NodeIdentity(PrivateKey privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * The identity whose Ed25519 private key (seed) is {@code seed}.
     *
     * @throws IllegalArgumentException unless the seed is 32 bytes
     */
    public static NodeIdentity fromSeed(byte[] seed) {
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] used = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
            if (!Arrays.equals(used, seed)) {
                throw new IllegalStateException("the JDK key generator did not take the seed as the private key");
            }
            return new NodeIdentity(pair.getPrivate(), Ed25519.encode(((EdECPublicKey) pair.getPublic()).getPoint()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** A fresh copy of the 32-byte encoded public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as 64 lower-case hex. */
    public String publicKeyHex() {
        return Hex.lower(publicKey);
    }

    /** The node hash of {@code size} bytes (1-3 in paths): the first bytes of the public key. */
    public byte[] hash(int size) {
        if (size < 1 || size > 32) {
            throw new IllegalArgumentException("hash size " + size);
        }
        return Arrays.copyOf(publicKey, size);
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + publicKeyHex() + "]";
    }

    /** A "random" source that hands out the seed, so the key generator's private key is exactly the seed. */
    private static final class SeedRandom extends SecureRandom {
        SeedRandom(byte[] seed) {
            super(new SeedSpi(seed), null);
        }
    }

    private static final class SeedSpi extends SecureRandomSpi {
        private final byte[] seed;

        SeedSpi(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        protected void engineSetSeed(byte[] ignored) {}

        @Override
        protected void engineNextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for " + seed.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException("seed source only");
        }
    }
}
