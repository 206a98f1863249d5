package org.meshhub.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;

class PostgresStorageTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresStorageTest.class);
  private static final String BROKEN = SCHEMA + "_broken";

  @BeforeAll
  static void requirePostgres() {
    try (Connection c = TestDatabases.adminConnection()) {
      assertTrue(c.isValid(5));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @AfterAll
  static void dropSchemas() {
    TestDatabases.dropSchema(SCHEMA);
    TestDatabases.dropSchema(BROKEN);
  }

  private static DatabaseSettings settings(String schema) {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(schema));
  }

  private static long publicTables() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void createsTheSchemaAndPutsEverythingInIt() throws Exception {
    long before = publicTables();
    try (Database db = Storage.prepare(settings(SCHEMA), 2); Connection c = db.connection()) {
      assertTrue(TestDatabases.schemaExists(SCHEMA));
      for (String table : List.of("event_journal", "event_tag", "snapshot", "pekko_projection_offset_store",
          "pekko_projection_management", SchemaMigrations.VERSION_TABLE)) {
        assertTrue(SchemaMigrations.tableExists(c, table), table);
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
        rs.next();
        assertEquals(SCHEMA, rs.getString(1));
      }
      assertEquals(SchemaMigrations.latestVersion(Dialect.POSTGRESQL), SchemaMigrations.currentVersion(c).getAsInt());
    }
    assertEquals(before, publicTables(), "nothing may be created in public");
  }

  @Test
  void upgradeIsIdempotent() {
    try (Database db = Database.open(settings(SCHEMA), Database.Access.EXCLUSIVE, 1)) {
      new SchemaMigrations(db).migrate();
      SchemaMigrations.Result again = new SchemaMigrations(db).migrate();
      assertEquals(List.of(), again.applied());
      assertEquals(SchemaMigrations.latestVersion(Dialect.POSTGRESQL), again.toVersion());
    }
  }

  @Test
  void orderingGuardRefusesAJournalWithoutASequence() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA \"" + BROKEN + "\"");
      st.execute("CREATE TABLE \"" + BROKEN + "\".event_journal (ordering BIGINT, persistence_id VARCHAR(255) NOT NULL,"
          + " sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL,"
          + " write_timestamp BIGINT, adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL,"
          + " event_ser_manifest VARCHAR(255) NOT NULL, event_payload BYTEA NOT NULL, meta_ser_id INTEGER,"
          + " meta_ser_manifest VARCHAR(255), meta_payload BYTEA, PRIMARY KEY (persistence_id, sequence_number))");
    }
    StorageException e = assertThrows(StorageException.class, () -> Storage.prepare(settings(BROKEN), 1));
    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().contains("ordering"), e.getMessage());
  }

  @Test
  void givesUpOnAnUnreachableServerAfterTheConnectTimeout() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_BACKEND", "postgres");
    env.put("DATABASE_URL", "postgresql://meshhub:pw@127.0.0.1:9/meshhub");
    env.put("DATABASE_CONNECT_TIMEOUT", "2");
    DatabaseSettings s = DatabaseSettings.fromEnv(Env.of(env));
    StorageException e = assertThrows(StorageException.class,
        () -> Database.open(s, Database.Access.EXCLUSIVE, 1));
    assertFalse(e.isRefusal());
    assertTrue(e.getMessage().contains("not reachable after 2 s"), e.getMessage());
    assertTrue(e.getMessage().contains("DATABASE_CONNECT_TIMEOUT"), e.getMessage());
    assertFalse(e.getMessage().contains("pw@"), e.getMessage());
  }

  @Test
  void aMissingDatabaseFailsAtOnceWithItsName() {
    Map<String, String> env = TestDatabases.postgresEnvMap(SCHEMA);
    env.remove("DATABASE_URL");
    env.put("DATABASE_URL", TestDatabases.postgresUrl().replaceFirst("/[A-Za-z0-9_]+(\\?|$)",
        "/meshhub_no_such_db$1"));
    DatabaseSettings s = DatabaseSettings.fromEnv(Env.of(env));
    StorageException e = assertThrows(StorageException.class, () -> Database.open(s, Database.Access.EXCLUSIVE, 1));
    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().contains("meshhub_no_such_db"), e.getMessage());
  }

  @Test
  void everySessionEndsATransactionItsClientAbandonedAndProbesSilentConnections() throws Exception {
    try (Database db = Storage.prepare(settings(SCHEMA), 2); Connection c = db.connection();
        Statement st = c.createStatement()) {
      assertEquals("1min", show(st, "idle_in_transaction_session_timeout"));
      assertEquals("30", show(st, "tcp_keepalives_idle"));
    }
  }

  private static String show(Statement st, String setting) throws Exception {
    try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
