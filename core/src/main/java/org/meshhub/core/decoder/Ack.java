package org.meshhub.core.decoder;

/**
 * ACK (type 3), also the inner part of a {@link Multipart}: a 4-byte checksum (first 4 bytes of SHA-256 over the
 * acknowledged message and a public key), optionally followed by more bytes (current firmware adds the attempt
 * byte and a random byte).
 *
 * @param checksum the first 4 bytes in wire order, 8 lower-case hex (the firmware reads them as uint32 LE)
 * @param extra any bytes after the checksum, lower-case hex, possibly empty
 */
public record Ack(String checksum, String extra) implements Payload {

    public Ack {
        Checks.hex(checksum, 4, "checksum");
        Checks.hex(extra, "extra");
    }
}
