package org.meshhub.core.decoder;

/**
 * Why a packet, or one packet's payload, could not be read. {@link #code()} is a stable snake_case label meant for
 * metrics; do not rename codes.
 *
 * <p>Framing reasons (everything up to and including the payload length check) reject the whole packet, as the
 * firmware drops such packets. {@link #TRUNCATED_PAYLOAD} and {@link #INVALID_PUBLIC_KEY} reject an advert
 * outright and otherwise appear inside {@link Malformed} payloads.
 */
public enum RejectReason {
    /** No input at all: null, empty, or only white space. */
    EMPTY("empty"),
    /** The hex text has an odd number of digits or a non-hex character. */
    BAD_HEX("bad_hex"),
    /** Fewer bytes than a header and a path_len byte. */
    TOO_SHORT("too_short"),
    /** Header version bits are not 0; the firmware drops every packet of a later version. */
    UNSUPPORTED_VERSION("unsupported_version"),
    /** A transport route type without its 4 bytes of transport codes. */
    TRUNCATED_TRANSPORT_CODES("truncated_transport_codes"),
    /** path_len hash-size code 3 (bits 6-7 = 11), which the firmware treats as invalid. */
    RESERVED_PATH_MODE("reserved_path_mode"),
    /** Hop count times hash size exceeds the 64-byte path maximum. */
    PATH_TOO_LONG("path_too_long"),
    /** The declared path runs past the end of the packet. */
    TRUNCATED_PATH("truncated_path"),
    /** More than 184 payload bytes (firmware MAX_PACKET_PAYLOAD). */
    PAYLOAD_TOO_LARGE("payload_too_large"),
    /** The payload is shorter than its type's layout needs. */
    TRUNCATED_PAYLOAD("truncated_payload"),
    /** An advert whose public key is not a valid Ed25519 point. */
    INVALID_PUBLIC_KEY("invalid_public_key"),
    /** A defect in the decoder itself; the fuzz tests assert this never happens. */
    INTERNAL_ERROR("internal_error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    /** Stable snake_case label, e.g. {@code "bad_hex"}. */
    public String code() {
        return code;
    }
}
