package org.meshhub.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshhub.migration.MigrationTesting.migrate;
import static org.meshhub.migration.MigrationTesting.options;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.StorageException;
import org.meshhub.core.testing.TestDatabases;

/**
 * Tables the copier has never heard of (as the read side adds them on both dialects): discovered on both sides,
 * converted by the target's column types, ordered by foreign keys, their sequences set, and verified.
 */
class GenericTablesTest {
  private static final String BASE = TestDatabases.uniqueSchema(GenericTablesTest.class);
  private static final List<String> SCHEMAS = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    SCHEMAS.forEach(TestDatabases::dropSchema);
  }

  private static String schema(String suffix) {
    String s = BASE + "_" + suffix;
    SCHEMAS.add(s);
    return s;
  }

  private static final String SOURCE_TABLES = """
      CREATE TABLE z_parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
      CREATE TABLE a_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES z_parent (id),
        flag BOOLEAN, seen_at TEXT, seen_ms INTEGER, lat REAL, amount NUMERIC, doc TEXT, raw BLOB, code TEXT,
        note TEXT, uid TEXT, day TEXT, small INTEGER);
      CREATE TABLE pairs (a TEXT NOT NULL, b INTEGER NOT NULL, v REAL, PRIMARY KEY (a, b)) WITHOUT ROWID;
      CREATE VIRTUAL TABLE notes_fts USING fts5(note);
      """;

  private static final String TARGET_TABLES = """
      CREATE TABLE z_parent (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE a_child (id BIGSERIAL PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES z_parent (id),
        flag BOOLEAN NOT NULL, seen_at TIMESTAMPTZ, seen_ms TIMESTAMPTZ, lat DOUBLE PRECISION, amount NUMERIC(12,3),
        doc JSONB, raw BYTEA, code CHAR(4), note VARCHAR(8), uid UUID, day DATE, small SMALLINT,
        search TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', coalesce(note, ''))) STORED,
        added TEXT DEFAULT 'later');
      CREATE TABLE pairs (a TEXT NOT NULL, b BIGINT NOT NULL, v DOUBLE PRECISION, PRIMARY KEY (a, b));
      """;

  /** A MeshHub SQLite file (its own migrations) with the extra tables and rows. */
  private Path source(String name, String... rows) throws Exception {
    Path data = dir.resolve(name);
    DatabaseSettings settings = DatabaseSettings.sqlite(TestDatabases.sqliteEnv(data));
    try (Database db = Database.open(settings, Database.Access.EXCLUSIVE, 1)) {
      new SchemaMigrations(db).migrate();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + settings.sqliteFile());
        Statement st = c.createStatement()) {
      for (String sql : SchemaMigrations.splitStatements(SOURCE_TABLES)) {
        st.execute(sql);
      }
      for (String sql : rows) {
        st.execute(sql);
      }
    }
    return settings.sqliteFile();
  }

  /** A target schema made by MeshHub's migrations, plus the read tables a later version would add. */
  private static void target(String schema) throws Exception {
    try (Database db = Database.open(MigrationTesting.target(schema), Database.Access.SHARED, 1)) {
      new SchemaMigrations(db).migrate();
      try (Connection c = db.connection(); Statement st = c.createStatement()) {
        for (String sql : SchemaMigrations.splitStatements(TARGET_TABLES)) {
          st.execute(sql);
        }
      }
    }
  }

  @Test
  void convertsByTheTargetTypesOrdersByForeignKeysAndSetsTheSequences() throws Exception {
    Path file = source("convert",
        "INSERT INTO z_parent (name) VALUES ('one'), ('two'), ('three'), ('four'), ('five')",
        "DELETE FROM z_parent WHERE id = 5",
        "INSERT INTO a_child VALUES (10, 1, 1, '2026-01-02 03:04:05.678', 1767225600123, 47.123456789012345,"
            + " '12.3456', '{\"b\": 1.50, \"a\": [1, 2e2], \"c\": \"é\"}', x'00ff10', 'ab', 'héllo', "
            + " '6f1c2a4e-8a3b-4c5d-9e6f-7a8b9c0d1e2f', '2026-03-04', -7)",
        "INSERT INTO a_child VALUES (11, 2, 0, '2026-01-02T03:04:05+02:00', 1767225600, NULL, NULL, NULL, NULL,"
            + " NULL, NULL, NULL, NULL, NULL)",
        "INSERT INTO pairs VALUES ('x', 2, 0.5), ('x', 1, 1.5), ('a', 9, NULL)",
        "INSERT INTO notes_fts (note) VALUES ('full-text rows are rebuilt by the target, not copied')");
    String schema = schema("convert");
    target(schema);

    MigrationResult result;
    try (Migration m = Migration.prepare(options(file, schema))) {
      List<String> order = m.plan().tables().stream().map(Migration.PlanRow::table).toList();
      assertTrue(order.indexOf("z_parent") < order.indexOf("a_child"), "referenced table first: " + order);
      assertEquals("event_journal", order.get(0));
      assertFalse(order.stream().anyMatch(t -> t.startsWith("notes_fts")), "full-text tables are left out");
      result = MigrationRunner.start(m).await();
    }

    assertEquals(MigrationResult.Outcome.VERIFIED, result.outcome(), () -> String.valueOf(result.failure()));
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      try (ResultSet rs = st.executeQuery("SELECT * FROM a_child ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(10, rs.getLong("id"));
        assertTrue(rs.getBoolean("flag"));
        assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), rs.getTimestamp("seen_at").toInstant());
        assertEquals(Instant.ofEpochMilli(1_767_225_600_123L), rs.getTimestamp("seen_ms").toInstant());
        assertEquals(47.123456789012345, rs.getDouble("lat"));
        assertEquals(new BigDecimal("12.346"), rs.getBigDecimal("amount"));
        assertEquals("{\"a\": [1, 200], \"b\": 1.50, \"c\": \"é\"}", rs.getString("doc"));
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10}, rs.getBytes("raw"));
        assertEquals("ab  ", rs.getString("code"));
        assertEquals("héllo", rs.getString("note"));
        assertEquals(UUID.fromString("6f1c2a4e-8a3b-4c5d-9e6f-7a8b9c0d1e2f"), rs.getObject("uid"));
        assertEquals(LocalDate.of(2026, 3, 4), rs.getObject("day", LocalDate.class));
        assertEquals(-7, rs.getShort("small"));
        assertEquals("'héllo':1", rs.getString("search"));
        assertEquals("later", rs.getString("added"));
        assertTrue(rs.next());
        assertFalse(rs.getBoolean("flag"));
        assertEquals(Instant.parse("2026-01-02T01:04:05Z"), rs.getTimestamp("seen_at").toInstant());
        assertEquals(Instant.ofEpochSecond(1_767_225_600L), rs.getTimestamp("seen_ms").toInstant());
        assertNull(rs.getString("doc"));
      }
      // AUTOINCREMENT never reuses 5, though that row was deleted; neither does the sequence.
      try (ResultSet rs = st.executeQuery("SELECT nextval(pg_get_serial_sequence('z_parent', 'id')),"
          + " nextval(pg_get_serial_sequence('a_child', 'id'))")) {
        rs.next();
        assertEquals(6, rs.getLong(1));
        assertEquals(12, rs.getLong(2));
      }
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pairs")) {
        rs.next();
        assertEquals(3, rs.getLong(1));
      }
    }
  }

  @Test
  void aWithoutRowidTableResumesAfterItsCompositeKeyWithNothingTwiceAndNothingSkipped() throws Exception {
    String[] inserts = new String[50];
    for (int i = 0; i < inserts.length; i++) {
      inserts[i] = "INSERT INTO pairs VALUES ('k" + (i % 7) + "', " + i + ", " + (i / 3.0) + ")";
    }
    Path file = source("pairs", inserts);
    String schema = schema("pairs");
    target(schema);
    SourceDatabase source = SourceDatabase.open(file);
    TablePlan plan;
    try (Migration m = Migration.prepare(options(file, schema))) {
      plan = m.tables().stream().filter(t -> t.table().equals("pairs")).findFirst().orElseThrow();
    }
    Verifier.Sum whole = Verifier.source(source, plan, 1000, n -> { });
    long rows = 0;
    long checksum = 0;
    String after = null;
    // Read two batches of 6, then start again after the last key, as a resumed run does.
    try (BatchReader reader = new BatchReader(source, plan, null, 6, 1 << 20)) {
      for (int i = 0; i < 2; i++) {
        BatchReader.Batch b = reader.next();
        rows += b.rows();
        checksum += b.checksum();
        after = b.lastKey();
      }
    }
    assertTrue(after.startsWith("["), "a composite key is kept as a typed list: " + after);
    try (BatchReader reader = new BatchReader(source, plan, after, 6, 1 << 20)) {
      BatchReader.Batch b;
      while ((b = reader.next()) != null) {
        rows += b.rows();
        checksum += b.checksum();
      }
    }
    assertEquals(50, whole.rows());
    assertEquals(whole.rows(), rows, "nothing read twice, nothing skipped");
    assertEquals(whole.checksum(), checksum, "the same rows");
  }

  @Test
  void aValueThatDoesNotFitItsTargetColumnStopsTheCopyWithTheRowAndColumnNamed() throws Exception {
    Path file = source("toolong",
        "INSERT INTO z_parent (name) VALUES ('one')",
        "INSERT INTO a_child (id, parent_id, flag, note) VALUES (1, 1, 1, 'fits'), (2, 1, 1, 'far too long')");
    String schema = schema("toolong");
    target(schema);

    MigrationResult result = migrate(options(file, schema));

    assertEquals(MigrationResult.Outcome.FAILED, result.outcome());
    StorageException e = (StorageException) result.failure();
    assertTrue(e.isRefusal());
    assertEquals("cannot copy a_child: the row with rowid 2 has a value in column note that a value of 12 characters"
        + " does not fit character varying(8); nothing of its batch was written, the rows before it are copied and"
        + " checkpointed", e.getMessage());
  }

  @Test
  void aRowPointingAtNothingFailsLoudlyWhenItsForeignKeyIsBuiltAgain() throws Exception {
    // SQLite enforces foreign keys only when a connection asks for it; this one did not.
    Path file = source("orphan",
        "INSERT INTO z_parent (name) VALUES ('one')",
        "INSERT INTO a_child (id, parent_id, flag) VALUES (1, 1, 1), (2, 42, 0)");
    String schema = schema("orphan");
    target(schema);

    MigrationResult result = migrate(options(file, schema));

    assertEquals(MigrationResult.Outcome.FAILED, result.outcome());
    StorageException e = (StorageException) result.failure();
    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().startsWith("the copied rows of a_child break its foreign key a_child_parent_id_fkey"),
        e.getMessage());
    assertTrue(e.getMessage().contains("repair the source and run again with --restart"), e.getMessage());
    assertThrows(StorageException.class, () -> org.meshhub.core.db.Storage.prepare(MigrationTesting.target(schema), 1),
        "MeshHub does not start on a schema whose migration did not finish");
  }

  @Test
  void aSourceColumnOrTypeTheTargetCannotHoldIsRefusedBeforeAnythingIsCopied() throws Exception {
    Path file = source("misfit", "INSERT INTO z_parent (name) VALUES ('one')");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE z_parent ADD COLUMN colour TEXT");
      st.execute("CREATE TABLE lonely (id INTEGER PRIMARY KEY)");
    }
    String schema = schema("misfit");
    target(schema);
    MigrationTesting.execute(schema, "ALTER TABLE pairs ADD COLUMN host INET", "ALTER TABLE pairs DROP COLUMN v",
        "ALTER TABLE pairs ADD COLUMN v INET");

    StorageException e = assertThrows(StorageException.class, () -> Migration.prepare(options(file, schema)));

    assertTrue(e.isRefusal());
    assertTrue(e.getMessage().contains("source table lonely has no table of that name"), e.getMessage());
    assertTrue(e.getMessage().contains("column z_parent.colour has no column of that name"), e.getMessage());
    assertTrue(e.getMessage().contains("column pairs.v is inet in the target"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertEquals(0, MigrationTesting.rows(schema, "event_journal"), "nothing copied");
  }
}
