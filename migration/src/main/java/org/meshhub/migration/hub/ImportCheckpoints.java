package org.meshhub.migration.hub;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.db.SchemaMigrations;

/**
 * The import's bookkeeping in MeshHub's own database (tables of schema version 11): the run and one counted checkpoint
 * per source table. The SQL is the same on every backend.
 */
final class ImportCheckpoints {
  static final String RUN_TABLE = "meshhub_import_run";
  static final String CHECKPOINT_TABLE = "meshhub_import_checkpoint";

  private ImportCheckpoints() {}

  /**
   * The import whose events are in this database.
   *
   * @param overEarlierData the database held events before this run began (an import started over with
   *     {@code --restart}), so its read tables may hold more than this run maps
   */
  record Run(String source, String revision, String fingerprint, boolean overEarlierData, long startedAt,
      Long finishedAt) {
    boolean finished() {
      return finishedAt != null;
    }
  }

  /** How far one source table is: rows read up to the last checkpoint, and the counts of those rows. */
  record Checkpoint(String table, int position, long rowsRead, String lastKey, Counters counters, boolean done) {}

  static boolean exist(Connection c) throws SQLException {
    return SchemaMigrations.tableExists(c, RUN_TABLE) && SchemaMigrations.tableExists(c, CHECKPOINT_TABLE);
  }

  static Optional<Run> readRun(Connection c) throws SQLException {
    if (!exist(c)) {
      return Optional.empty();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT source, source_revision, source_fingerprint, over_earlier_data,"
            + " started_at, finished_at FROM " + RUN_TABLE + " WHERE id = 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      long finished = rs.getLong(6);
      Long finishedAt = rs.wasNull() ? null : finished;
      return Optional.of(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
          finishedAt));
    }
  }

  static Map<String, Checkpoint> read(Connection c) throws SQLException {
    Map<String, Checkpoint> out = new LinkedHashMap<>();
    if (!exist(c)) {
      return out;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT source_table, position, rows_read, last_key, counters, done FROM "
            + CHECKPOINT_TABLE + " ORDER BY position")) {
      while (rs.next()) {
        out.put(rs.getString(1), new Checkpoint(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
            Counters.fromJson(rs.getString(5)), rs.getBoolean(6)));
      }
    }
    return out;
  }

  /** Records a new run and a zero checkpoint per table, in one transaction. */
  static void begin(Connection c, Run run, List<String> tables) throws SQLException {
    inTransaction(c, () -> {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM " + CHECKPOINT_TABLE);
        st.executeUpdate("DELETE FROM " + RUN_TABLE);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RUN_TABLE + " (id, source, source_revision,"
          + " source_fingerprint, over_earlier_data, started_at) VALUES (1, ?, ?, ?, ?, ?)")) {
        ps.setString(1, run.source());
        ps.setString(2, run.revision());
        ps.setString(3, run.fingerprint());
        ps.setBoolean(4, run.overEarlierData());
        ps.setLong(5, run.startedAt());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + CHECKPOINT_TABLE + " (source_table, position,"
          + " rows_read, last_key, counters, done, updated_at) VALUES (?, ?, 0, NULL, '{}', ?, ?)")) {
        for (int i = 0; i < tables.size(); i++) {
          ps.setString(1, tables.get(i));
          ps.setInt(2, i + 1);
          ps.setBoolean(3, false);
          ps.setLong(4, run.startedAt());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  /** Moves a table's checkpoint forward, in a transaction of its own. */
  static void advance(Connection c, String table, long rowsRead, String lastKey, Counters counters, boolean done)
      throws SQLException {
    inTransaction(c, () -> update(c, table, rowsRead, lastKey, counters, done));
  }

  /** Moves a table's checkpoint forward in the caller's transaction (with the rows it counts). */
  static void update(Connection c, String table, long rowsRead, String lastKey, Counters counters, boolean done)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + CHECKPOINT_TABLE + " SET rows_read = ?,"
        + " last_key = ?, counters = ?, done = ?, updated_at = ? WHERE source_table = ?")) {
      ps.setLong(1, rowsRead);
      ps.setString(2, lastKey);
      ps.setString(3, counters.toJson());
      ps.setBoolean(4, done);
      ps.setLong(5, System.currentTimeMillis());
      ps.setString(6, table);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("the checkpoint of " + table + " is missing from " + CHECKPOINT_TABLE);
      }
    }
  }

  static void finish(Connection c) throws SQLException {
    inTransaction(c, () -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + RUN_TABLE + " SET finished_at = ? WHERE id = 1"
          + " AND finished_at IS NULL")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.executeUpdate();
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
