package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.http.Json;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.MeshCoreHubFixture;

/**
 * The import killed with SIGKILL twice, once while node entities take adverts and once while messages go to the
 * journal, then run to its end: every checkpoint holds only what was stored, what is sent again is recognised, and
 * the read models end with every advert, message and reception once.
 */
class MeshCoreHubImportKillTest {
  private static final int ADVERTS = 3_000;
  private static final int MESSAGES = 12_000;

  @TempDir
  Path dir;

  @Test
  void killedTwiceMidImportAndRunAgainItEndsWithEveryRowOnce() throws Exception {
    Path source = dir.resolve("meshcore.db");
    MeshCoreHubFixture.Synthetic written = MeshCoreHubFixture.writeSynthetic(source,
        MeshCoreHubFixture.Generation.V0_18, 40, 3, ADVERTS, MESSAGES, 7);
    String before = MeshCoreHubFixture.checksum(source);
    Path dataHome = dir.resolve("data");
    Map<String, String> env = TestDatabases.sqliteEnvMap(dataHome);
    Path target = dataHome.resolve("meshhub.db");

    killWhen(env, source, target, "advertisements", ADVERTS / 3);
    Map<String, Long> afterFirst = rowsRead(target);
    assertTrue(afterFirst.get("advertisements") >= ADVERTS / 3 && afterFirst.get("advertisements") < ADVERTS,
        "killed part-way through the adverts: " + afterFirst);

    killWhen(env, source, target, "messages", MESSAGES / 3);
    Map<String, Long> afterSecond = rowsRead(target);
    assertTrue(afterSecond.get("messages") >= MESSAGES / 3 && afterSecond.get("messages") < MESSAGES,
        "killed part-way through the messages: " + afterSecond);
    // Messages go to the journal in one transaction with their checkpoint: exactly the packets it counts are there.
    assertEquals(expected(target, "messages", "messages"), count(target,
        "SELECT COUNT(DISTINCT persistence_id) FROM event_journal WHERE persistence_id LIKE 'Message|%'"),
        "the journal holds exactly the messages the checkpoint counts");

    ChildProcess.Result last = MeshCoreHubImportTest.importHub(dir, env, source.toString(), "--batch-size", "100");
    assertEquals(0, last.exitCode(), last.stdout() + last.stderr());
    String out = last.stdout();
    assertTrue(out.contains("carry on from the checkpoints of an interrupted import"), out);
    assertTrue(out.contains("Every source table is accounted for."), out);
    assertFalse(out.contains("MISMATCH"), out);
    long observerRows = written.observerRows();
    assertTrue(out.matches("(?s).*\\nmessages +12,000 +12,000 +0 +[0-9,]+ +messages +12,000 +12,000 +OK\\n.*"), out);
    assertTrue(out.matches("(?s).*\\nadvertisements +3,000 +3,000 +0 +[0-9,]+ +advertisements +3,000 +3,000 +OK\\n.*"),
        out);
    assertEquals(before, MeshCoreHubFixture.checksum(source), "the source is unchanged");

    long messageReceptions = count(target, "SELECT COUNT(*) FROM receptions WHERE kind = 'message'");
    long advertReceptions = count(target, "SELECT COUNT(*) FROM advert_receptions");
    assertEquals(observerRows, messageReceptions + advertReceptions, "one reception per observer row, none twice");
    try (MeshHubServer server = MeshHubServer.start(Env.of(LocalServers.env(env)))) {
      JsonNode messages = Json.MAPPER.readTree(ChildProcess.get(server.port(), "/api/v1/messages?limit=1").body());
      assertEquals(MESSAGES, messages.get("total").asInt());
      JsonNode adverts = Json.MAPPER.readTree(ChildProcess.get(server.port(), "/api/v1/advertisements?limit=1")
          .body());
      assertEquals(ADVERTS, adverts.get("total").asInt());
    }
  }

  /** Runs the import and kills it with SIGKILL once {@code table}'s checkpoint has passed {@code rows}. */
  private void killWhen(Map<String, String> env, Path source, Path target, String table, long rows)
      throws Exception {
    try (ChildProcess p = ChildProcess.start(dir, env, "db", "import-meshcore-hub", source.toString(),
        "--batch-size", "100")) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (p.process().isAlive() && System.nanoTime() < deadline && !Files.exists(target)) {
        Thread.sleep(10);
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target)) {
        while (p.process().isAlive() && System.nanoTime() < deadline) {
          if (rowsRead(c).getOrDefault(table, 0L) >= rows) {
            break;
          }
          Thread.sleep(2);
        }
        assertTrue(p.process().isAlive(), "still importing when killed\n" + p.stdout() + p.stderr());
        p.kill();
      }
    }
  }

  private static Map<String, Long> rowsRead(Path target) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target)) {
      return rowsRead(c);
    }
  }

  private static Map<String, Long> rowsRead(Connection c) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 5000");
      try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE name = 'meshhub_import_checkpoint'")) {
        if (!rs.next()) {
          return out;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT source_table, rows_read FROM meshhub_import_checkpoint")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** A read table's rows the checkpoint of {@code table} says its rows make. */
  private static long expected(Path target, String table, String readTable) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT counters FROM meshhub_import_checkpoint WHERE source_table = '"
            + table + "'")) {
      rs.next();
      JsonNode counters = Json.MAPPER.readTree(rs.getString(1));
      return counters.path("expect." + readTable).asLong(0);
    }
  }

  private static long count(Path target, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + target); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
