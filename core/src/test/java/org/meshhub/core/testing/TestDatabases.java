package org.meshhub.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.meshhub.core.config.Env;

/**
 * The databases tests run against: a SQLite file in a temporary folder, and the real PostgreSQL named by
 * {@code MESHHUB_TEST_DATABASE_URL} (default {@value #DEFAULT_URL}), each test class in a schema of its own that
 * it drops afterwards. A PostgreSQL that cannot be reached fails the test with a message naming it; nothing is
 * skipped.
 */
public final class TestDatabases {
  public static final String URL_VARIABLE = "MESHHUB_TEST_DATABASE_URL";
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

  private TestDatabases() {}

  public static String postgresUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
  }

  /** A fresh schema name for a test class: {@code t_<class>_<random>}. */
  public static String uniqueSchema(Class<?> testClass) {
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return "t_" + base + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }

  /**
   * The environment of a MeshHub on the test PostgreSQL in the given schema. The local server trusts loopback
   * logins, so the password given here only satisfies MeshHub's rule that PostgreSQL needs one.
   */
  public static Map<String, String> postgresEnvMap(String schema) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_BACKEND", "postgres");
    env.put("DATABASE_URL", postgresUrl());
    if (!postgresUrl().contains("password=")) {
      env.put("DATABASE_PASSWORD", "trust-auth-ignores-this");
    }
    env.put("DATABASE_SCHEMA", schema);
    env.put("DATABASE_CONNECT_TIMEOUT", "10");
    return env;
  }

  public static Env postgresEnv(String schema) {
    return Env.of(postgresEnvMap(schema));
  }

  public static Map<String, String> sqliteEnvMap(java.nio.file.Path dataHome) {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_HOME", dataHome.toString());
    return env;
  }

  public static Env sqliteEnv(java.nio.file.Path dataHome) {
    return Env.of(sqliteEnvMap(dataHome));
  }

  /** A direct connection to the test PostgreSQL, outside any MeshHub pool. */
  public static Connection adminConnection() {
    try {
      return DriverManager.getConnection(postgresUrl());
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL is needed for this test but is not reachable at " + postgresUrl()
          + " (set " + URL_VARIABLE + " or start it: pg_ctlcluster --skip-systemctl-redirect"
          + " $(ls /etc/postgresql) main start): " + e.getMessage(), e);
    }
  }

  /** A count (the first column of the first row) of a query run inside the schema, on an admin connection. */
  public static long count(String schema, String sql) throws SQLException {
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The events in the schema's journal, or -1 while there is no journal yet: for waiting until a count is reached. */
  public static long journalEvents(String schema) {
    try {
      return count(schema, "SELECT COUNT(*) FROM event_journal");
    } catch (SQLException e) {
      return -1;
    }
  }

  public static void dropSchema(String schema) {
    try (Connection c = adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new AssertionError("could not drop test schema " + schema + ": " + e.getMessage(), e);
    }
  }

  public static boolean schemaExists(String schema) {
    try (Connection c = adminConnection();
        var ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
