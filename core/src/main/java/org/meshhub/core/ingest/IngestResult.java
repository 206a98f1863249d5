package org.meshhub.core.ingest;

import java.util.Objects;

/**
 * What became of one ingested message.
 *
 * @param status {@code ACCEPTED} (events persisted, or nothing new: a duplicate), {@code REJECTED} (bad input, kept
 *     in the rejected-messages table), {@code IGNORED} (valid but not for us, e.g. a {@code tx} packet)
 * @param reason for REJECTED and IGNORED: a stable snake_case code (also the metric label); else the outcome
 * @param detail a short human explanation, never the payload itself
 */
public record IngestResult(Status status, String reason, String detail) {
  /** The three ends of an ingested message. */
  public enum Status {
    ACCEPTED,
    REJECTED,
    IGNORED
  }

  public IngestResult {
    Objects.requireNonNull(status, "status");
  }

  public static IngestResult accepted(String outcome) {
    return new IngestResult(Status.ACCEPTED, outcome, null);
  }

  public static IngestResult rejected(String reason, String detail) {
    return new IngestResult(Status.REJECTED, reason, detail);
  }

  public static IngestResult ignored(String reason, String detail) {
    return new IngestResult(Status.IGNORED, reason, detail);
  }
}
