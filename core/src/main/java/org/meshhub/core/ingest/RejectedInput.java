package org.meshhub.core.ingest;

import java.util.Objects;

/**
 * Thrown inside the pipeline when a message is bad input, and caught by it: the message becomes a rejected result
 * with this reason. Carries no stack trace; it is control flow, not an error.
 */
final class RejectedInput extends RuntimeException {
  private final IngestReason reason;

  RejectedInput(IngestReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  IngestReason reason() {
    return reason;
  }

  String detail() {
    return getMessage();
  }
}
