package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.MeshCoreHubFixture;

/**
 * The import with PostgreSQL on either side: a MeshCore Hub SQLite file into MeshHub on PostgreSQL, and a MeshCore
 * Hub PostgreSQL database (its schema created in a scratch schema from MeshCore Hub's PostgreSQL DDL) into MeshHub on
 * SQLite. Either way the API answers for the history row by row.
 */
class PostgresMeshCoreHubImportTest {
  private static final String BASE = TestDatabases.uniqueSchema(PostgresMeshCoreHubImportTest.class);
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static final String SECRET = "not-to-be-printed-7c1e";

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

  @Test
  void importsASqliteFileIntoMeshHubOnPostgresAndTheApiAnswersForItsHistory() throws Exception {
    Path source = MeshCoreHubFixture.writeSqlite(dir.resolve("meshcore.db"),
        MeshCoreHubFixture.Generation.V0_18);
    String target = schema("target");
    Map<String, String> env = TestDatabases.postgresEnvMap(target);
    ChildProcess.Result dry = MeshCoreHubImportTest.importHub(dir, env, source.toString(), "--dry-run");
    assertEquals(0, dry.exitCode(), dry.stdout() + dry.stderr());
    assertFalse(TestDatabases.schemaExists(target), "a dry run creates no schema");

    MeshCoreHubImportTest.reconciled(MeshCoreHubImportTest.importHub(dir, env, source.toString()));

    try (MeshHubServer server = MeshHubServer.start(Env.of(LocalServers.env(env)))) {
      MeshCoreHubAnswers.check(server.port());
    }
  }

  @Test
  void anImportIsRefusedWhileAServerWritesTheSchema() throws Exception {
    Path source = MeshCoreHubFixture.writeSqlite(dir.resolve("meshcore.db"),
        MeshCoreHubFixture.Generation.V0_18);
    Map<String, String> env = TestDatabases.postgresEnvMap(schema("busy"));
    try (MeshHubServer server = MeshHubServer.start(Env.of(LocalServers.env(env)))) {
      ChildProcess.Result r = MeshCoreHubImportTest.importHub(dir, env, source.toString());
      assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
      String[] lines = r.stderr().strip().split("\n");
      assertEquals(1, lines.length, "one line: " + r.stderr());
      assertTrue(lines[0].contains("in use by another MeshHub"), lines[0]);
      assertEquals(0, eventsIn(server), "nothing was imported");
    }
  }

  private static long eventsIn(MeshHubServer server) throws Exception {
    try (Connection c = server.database().connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM event_journal")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void readsAMeshCoreHubPostgresDatabaseWithoutChangingItOrPrintingItsPassword() throws Exception {
    String hub = schema("hub");
    try (Connection admin = TestDatabases.adminConnection()) {
      MeshCoreHubFixture.writePostgres(admin, hub);
    }
    String before = checksum(hub);
    Map<String, String> env = TestDatabases.sqliteEnvMap(dir.resolve("data"));

    ChildProcess.Result r = MeshCoreHubImportTest.importHub(dir, env, psycopgUrl(SECRET), "--source-schema", hub);

    MeshCoreHubImportTest.reconciled(r);
    assertTrue(r.stdout().contains("MeshCore Hub schema a59611449e2a"), r.stdout());
    assertFalse(r.stdout().contains(SECRET) || r.stderr().contains(SECRET), "the password is never printed");
    assertEquals(before, checksum(hub), "every table of the MeshCore Hub schema is unchanged");
    try (MeshHubServer server = MeshHubServer.start(Env.of(LocalServers.env(env)))) {
      MeshCoreHubAnswers.check(server.port());
    }

    // Without --source-schema: MeshCore Hub's default schema, which is not there; and a URL with no password.
    ChildProcess.Result wrongSchema = MeshCoreHubImportTest.importHub(dir,
        TestDatabases.sqliteEnvMap(dir.resolve("other")), psycopgUrl(null), "--dry-run");
    assertEquals(2, wrongSchema.exitCode(), wrongSchema.stdout() + wrongSchema.stderr());
    assertTrue(wrongSchema.stderr().contains("no alembic_version table in schema meshcorehub"),
        wrongSchema.stderr());
    assertTrue(wrongSchema.stderr().contains(hub), "names the schema that has one: " + wrongSchema.stderr());
    assertFalse(wrongSchema.stderr().contains(":***@"), "no password to mask: " + wrongSchema.stderr());
  }

  /** MeshCore Hub's own URL form for the test PostgreSQL, with a password (trust authentication ignores it) or none. */
  private static String psycopgUrl(String password) {
    URI uri = URI.create(TestDatabases.postgresUrl().substring("jdbc:".length()));
    String user = "postgres";
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        if (pair.startsWith("user=")) {
          user = pair.substring("user=".length());
        }
      }
    }
    return "postgresql+psycopg2://" + user + (password == null ? "" : ":" + password) + "@" + uri.getHost() + ":"
        + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
  }

  /** A digest of every row of every table of a schema. */
  private static String checksum(String schema) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
          + schema + "' ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*), md5(COALESCE(string_agg(x::text, '|' ORDER BY"
            + " x::text), '')) FROM \"" + schema + "\".\"" + t + "\" x")) {
          rs.next();
          all.append(t).append(':').append(rs.getLong(1)).append(':').append(rs.getString(2)).append('\n');
        }
      }
    }
    return all.toString();
  }
}
