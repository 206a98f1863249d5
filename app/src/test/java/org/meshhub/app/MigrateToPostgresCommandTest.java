package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.SqliteLock;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/** {@code meshhub db migrate-to-postgres} as an operator runs it: a child JVM, a real SQLite file, real PostgreSQL. */
class MigrateToPostgresCommandTest {
  private static final String BASE = TestDatabases.uniqueSchema(MigrateToPostgresCommandTest.class);
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static final String ROLE = BASE + "_noright";

  @TempDir
  Path dir;

  @AfterAll
  static void drop() throws Exception {
    SCHEMAS.forEach(TestDatabases::dropSchema);
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP ROLE IF EXISTS " + ROLE);
    }
  }

  private static String schema(String suffix) {
    String s = BASE + "_" + suffix;
    SCHEMAS.add(s);
    return s;
  }

  private static Map<String, String> env(String schema) {
    Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(schema));
    env.remove("DATABASE_BACKEND"); // the command needs no backend: its target is always PostgreSQL
    return env;
  }

  private ChildProcess.Result migrate(String schema, Path source, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("db", "migrate-to-postgres", "--source", source.toString()));
    args.addAll(List.of(more));
    return ChildProcess.run(dir, env(schema), args.toArray(new String[0]));
  }

  /** One line on stderr, starting with "error: ", and exit code {@code code}. */
  private static String oneLineError(ChildProcess.Result r, int code) {
    assertEquals(code, r.exitCode(), "exit code\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
    String[] lines = r.stderr().strip().split("\n");
    assertEquals(1, lines.length, "one line on stderr, no stack trace: " + r.stderr());
    assertTrue(lines[0].startsWith("error: "), lines[0]);
    return lines[0];
  }

  @Test
  void migratesThenPrintsTheReconciliationAndASecondRunOnlyVerifiesAgain() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    String schema = schema("full");
    String before = JournalFixture.sha256(source.file());

    ChildProcess.Result first = migrate(schema, source.file());

    assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
    String out = first.stdout();
    assertTrue(out.contains("Schema  created schema " + schema), out);
    assertTrue(out.contains("Copied "), out);
    assertTrue(out.matches("(?s).*\\nevent_journal +1,652 +1,652 +[0-9a-f]{16} +[0-9a-f]{16} +OK\\n.*"), out);
    for (String table : List.of("event_tag", "snapshot", "pekko_projection_offset_store",
        "pekko_projection_management", "rejected_messages")) {
      assertTrue(out.matches("(?s).*\\n" + table + " +[0-9,]+ +[0-9,]+ +[0-9a-f]{16} +[0-9a-f]{16} +OK\\n.*"),
          table + " verified OK:\n" + out);
    }
    assertTrue(out.contains("Every table has the same rows and checksums on both sides"), out);
    assertFalse(out.contains("trust-auth-ignores-this"), "no password in the output");
    assertEquals(before, JournalFixture.sha256(source.file()));

    ChildProcess.Result second = migrate(schema, source.file());
    assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
    assertTrue(second.stdout().contains("every table is copied already: verify again, change nothing"),
        second.stdout());
    assertTrue(second.stdout().contains("Verification (both sides read again in full):"), second.stdout());
    assertFalse(second.stdout().contains("Copied "), "nothing copied the second time");
  }

  @Test
  void aDryRunPrintsThePlanAndWritesNothing() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    String absent = schema("dry");

    ChildProcess.Result r = migrate(absent, source.file(), "--dry-run");

    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("Schema  would create schema " + absent), r.stdout());
    assertTrue(r.stdout().matches("(?s).*\\nevent_journal +1,652 +0\\n.*"), r.stdout());
    assertTrue(r.stdout().contains("Dry run: nothing was written."), r.stdout());
    assertFalse(TestDatabases.schemaExists(absent), "the target schema is not created");

    // On an existing schema at an older version, the dry run applies the upgrade in a transaction it rolls back.
    String existing = schema("dryold");
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + existing);
      st.execute("CREATE TABLE " + existing + ".meshhub_schema_version (version INTEGER PRIMARY KEY,"
          + " description VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
    }
    String catalog = catalog(existing);
    ChildProcess.Result old = migrate(existing, source.file(), "--dry-run");
    assertEquals(0, old.exitCode(), old.stdout() + old.stderr());
    assertTrue(old.stdout().contains("would upgrade schema " + existing), old.stdout());
    assertEquals(catalog, catalog(existing), "no table created or changed");
  }

  @Test
  void eachRefusalEndsInOneLineAndExitCode2() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    String schema = schema("refuse");

    String missing = oneLineError(migrate(schema, dir.resolve("nowhere/meshhub.db")), 2);
    assertTrue(missing.contains("does not exist"), missing);

    Path text = Files.writeString(dir.resolve("notes.txt"), "not a database at all, just words ".repeat(100));
    String notSqlite = oneLineError(migrate(schema, text), 2);
    assertTrue(notSqlite.contains("is not a SQLite database"), notSqlite);

    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE nodes (public_key TEXT PRIMARY KEY)");
    }
    String notMeshHub = oneLineError(migrate(schema, other), 2);
    assertTrue(notMeshHub.contains("is not a MeshHub database"), notMeshHub);

    Path busy = JournalFixture.copy(source.file(), dir.resolve("busy"));
    try (SqliteLock held = SqliteLock.acquire(busy)) {
      String inUse = oneLineError(migrate(schema, busy), 2);
      assertTrue(inUse.contains("a running MeshHub is using"), inUse);
    }

    String foreign = schema("foreign");
    assertEquals(0, ChildProcess.run(dir, TestDatabases.postgresEnvMap(foreign), "db", "upgrade").exitCode());
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + foreign + ".pekko_projection_offset_store VALUES ('p', 'k', '1', 'SEQ', false, 0)");
    }
    String notOurs = oneLineError(migrate(foreign, source.file()), 2);
    assertTrue(notOurs.contains("holds 1 row in pekko_projection_offset_store that this migration did not write"),
        notOurs);
    String notOursEvenWithRestart = oneLineError(migrate(foreign, source.file(), "--restart"), 2);
    assertTrue(notOursEvenWithRestart.contains("did not write"), notOursEvenWithRestart);

    String bad = oneLineError(migrate(schema, source.file(), "--batch-size", "0"), 2);
    assertTrue(bad.contains("--batch-size"), bad);
    assertFalse(TestDatabases.schemaExists(schema), "no refusal wrote anything");
  }

  @Test
  void aSourceChangedSinceTheCheckpointsIsRefusedUntilRestartCopiesItAgain() throws Exception {
    Path copy = JournalFixture.copy(JournalFixture.shared().file(), dir.resolve("changing"));
    String schema = schema("changed");
    assertEquals(0, migrate(schema, copy).exitCode());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement st = c.createStatement()) {
      st.execute("INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp, event_ser_id,"
          + " event_ser_manifest, event_payload) VALUES ('Node|x', 1, 'w', 0, 1, 'm', x'00')");
    }

    String changed = oneLineError(migrate(schema, copy), 2);

    assertTrue(changed.contains("the source changed since the checkpoints"), changed);
    assertTrue(changed.contains("event_journal had 1652 rows then, 1653 now"), changed);
    assertTrue(changed.contains("--restart"), changed);
    ChildProcess.Result restarted = migrate(schema, copy, "--restart");
    assertEquals(0, restarted.exitCode(), restarted.stdout() + restarted.stderr());
    assertTrue(restarted.stdout().matches("(?s).*\\nevent_journal +1,653 +1,653 .* OK\\n.*"), restarted.stdout());
  }

  @Test
  void sigtermStopsAfterTheBatchBeingWrittenAndSaysHowToCarryOn() throws Exception {
    String schema = schema("sigterm");
    try (ChildProcess p = ChildProcess.start(dir, env(schema), "db", "migrate-to-postgres", "--source",
        JournalFixture.shared().file().toString(), "--batch-size", "5")) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (p.process().isAlive() && checkpointed(schema) < 300 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(p.process().isAlive(), "still copying when told to stop\n" + p.stdout() + p.stderr());

      int code = p.terminate();

      assertEquals(1, code, p.stdout() + p.stderr());
      assertTrue(p.stdout().contains("Stopped on request: "), p.stdout());
      assertTrue(p.stdout().contains("Run the command again to carry on."), p.stdout());
    }
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name, rows_copied FROM " + schema
            + ".meshhub_migration_checkpoint")) {
      while (rs.next()) {
        try (Statement count = c.createStatement();
            ResultSet n = count.executeQuery("SELECT COUNT(*) FROM " + schema + "." + rs.getString(1))) {
          n.next();
          assertEquals(rs.getLong(2), n.getLong(1), rs.getString(1) + ": exactly the rows its checkpoint counts");
        }
      }
    }
    ChildProcess.Result resumed = migrate(schema, JournalFixture.shared().file());
    assertEquals(0, resumed.exitCode(), resumed.stdout() + resumed.stderr());
    assertTrue(resumed.stdout().contains("carry on from the checkpoints of an interrupted run"), resumed.stdout());
  }

  private static long checkpointed(String schema) throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + schema + ".meshhub_migration_checkpoint')")) {
        rs.next();
        if (rs.getString(1) == null) {
          return 0;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(rows_copied), 0) FROM " + schema
          + ".meshhub_migration_checkpoint")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void aRoleWithoutTheRightToCreateTheSchemaIsRefused() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP ROLE IF EXISTS " + ROLE);
      st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'secret-of-the-role'");
    }
    String schema = schema("noright");
    Map<String, String> env = env(schema);
    env.put("DATABASE_URL", TestDatabases.postgresUrl().replace("user=postgres", "user=" + ROLE));
    env.put("DATABASE_PASSWORD", "secret-of-the-role");

    ChildProcess.Result r = ChildProcess.run(dir, env, "db", "migrate-to-postgres", "--source",
        JournalFixture.shared().file().toString());

    String line = oneLineError(r, 2);
    assertTrue(line.contains("may not create the schema"), line);
    assertFalse(line.contains("secret-of-the-role"));
  }

  @Test
  void anUnreachableTargetEndsInOneLineAndExitCode1() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATABASE_URL",
        "postgresql://meshhub:pw@127.0.0.1:9/meshhub", "DATABASE_CONNECT_TIMEOUT", "1"),
        "db", "migrate-to-postgres", "--source", JournalFixture.shared().file().toString());
    String line = oneLineError(r, 1);
    assertTrue(line.contains("not reachable"), line);
  }

  /** Tables, columns and row counts of a schema, to tell whether anything changed. */
  private static String catalog(String schema) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name, string_agg(column_name || ' ' || data_type, ','"
            + " ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '" + schema
            + "' GROUP BY table_name ORDER BY table_name")) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append(':').append(rs.getString(2)).append('\n');
      }
    }
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + schema + ".meshhub_schema_version")) {
      rs.next();
      sb.append("versions:").append(rs.getLong(1));
    }
    return sb.toString();
  }
}
