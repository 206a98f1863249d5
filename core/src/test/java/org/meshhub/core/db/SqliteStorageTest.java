package org.meshhub.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.testing.TestDatabases;

class SqliteStorageTest {
  @TempDir
  Path dataHome;

  private DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome));
  }

  @Test
  void createsTheFileInWalModeAtTheLatestSchemaVersion() throws Exception {
    try (Database db = Storage.prepare(settings(), 2)) {
      assertTrue(Files.exists(dataHome.resolve("meshhub.db")));
      try (Connection c = db.connection(); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
          rs.next();
          assertEquals("wal", rs.getString(1));
        }
        try (ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
          rs.next();
          assertEquals(30000, rs.getInt(1));
        }
        assertEquals(SchemaMigrations.latestVersion(Dialect.SQLITE), SchemaMigrations.currentVersion(c).getAsInt());
        for (String table : List.of("event_journal", "event_tag", "snapshot", "pekko_projection_offset_store",
            "pekko_projection_management", SchemaMigrations.VERSION_TABLE)) {
          assertTrue(SchemaMigrations.tableExists(c, table), table);
        }
      }
    }
  }

  @Test
  void upgradeIsIdempotent() {
    try (Database db = Database.open(settings(), Database.Access.EXCLUSIVE, 1)) {
      SchemaMigrations.Result first = new SchemaMigrations(db).migrate();
      SchemaMigrations.Result second = new SchemaMigrations(db).migrate();
      assertEquals(0, first.fromVersion());
      assertTrue(first.applied().contains(1));
      assertEquals(List.of(), second.applied());
      assertEquals(first.toVersion(), second.toVersion());
    }
  }

  @Test
  void refusesASecondWriterOnTheSameFile() {
    try (Database first = Storage.prepare(settings(), 1)) {
      StorageException e = assertThrows(StorageException.class, () -> Storage.prepare(settings(), 1));
      assertTrue(e.isRefusal());
      assertTrue(e.getMessage().contains("another MeshHub process"), e.getMessage());
      assertTrue(SqliteLock.isHeld(first.settings().sqliteFile()));
    }
    // Released on close: a new writer may start.
    try (Database again = Storage.prepare(settings(), 1)) {
      assertTrue(SqliteLock.isHeld(again.settings().sqliteFile()));
    }
  }

  @Test
  void orderingGuardRefusesAJournalWithThePostgresLayout() throws Exception {
    Path file = dataHome.resolve("meshhub.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      // The silent trap: SQLite accepts BIGSERIAL as a type name and never fills the column.
      st.execute("CREATE TABLE event_journal (ordering BIGSERIAL, persistence_id VARCHAR(255) NOT NULL,"
          + " sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL, writer VARCHAR(255) NOT NULL,"
          + " write_timestamp BIGINT, adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL,"
          + " event_ser_manifest VARCHAR(255) NOT NULL, event_payload BLOB NOT NULL, meta_ser_id INTEGER,"
          + " meta_ser_manifest VARCHAR(255), meta_payload BLOB, PRIMARY KEY (persistence_id, sequence_number))");
      st.execute("INSERT INTO event_journal (persistence_id, sequence_number, writer, event_ser_id,"
          + " event_ser_manifest, event_payload) VALUES ('Node|x', 1, 'w', 1, 'm', x'00')");
      try (ResultSet rs = st.executeQuery("SELECT ordering FROM event_journal")) {
        rs.next();
        rs.getLong(1);
        assertTrue(rs.wasNull(), "the trap: ordering stays NULL");
      }
    }
    StorageException e = assertThrows(StorageException.class, () -> Storage.prepare(settings(), 1));
    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().contains("ordering"), e.getMessage());
    assertTrue(!SqliteLock.isHeld(file), "a refused start releases the file");
  }

  @Test
  void refusesASchemaNewerThanThisBuild() throws Exception {
    try (Database db = Storage.prepare(settings(), 1); Connection c = db.connection();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO meshhub_schema_version VALUES (999, 'future', 'x', '2030-01-01T00:00:00Z')");
    }
    StorageException e = assertThrows(StorageException.class, () -> Storage.prepare(settings(), 1));
    assertTrue(e.getMessage().contains("999"), e.getMessage());
  }

  @Test
  void splitsScriptsButKeepsTriggerBodiesWhole() {
    List<String> parts = SchemaMigrations.splitStatements("""
        -- comment
        CREATE TABLE a (x INT);
        CREATE TRIGGER t AFTER INSERT ON a BEGIN
          INSERT INTO b VALUES (new.x);
          DELETE FROM c;
        END;
        CREATE INDEX i ON a (x);
        """);
    assertEquals(3, parts.size());
    assertTrue(parts.get(1).contains("DELETE FROM c;"));
    assertTrue(parts.get(1).endsWith("END"));
  }
}
