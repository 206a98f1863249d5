package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.http.Json;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.config.Env;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.testing.ReadSideData;
import org.meshhub.projections.testing.ReadSideTesting;

/**
 * A MeshHub that ran on SQLite with its projections, migrated by the command, then serving on PostgreSQL: the read
 * API answers the same, and the projections carry on from the copied offsets with the next events only.
 */
class MigrationReadSideTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(MigrationReadSideTest.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> PAGES = List.of("/api/v1/nodes?limit=100", "/api/v1/messages?limit=100",
      "/api/v1/advertisements?limit=100", "/api/v1/nodes/" + ReadSideData.ALPHA,
      "/api/v1/messages?limit=100&channel_idx=" + ReadSideData.PUBLIC,
      "/api/v1/nodes/" + ReadSideData.ALPHA + "/tags", "/api/v1/trace-paths", "/api/v1/telemetry",
      "/api/v1/packets?limit=100", "/api/v1/channels");

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void theReadApiOnPostgresAnswersAsOnSqliteAndTheProjectionsCarryOnWithTheNextEventsOnly() throws Exception {
    Map<String, String> sqlite = LocalServers.env(TestDatabases.sqliteEnvMap(dir.resolve("data")),
        "MQTT_ENABLED", "false");
    Map<String, Map<String, Object>> before;
    try (MeshHubServer server = MeshHubServer.start(Env.of(sqlite))) {
      ReadSideData.send(server.system(), Instant.now());
      ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(90));
      before = answers(server.port());
    }

    Map<String, String> target = new HashMap<>(TestDatabases.postgresEnvMap(SCHEMA));
    ChildProcess.Result migrated = ChildProcess.run(dir, target, "db", "migrate-to-postgres", "--source",
        dir.resolve("data/meshhub.db").toString());
    assertEquals(0, migrated.exitCode(), migrated.stdout() + migrated.stderr());
    for (String table : List.of("nodes", "messages", "receptions", "read_models", "node_stats")) {
      assertTrue(migrated.stdout().matches("(?s).*\\n" + table + " +[0-9,]+ +[0-9,]+ +[0-9a-f]{16} +[0-9a-f]{16} +OK"
          + "\\n.*"), table + " is copied and verified:\n" + migrated.stdout());
    }

    Map<String, String> postgres = LocalServers.env(target, "MQTT_ENABLED", "false");
    try (MeshHubServer server = MeshHubServer.start(Env.of(postgres))) {
      ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(90));
      assertEquals(before, answers(server.port()), "the read API answers the same on PostgreSQL");
      long nodes = (Long) before.get(PAGES.get(0)).get("total");

      String fresh = Samples.publicKey(777_777);
      NodeEntity.Advert advert = new NodeEntity.Advert(1_760_000_000L, "After the move", "repeater", 0x92, 47.6,
          -122.3, true, null, null);
      Outcome outcome = ClusterSharding.get(server.system()).entityRefFor(NodeEntity.ENTITY_KEY, fresh)
          .<Outcome>askWithStatus(r -> new NodeEntity.RecordAdvert(advert,
              new Reception(ReadSideData.O1, Instant.now(), 4.0, -99, 0, null), r), Duration.ofSeconds(60))
          .toCompletableFuture().get(90, TimeUnit.SECONDS);
      assertEquals(Outcome.RECORDED, outcome);
      ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(90));

      JsonNode after = json(server.port(), PAGES.get(0));
      assertEquals(nodes + 1, after.get("total").asInt(), "the new node, and nothing projected twice");
      assertEquals("After the move", json(server.port(), "/api/v1/nodes/" + fresh).get("name").asText());
      assertEquals(before.get(PAGES.get(3)), normalized(json(server.port(), PAGES.get(3))),
          "an old node is not projected again");
    }
  }

  /** Each page's answer, with the items of a list as a set (ties in the sort order may come either way). */
  private static Map<String, Map<String, Object>> answers(int port) throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String page : PAGES) {
      out.put(page, normalized(json(port, page)));
    }
    return out;
  }

  private static Map<String, Object> normalized(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isArray()) {
        TreeSet<String> items = new TreeSet<>();
        e.getValue().forEach(i -> items.add(i.toString()));
        out.put(e.getKey(), items);
      } else {
        out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asLong() : e.getValue().toString());
      }
    });
    return out;
  }

  private static JsonNode json(int port, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    return Json.MAPPER.readTree(r.body());
  }
}
