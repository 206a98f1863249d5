package org.meshhub.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes the batches of one table into PostgreSQL with binary COPY, and commits each batch in one transaction with
 * the table's checkpoint (last key, rows, running checksum): after a crash the checkpoint says exactly which rows are
 * there. The last batch also sets the table's sequences past the copied values and marks the table done.
 *
 * <p>Without checkpoints (a measurement mode), the whole table is one transaction committed at its end.
 */
final class BatchWriter implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchWriter.class);

  /** What a committed batch changed. */
  record Progress(String table, long rows, int batchRows, boolean done) {}

  private final Connection connection;
  private final TablePlan plan;
  private final boolean checkpoints;
  private final CopyManager copy;
  private final PreparedStatement advance;
  private final String copySql;
  private long rows;
  private long checksum;
  private String lastKey;
  private boolean done;
  private long copyNanos;
  private long checkpointNanos;
  private int batches;

  BatchWriter(Connection connection, TablePlan plan, Checkpoints.Checkpoint from, boolean checkpoints)
      throws SQLException {
    this.connection = connection;
    this.plan = plan;
    this.checkpoints = checkpoints;
    this.rows = from.rows();
    this.checksum = from.checksum();
    this.lastKey = from.lastKey();
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      // A commit that is lost in a server crash loses its checkpoint with it, so the batch is simply copied again.
      st.execute("SET synchronous_commit = off");
      st.execute("SET application_name = '" + applicationName(connection.getSchema()) + "'");
    }
    connection.commit();
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
    this.advance = Checkpoints.prepareAdvance(connection);
    this.copySql = "COPY " + SourceDatabase.quote(plan.table()) + " ("
        + plan.columns().stream().map(SourceDatabase::quote).collect(Collectors.joining(", "))
        + ") FROM STDIN (FORMAT binary)";
  }

  Progress write(BatchReader.Batch batch) throws SQLException {
    try {
      long t0 = System.nanoTime();
      if (batch.rows() > 0) {
        CopyIn in = copy.copyIn(copySql);
        try {
          in.writeToCopy(CopyBuffer.HEADER, 0, CopyBuffer.HEADER.length);
          in.writeToCopy(batch.data(), 0, batch.length());
          in.writeToCopy(CopyBuffer.TRAILER, 0, CopyBuffer.TRAILER.length);
          in.endCopy();
        } finally {
          if (in.isActive()) {
            in.cancelCopy();
          }
        }
        rows += batch.rows();
        checksum += batch.checksum();
        lastKey = batch.lastKey();
      }
      if (batch.last()) {
        setSequences();
      }
      long t1 = System.nanoTime();
      if (checkpoints || batch.last()) {
        Checkpoints.advance(advance, plan.table(), lastKey, rows, checksum, batch.last());
        connection.commit();
      }
      long t2 = System.nanoTime();
      copyNanos += t1 - t0;
      checkpointNanos += t2 - t1;
      batches++;
      done = batch.last();
      if (done) {
        log.debug("Wrote {} in {} batches: {} ms in COPY, {} ms in checkpoints and commits", plan.table(), batches,
            copyNanos / 1_000_000, checkpointNanos / 1_000_000);
      }
      return new Progress(plan.table(), rows, batch.rows(), done);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    }
  }

  /** Sets each sequence of the table past the highest copied value (and past SQLite's AUTOINCREMENT mark). */
  private void setSequences() throws SQLException {
    for (TablePlan.Sequence s : plan.sequences()) {
      long high;
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SELECT MAX(" + SourceDatabase.quote(s.column()) + ") FROM "
              + SourceDatabase.quote(plan.table()))) {
        rs.next();
        high = rs.getLong(1);
      }
      if (s.rowidAlias()) {
        high = Math.max(high, plan.autoincrement());
      }
      if (high >= 1) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT setval(?::regclass, ?, true)")) {
          ps.setString(1, s.sequence());
          ps.setLong(2, high);
          ps.executeQuery().close();
        }
      }
    }
  }

  /** How the copy's sessions show in pg_stat_activity: {@code meshhub-migrate:<schema>}. */
  static String applicationName(String schema) {
    String name = "meshhub-migrate:" + (schema == null ? "" : schema.replace("'", ""));
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the server rolled back
    }
  }

  boolean done() {
    return done;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() {
    rollbackQuietly();
    try {
      advance.close();
    } catch (SQLException ignored) {
      // closing below
    }
    try {
      connection.setAutoCommit(true);
    } catch (SQLException ignored) {
      // broken connection; the pool discards it
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
