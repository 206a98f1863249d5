package org.meshhub.core.decoder;

import java.util.Objects;

/**
 * Outcome of {@link PacketDecoder}: either a {@link Decoded} packet or a {@link Rejected} input with a reason.
 * The decoder never throws, so every failure arrives here as a value.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Rejected {

    /** The framing was valid; the packet's payload may still be {@link Malformed}. */
    record Decoded(Packet packet) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** The input is not a packet the firmware would accept. {@code detail} is for logs, not for metric labels. */
    record Rejected(RejectReason reason, String detail) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            detail = detail == null ? "" : detail;
        }
    }
}
