package org.meshhub.core.decoder;

/**
 * The encrypted peer envelope of REQ (0), RESPONSE (1), TXT_MSG (2) and PATH (8): destination hash (1), source hash
 * (1), MAC (2), ciphertext. The key is an ECDH secret of the two nodes, so an observer sees only this structure.
 * PATH is read this way too, as the firmware does (some decoders wrongly parse it as plaintext).
 *
 * @param destHash first byte of the destination's public key, 2 lower-case hex
 * @param srcHash first byte of the source's public key, 2 lower-case hex
 * @param mac 4 lower-case hex
 * @param ciphertextLength well-formed envelopes have a multiple of 16; not enforced
 */
public record PeerMessage(String destHash, String srcHash, String mac, int ciphertextLength) implements Payload {

    public PeerMessage {
        Checks.hex(destHash, 1, "destHash");
        Checks.hex(srcHash, 1, "srcHash");
        Checks.hex(mac, 2, "mac");
        Checks.range(ciphertextLength, 1, Packet.MAX_PAYLOAD, "ciphertextLength");
    }
}
