package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/** {@code meshhub serve} and friends through a real child process, a real socket and real databases. */
class ServeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = TestDatabases.uniqueSchema(ServeCommandTest.class);
  /** The schema version this build migrates to (the migrations of other features add versions). */
  private static final int LATEST = SchemaMigrations.latestVersion(Dialect.SQLITE);

  @TempDir
  Path dir;

  @AfterAll
  static void dropSchema() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void servesOnSqliteWithZeroConfigurationAndStopsCleanlyOnSigterm() throws Exception {
    int port = ChildProcess.freePort();
    // API_PORT only so that tests never collide with a MeshHub on 8000; everything else is default.
    try (ChildProcess p = ChildProcess.start(dir, Map.of("API_PORT", Integer.toString(port)), "serve")) {
      p.awaitHealthy(port);
      assertTrue(Files.exists(dir.resolve("data/meshhub.db")), "creates ./data/meshhub.db");

      HttpResponse<String> health = ChildProcess.get(port, "/health");
      assertEquals("ok", JSON.readTree(health.body()).get("status").asText());

      JsonNode status = JSON.readTree(ChildProcess.get(port, "/api/v1/db/status").body());
      assertTrue(status.get("configured").asBoolean());
      assertTrue(status.get("initialized").asBoolean());
      assertEquals("sqlite", status.get("dialect").asText());
      assertEquals("main", status.get("schema").asText());
      assertEquals(LATEST, status.get("version").asInt());
      assertTrue(status.get("events").isNumber());

      HttpResponse<String> missing = ChildProcess.get(port, "/api/v1/nope");
      assertEquals(404, missing.statusCode());
      assertEquals("not_found", JSON.readTree(missing.body()).get("error").asText());

      // A second MeshHub on the same file is refused with one line and exit code 2.
      ChildProcess.Result second = ChildProcess.run(dir, Map.of("API_PORT", Integer.toString(ChildProcess.freePort())),
          "serve");
      assertEquals(2, second.exitCode(), second.stderr());
      assertTrue(second.stderr().contains("another MeshHub process"), second.stderr());

      assertEquals(0, p.terminate(), "SIGTERM ends serve with exit code 0\n" + p.stdout());
      assertTrue(p.stdout().contains("Stopped"), p.stdout());
      assertTrue(p.stdout().contains("API keys: reads open (API_READ_KEY unset), admin endpoints disabled"
          + " (API_ADMIN_KEY unset)"), "one start-up line says whether the keys are on\n" + p.stdout());
    } finally {
      // Zero configuration includes MQTT on localhost: drop the persistent session it left on the test broker.
      DatabaseSettings defaults = DatabaseSettings.fromEnv(Env.of(Map.of("DATA_HOME", dir.resolve("data").toString())));
      TestMqtt.forgetSession(TestMqtt.serverUri(), MqttSettings.fromEnv(Env.of(Map.of()), defaults, ClusterSettings.local()).clientId());
    }
  }

  @Test
  void servesOnPostgresInANamedSchema() throws Exception {
    int port = ChildProcess.freePort();
    Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(SCHEMA));
    env.put("API_PORT", Integer.toString(port));
    // Readiness here is about PostgreSQL; MQTT readiness has tests of its own.
    env.put("MQTT_ENABLED", "false");
    try (ChildProcess p = ChildProcess.start(dir, env, "serve")) {
      p.awaitHealthy(port);
      JsonNode status = JSON.readTree(ChildProcess.get(port, "/api/v1/db/status").body());
      assertEquals("postgresql", status.get("dialect").asText());
      assertEquals(SCHEMA, status.get("schema").asText());
      assertTrue(status.get("initialized").asBoolean());
      assertEquals(200, ChildProcess.get(port, "/health/ready").statusCode());
      assertFalse(Files.exists(dir.resolve("data/meshhub.db")), "no SQLite file on PostgreSQL");
      assertEquals(0, p.terminate());
      assertFalse(p.stdout().contains(env.get("DATABASE_PASSWORD")), "no password in the log");
    }
  }

  @Test
  void eachBadSettingEndsInOneLineNamingTheVariableAndExitCode2() throws Exception {
    Map<String, Map<String, String>> cases = Map.of(
        "DATABASE_BACKEND", Map.of("DATABASE_BACKEND", "mongodb"),
        "DATABASE_PASSWORD", Map.of("DATABASE_BACKEND", "postgres"),
        "DATABASE_SCHEMA", Map.of("DATABASE_SCHEMA", "Robert'); DROP TABLE x;--"),
        "DATA_HOME", Map.of("DATA_HOME", "/proc/meshhub-cannot-exist"),
        "API_PORT", Map.of("API_PORT", "eighty"),
        "MQTT_PREFIX", Map.of("MQTT_PREFIX", "meshcore/#"),
        "CHANNEL_KEYS", Map.of("CHANNEL_KEYS", "ops=not-hex"),
        "API_READ_KEY", Map.of("API_READ_KEY", "   "),
        "API_ADMIN_KEY", Map.of("API_ADMIN_KEY", "too-short-key"),
        "API_CORS_ORIGINS", Map.of("API_CORS_ORIGINS", "https://map.example/page"));
    for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
      ChildProcess.Result r = ChildProcess.run(dir, c.getValue(), "serve");
      assertEquals(2, r.exitCode(), c.getKey() + ": " + r.stderr());
      String[] lines = r.stderr().strip().split("\n");
      assertEquals(1, lines.length, c.getKey() + " should print one line: " + r.stderr());
      assertTrue(lines[0].startsWith("error: " + c.getKey()), lines[0]);
    }
  }

  @Test
  void anApiPortInUseIsOneLineAndExitCode2AndCreatesNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path dataHome = dir.resolve("port-in-use");
      ChildProcess.Result r = ChildProcess.run(dir, Map.of("API_HOST", "127.0.0.1", "API_PORT",
          Integer.toString(taken.getLocalPort()), "DATA_HOME", dataHome.toString(), "MQTT_ENABLED", "false"), "serve");
      assertEquals(2, r.exitCode(), r.stderr());
      String[] lines = r.stderr().strip().split("\n");
      assertEquals(1, lines.length, "one line: " + r.stderr());
      assertTrue(lines[0].startsWith("error: API_PORT: cannot listen on 127.0.0.1:" + taken.getLocalPort()), lines[0]);
      assertFalse(r.stdout().contains("Exception"), r.stdout());
      assertFalse(Files.exists(dataHome), "nothing is created before the port is known to be free");
    }
  }

  @Test
  void passwordIsNeverPrintedEvenWhenTheLoginFails() throws Exception {
    String secret = "hunter2-very-secret";
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATABASE_BACKEND", "postgres",
        "DATABASE_URL", "postgresql://meshhub:" + secret + "@127.0.0.1:9/meshhub", "DATABASE_CONNECT_TIMEOUT", "1"),
        "db", "upgrade");
    assertEquals(1, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("not reachable"), r.stderr());
    assertFalse(r.stderr().contains(secret) || r.stdout().contains(secret));
  }

  @Test
  void dbUpgradeIsIdempotentAndStatusReportsTheVersion() throws Exception {
    Map<String, String> env = TestDatabases.sqliteEnvMap(dir.resolve("d"));
    ChildProcess.Result first = ChildProcess.run(dir, env, "db", "upgrade");
    assertEquals(0, first.exitCode(), first.stderr());
    assertTrue(first.stdout().contains("upgraded from version 0 to " + LATEST), first.stdout());
    ChildProcess.Result second = ChildProcess.run(dir, env, "db", "upgrade");
    assertEquals(0, second.exitCode(), second.stderr());
    assertTrue(second.stdout().contains("up to date at version " + LATEST), second.stdout());
    ChildProcess.Result status = ChildProcess.run(dir, env, "db", "status", "--json");
    assertEquals(0, status.exitCode(), status.stderr());
    JsonNode json = JSON.readTree(status.stdout());
    assertEquals(LATEST, json.get("version").asInt());
    assertEquals(0, json.get("events").asInt());
    List<String> tables = new ArrayList<>();
    json.get("tables").fieldNames().forEachRemaining(tables::add);
    assertEquals(List.of("nodes", "messages", "advertisements", "receptions", "advert_receptions"),
        tables.subList(0, 5), "the read tables first, in a stable order");
    ChildProcess.Result text = ChildProcess.run(dir, env, "db", "status");
    assertTrue(text.stdout().matches("(?s).*nodes +0 rows\\n.*messages +0 rows\\n.*"), text.stdout());
  }

  @Test
  void helpListsTheCommands() throws Exception {
    ChildProcess.Result top = ChildProcess.run(dir, Map.of(), "--help");
    assertEquals(0, top.exitCode());
    assertTrue(top.stdout().contains("serve") && top.stdout().contains("db"), top.stdout());
    ChildProcess.Result db = ChildProcess.run(dir, Map.of(), "db", "--help");
    assertEquals(0, db.exitCode());
    assertTrue(db.stdout().contains("upgrade") && db.stdout().contains("status"), db.stdout());
    ChildProcess.Result wrong = ChildProcess.run(dir, Map.of(), "frobnicate");
    assertEquals(2, wrong.exitCode());
  }
}
