package org.meshhub.core.ingest;

/**
 * A message could not be handled at all (the entity did not answer in time, the database is gone). The source must
 * not acknowledge it, and should offer it again later; the message itself may be perfectly fine.
 */
public final class IngestUnavailableException extends RuntimeException {
  public IngestUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
