package org.meshhub.migration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;

/**
 * What {@code meshhub db migrate-to-postgres} was asked to do.
 *
 * @param source the MeshHub SQLite file
 * @param target PostgreSQL and the schema to fill
 * @param batchSize rows per batch, each batch committed with its checkpoint
 * @param restart throw away a partial copy made by an earlier run and start over
 * @param checkpoints commit each batch with its checkpoint; off only to measure what checkpoints cost (each table is
 *     then one transaction)
 * @param retryFor how long a lost connection to PostgreSQL is retried, carrying on from the last checkpoint
 */
public record MigrationOptions(Path source, DatabaseSettings target, int batchSize, boolean restart,
    boolean checkpoints, Duration retryFor) {

  public static final int DEFAULT_BATCH_SIZE = 50_000;
  public static final int MAX_BATCH_SIZE = 1_000_000;

  public MigrationOptions {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (target.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("the target must be PostgreSQL");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH_SIZE);
    }
    Objects.requireNonNull(retryFor, "retryFor");
  }

  public static MigrationOptions of(Path source, DatabaseSettings target) {
    return new MigrationOptions(source, target, DEFAULT_BATCH_SIZE, false, true, target.connectTimeout());
  }

  public MigrationOptions withBatchSize(int rows) {
    return new MigrationOptions(source, target, rows, restart, checkpoints, retryFor);
  }

  public MigrationOptions withRestart(boolean on) {
    return new MigrationOptions(source, target, batchSize, on, checkpoints, retryFor);
  }

  public MigrationOptions withCheckpoints(boolean on) {
    return new MigrationOptions(source, target, batchSize, restart, on, retryFor);
  }
}
