package org.meshhub.migration;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;

/** Shortcuts for the migration's tests: options into a test schema, a whole run, counts on the target. */
final class MigrationTesting {
  private MigrationTesting() {}

  static DatabaseSettings target(String schema) {
    return DatabaseSettings.postgres(TestDatabases.postgresEnv(schema));
  }

  static MigrationOptions options(Path source, String schema) {
    return MigrationOptions.of(source, target(schema));
  }

  /** Prepares and runs a migration to its end. */
  static MigrationResult migrate(MigrationOptions options) throws InterruptedException {
    try (Migration m = Migration.prepare(options)) {
      return MigrationRunner.start(m).await();
    }
  }

  static long count(String schema, String sql) {
    try {
      return TestDatabases.count(schema, sql);
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  static long rows(String schema, String table) {
    return count(schema, "SELECT COUNT(*) FROM " + table);
  }

  /** Rows each checkpoint counts, by table. */
  static Map<String, Long> checkpointRows(String schema) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name, rows_copied FROM " + schema
            + ".meshhub_migration_checkpoint ORDER BY position")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    return out;
  }

  static void execute(String schema, String... statements) {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      for (String s : statements) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
