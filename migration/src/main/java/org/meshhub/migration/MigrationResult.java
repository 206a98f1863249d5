package org.meshhub.migration;

/**
 * How a run of the migrator ended.
 *
 * @param verification the reconciliation, when the copy finished
 * @param failure what stopped it, when it failed: a one-line {@link org.meshhub.core.db.StorageException}
 */
public record MigrationResult(Outcome outcome, MigrationStatus status, Verification verification,
    RuntimeException failure) {

  /** The end of a run. */
  public enum Outcome {
    /** Copied (or already copied) and every table matches. */
    VERIFIED,
    /** Copied, but at least one table differs. */
    MISMATCH,
    /** Stopped on request after committing its last batch; running again carries on. */
    STOPPED,
    /** Failed; running again carries on from the last checkpoint. */
    FAILED
  }
}
