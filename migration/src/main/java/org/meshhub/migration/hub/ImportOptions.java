package org.meshhub.migration.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * How to run {@code meshhub db import-meshcore-hub}.
 *
 * @param source the MeshCore Hub SQLite file or {@code postgresql://} URL
 * @param sourceSchema its PostgreSQL schema, or null for the URL's or MeshCore Hub's default
 * @param batchSize source rows per batch (the unit of a checkpoint)
 * @param restart forget the checkpoints of an earlier run and read every row again
 * @param inFlight commands awaiting their entity's answer at once
 * @param askTimeout how long one command may wait for its entity
 */
public record ImportOptions(String source, String sourceSchema, int batchSize, boolean restart, int inFlight,
    Duration askTimeout) {
  public static final int DEFAULT_BATCH_SIZE = 5_000;
  public static final int MAX_BATCH_SIZE = 100_000;
  public static final int DEFAULT_IN_FLIGHT = 1_000;

  public ImportOptions {
    Objects.requireNonNull(source, "source");
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batch size must be between 1 and " + MAX_BATCH_SIZE);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException("in-flight must be at least 1");
    }
    Objects.requireNonNull(askTimeout, "askTimeout");
  }

  public static ImportOptions of(String source) {
    return new ImportOptions(source, null, DEFAULT_BATCH_SIZE, false, DEFAULT_IN_FLIGHT, Duration.ofSeconds(120));
  }

  public ImportOptions withSourceSchema(String schema) {
    return new ImportOptions(source, schema, batchSize, restart, inFlight, askTimeout);
  }

  public ImportOptions withBatchSize(int n) {
    return new ImportOptions(source, sourceSchema, n, restart, inFlight, askTimeout);
  }

  public ImportOptions withRestart(boolean r) {
    return new ImportOptions(source, sourceSchema, batchSize, r, inFlight, askTimeout);
  }

  public ImportOptions withInFlight(int n) {
    return new ImportOptions(source, sourceSchema, batchSize, restart, n, askTimeout);
  }
}
