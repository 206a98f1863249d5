package org.meshhub.core.decoder;

/**
 * Payload bytes with no layout the decoder knows: RAW_CUSTOM (15, application defined) and the reserved types
 * 12-14. {@code data} is lower-case hex of the whole payload.
 */
public record Opaque(String data) implements Payload {

    public Opaque {
        Checks.hex(data, "data");
    }
}
