package org.meshhub.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.db.SchemaMigrations;

/**
 * The migration's bookkeeping in the target schema (tables of migration V10): one run row and one checkpoint per
 * table. A checkpoint is only ever changed inside the transaction that writes the rows it counts.
 */
final class Checkpoints {
  static final String RUN_TABLE = "meshhub_migration_run";
  static final String CHECKPOINT_TABLE = "meshhub_migration_checkpoint";

  private Checkpoints() {}

  /** The run whose rows are in this schema. */
  record Run(String sourcePath, int sourceSchemaVersion, String fingerprint, Instant startedAt, Instant finishedAt) {
    boolean finished() {
      return finishedAt != null;
    }
  }

  /**
   * How far one table is.
   *
   * @param lastKey key of the last row copied, null before the first batch
   * @param checksum running checksum of the rows copied
   * @param done every row is copied and the table's sequences are set
   */
  record Checkpoint(String table, int position, String lastKey, long rows, long checksum, boolean done) {}

  static boolean exist(Connection c) throws SQLException {
    return SchemaMigrations.tableExists(c, RUN_TABLE) && SchemaMigrations.tableExists(c, CHECKPOINT_TABLE);
  }

  static Optional<Run> readRun(Connection c) throws SQLException {
    if (!exist(c)) {
      return Optional.empty();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT source_path, source_schema_version, source_fingerprint, started_at,"
            + " finished_at FROM " + RUN_TABLE + " WHERE id = 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Timestamp finished = rs.getTimestamp(5);
      return Optional.of(new Run(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
          finished == null ? null : finished.toInstant()));
    }
  }

  static Map<String, Checkpoint> read(Connection c) throws SQLException {
    Map<String, Checkpoint> out = new LinkedHashMap<>();
    if (!exist(c)) {
      return out;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name, position, last_key, rows_copied, checksum, done FROM "
            + CHECKPOINT_TABLE + " ORDER BY position")) {
      while (rs.next()) {
        out.put(rs.getString(1), new Checkpoint(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
            rs.getLong(5), rs.getBoolean(6)));
      }
    }
    return out;
  }

  /**
   * Records a new run and a zero checkpoint per table, and sets the tables' indexes and constraints aside, in one
   * transaction.
   */
  static void begin(Connection c, Run run, List<TablePlan> plan) throws SQLException {
    inTransaction(c, () -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM " + CHECKPOINT_TABLE);
        st.executeUpdate("DELETE FROM " + RUN_TABLE);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RUN_TABLE
          + " (id, source_path, source_schema_version, source_fingerprint, started_at) VALUES (1, ?, ?, ?, ?)")) {
        ps.setString(1, run.sourcePath());
        ps.setInt(2, run.sourceSchemaVersion());
        ps.setString(3, run.fingerprint());
        ps.setTimestamp(4, Timestamp.from(run.startedAt()));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + CHECKPOINT_TABLE
          + " (table_name, position, last_key, rows_copied, checksum, done, updated_at)"
          + " VALUES (?, ?, NULL, 0, 0, FALSE, now())")) {
        for (TablePlan p : plan) {
          ps.setString(1, p.table());
          ps.setInt(2, p.position());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      // What is left in the tables to fill are the rows MeshHub's migrations seed (the checks before made sure):
      // the source has its own version of them.
      try (Statement st = c.createStatement()) {
        for (TablePlan p : plan) {
          st.executeUpdate("DELETE FROM " + SourceDatabase.quote(p.table()));
        }
      }
      DeferredIndexes.setAside(c, plan.stream().map(TablePlan::table).toList());
    });
  }

  /** Empties the tables the run wrote and forgets the run, in one transaction ({@code --restart}). */
  static void reset(Connection c, List<String> dataTables) throws SQLException {
    inTransaction(c, () -> {
      try (Statement st = c.createStatement()) {
        if (!dataTables.isEmpty()) {
          st.executeUpdate("TRUNCATE " + String.join(", ", dataTables.stream().map(SourceDatabase::quote).toList()));
        }
        if (exist(c)) {
          st.executeUpdate("DELETE FROM " + CHECKPOINT_TABLE);
          st.executeUpdate("DELETE FROM " + RUN_TABLE);
        }
      }
    });
  }

  /** Moves a checkpoint forward; the caller commits it together with the rows. */
  static PreparedStatement prepareAdvance(Connection c) throws SQLException {
    return c.prepareStatement("UPDATE " + CHECKPOINT_TABLE + " SET last_key = ?, rows_copied = ?, checksum = ?,"
        + " done = ?, updated_at = now() WHERE table_name = ?");
  }

  static void advance(PreparedStatement ps, String table, String lastKey, long rows, long checksum, boolean done)
      throws SQLException {
    ps.setString(1, lastKey);
    ps.setLong(2, rows);
    ps.setLong(3, checksum);
    ps.setBoolean(4, done);
    ps.setString(5, table);
    if (ps.executeUpdate() != 1) {
      throw new SQLException("the checkpoint of " + table + " is missing from " + CHECKPOINT_TABLE);
    }
  }

  static void finish(Connection c) throws SQLException {
    inTransaction(c, () -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE " + RUN_TABLE + " SET finished_at = now() WHERE id = 1 AND finished_at IS NULL");
      }
    });
  }

  interface SqlWork {
    void run() throws SQLException;
  }

  static void inTransaction(Connection c, SqlWork work) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
