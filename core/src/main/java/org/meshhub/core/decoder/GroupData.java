package org.meshhub.core.decoder;

/**
 * GRP_DATA (type 6): binary data on a channel, same envelope and crypto as {@link GroupText}. Plaintext (firmware
 * layout since March 2026): data type uint16 LE, data length uint8, data, zero padding.
 *
 * <p>Not decrypted: the plaintext fields are null. Decrypted but declaring more data than the plaintext holds (the
 * firmware drops such packets, and older captures use an earlier layout): {@code data} is null while
 * {@code dataType} and {@code dataLength} say what was declared.
 *
 * @param data lower-case hex of the declared data bytes
 */
public record GroupData(
        int channelHash,
        String mac,
        int ciphertextLength,
        boolean decrypted,
        String channelName,
        Integer dataType,
        Integer dataLength,
        String data)
        implements Payload {

    public GroupData {
        Checks.u8(channelHash, "channelHash");
        Checks.hex(mac, 2, "mac");
        Checks.range(ciphertextLength, 0, Packet.MAX_PAYLOAD, "ciphertextLength");
        Checks.nullOrHex(data, "data");
        if (decrypted) {
            if (channelName == null || dataType == null || dataLength == null) {
                throw new IllegalArgumentException("decrypted data has channel, type and length");
            }
        } else if (channelName != null || dataType != null || dataLength != null || data != null) {
            throw new IllegalArgumentException("undecrypted data has no plaintext fields");
        }
    }

    /** Data no known channel key could open. */
    public static GroupData undecrypted(int channelHash, String mac, int ciphertextLength) {
        return new GroupData(channelHash, mac, ciphertextLength, false, null, null, null, null);
    }
}
