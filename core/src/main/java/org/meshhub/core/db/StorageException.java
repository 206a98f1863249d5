package org.meshhub.core.db;

/**
 * The database cannot be used: unreachable, refused, locked by another process, or in a shape MeshHub will not
 * run on. The message is one line meant for an operator and never contains a secret.
 */
public final class StorageException extends RuntimeException {
  private final boolean refusal;

  private StorageException(String message, boolean refusal, Throwable cause) {
    super(message, cause);
    this.refusal = refusal;
  }

  /** MeshHub refuses to run on this database as it is (exit code 2): fix the set-up, do not retry. */
  public static StorageException refused(String message) {
    return new StorageException(message, true, null);
  }

  /** The database failed or could not be reached (exit code 1). */
  public static StorageException failed(String message, Throwable cause) {
    return new StorageException(message, false, cause);
  }

  public boolean isRefusal() {
    return refusal;
  }
}
