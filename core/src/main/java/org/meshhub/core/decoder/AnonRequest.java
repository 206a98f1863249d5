package org.meshhub.core.decoder;

/**
 * ANON_REQ (type 7): a request from a node the destination may not know (e.g. a login). Layout: destination hash
 * (1), the sender's full Ed25519 public key (32), MAC (2), ciphertext (ECDH-encrypted, opaque to observers).
 *
 * @param destHash 2 lower-case hex
 * @param senderPublicKey 64 lower-case hex
 * @param mac 4 lower-case hex
 */
public record AnonRequest(String destHash, String senderPublicKey, String mac, int ciphertextLength)
        implements Payload {

    public AnonRequest {
        Checks.hex(destHash, 1, "destHash");
        Checks.hex(senderPublicKey, 32, "senderPublicKey");
        Checks.hex(mac, 2, "mac");
        Checks.range(ciphertextLength, 1, Packet.MAX_PAYLOAD, "ciphertextLength");
    }
}
