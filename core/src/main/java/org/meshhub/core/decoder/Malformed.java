package org.meshhub.core.decoder;

import java.util.Objects;

/**
 * A payload that does not fit its type's layout although the packet framing was fine, e.g. a TRACE with fewer than
 * 9 bytes or a RESPONSE with no ciphertext. The packet is still reported (and has a hash), as other decoders do.
 * Adverts are the exception: an unreadable advert is rejected as a whole (see {@link PacketDecoder}).
 */
public record Malformed(RejectReason reason, String detail) implements Payload {

    public Malformed {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
