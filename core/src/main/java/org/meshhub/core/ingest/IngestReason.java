package org.meshhub.core.ingest;

import org.meshhub.core.decoder.RejectReason;

/**
 * Why an ingested message was rejected. {@link #code()} is a stable snake_case label: the {@code reason} of
 * {@code meshhub_ingest_rejected_total}, of the {@code rejected_messages} table and of the HTTP ingest answer. Do not
 * rename codes.
 */
public enum IngestReason {
  /** The payload is over {@link IngestSettings#MAX_PAYLOAD_BYTES}; checked before anything else. */
  PAYLOAD_TOO_LARGE("payload_too_large"),
  /** The topic has neither the LetsMesh shape nor the older decoded-event shape under the configured prefix. */
  UNKNOWN_TOPIC("unknown_topic"),
  /** A LetsMesh-shaped topic whose feed is not {@code packets}, {@code status} or {@code internal}. */
  UNKNOWN_FEED("unknown_feed"),
  /** A public key (in the topic, in an advert, in an older-feed event) that is not 64 hex characters or a key. */
  INVALID_PUBLIC_KEY("invalid_public_key"),
  /** The payload is not JSON, or not a JSON object. */
  INVALID_JSON("invalid_json"),
  /** A field the feed needs (e.g. {@code raw}) is absent or empty. */
  MISSING_FIELD("missing_field"),
  /** A field holds a value that cannot be used (a trace tag that is not a number, a name that is not hex). */
  INVALID_FIELD("invalid_field"),
  /** {@code raw} is not hex. */
  BAD_HEX("bad_hex"),
  /** {@code raw} ends before its header, transport codes, path or payload layout says it should. */
  TRUNCATED_PACKET("truncated_packet"),
  /** {@code raw} breaks a firmware framing rule (reserved path mode, path or payload over the limits). */
  MALFORMED_PACKET("malformed_packet"),
  /** {@code raw} has header version bits other than 0, which the firmware drops. */
  UNSUPPORTED_VERSION("unsupported_version"),
  /** A defect in the decoder; never expected (the decoder is fuzz-tested). */
  DECODER_ERROR("decoder_error"),
  /** A defect in MeshHub's ingest code met by this message; logged at ERROR, and the stream goes on. */
  INTERNAL_ERROR("internal_error");

  private final String code;

  IngestReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The ingest reason for a decoder rejection; the decoder's own code stays in the detail. */
  public static IngestReason fromDecoder(RejectReason reason) {
    switch (reason) {
      case EMPTY:
        return MISSING_FIELD;
      case BAD_HEX:
        return BAD_HEX;
      case TOO_SHORT:
      case TRUNCATED_TRANSPORT_CODES:
      case TRUNCATED_PATH:
      case TRUNCATED_PAYLOAD:
        return TRUNCATED_PACKET;
      case UNSUPPORTED_VERSION:
        return UNSUPPORTED_VERSION;
      case RESERVED_PATH_MODE:
      case PATH_TOO_LONG:
      case PAYLOAD_TOO_LARGE:
        return MALFORMED_PACKET;
      case INVALID_PUBLIC_KEY:
        return INVALID_PUBLIC_KEY;
      default:
        return DECODER_ERROR;
    }
  }
}
