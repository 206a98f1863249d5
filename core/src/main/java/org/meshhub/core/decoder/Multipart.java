package org.meshhub.core.decoder;

/**
 * MULTIPART (type 10): one packet of a set. Byte 0 = {@code remaining << 4 | inner type}; the inner payload follows.
 * Only inner type ACK is in use, and then {@code ack} holds it; otherwise {@code ack} is null.
 *
 * @param remaining how many more packets of the set follow
 * @param innerType the inner payload type value (0-15)
 * @param data the bytes after byte 0 as lower-case hex
 */
public record Multipart(int remaining, int innerType, String data, Ack ack) implements Payload {

    public Multipart {
        Checks.range(remaining, 0, 15, "remaining");
        Checks.range(innerType, 0, 15, "innerType");
        Checks.hex(data, "data");
        if ((ack != null) != (innerType == PayloadType.ACK.value())) {
            throw new IllegalArgumentException("ack present exactly for inner type ACK");
        }
    }

    public PayloadType innerPayloadType() {
        return PayloadType.fromValue(innerType);
    }
}
