package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/**
 * Two MeshHub nodes in one cluster on one PostgreSQL schema, in-process on loopback: both are let in (the schema
 * lease is their cluster's), each subscribes through the shared subscription and ingests a share of the load, the
 * shares add up to what was published, both serve the same counts and the cluster status, and a node that stops
 * hands its share over to the one that stays.
 */
class TwoNodeClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String SCHEMA = TestDatabases.uniqueSchema(TwoNodeClusterTest.class);

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  private static Map<String, String> node(int port, String seeds, String prefix, String clientId) {
    Map<String, String> env = LocalServers.env(TestDatabases.postgresEnvMap(SCHEMA),
        "CLUSTER_HOST", "127.0.0.1", "CLUSTER_PORT", Integer.toString(port), "CLUSTER_SEED_NODES", seeds);
    env.putAll(TestMqtt.env(prefix, clientId));
    return env;
  }

  @Test
  void bothNodesIngestAShareThatAddsUpAndTheOneThatStaysTakesOverWhenTheOtherStops() throws Exception {
    String prefix = TestMqtt.uniquePrefix(TwoNodeClusterTest.class);
    String id1 = TestMqtt.uniqueClientId(TwoNodeClusterTest.class) + "-1";
    String id2 = TestMqtt.uniqueClientId(TwoNodeClusterTest.class) + "-2";
    int p1 = ChildProcess.freePort();
    int p2 = ChildProcess.freePort();
    String seeds = "127.0.0.1:" + p1 + ",127.0.0.1:" + p2;
    ReceptionStream stream = new ReceptionStream(prefix, 900, "Sensor");
    MqttClient publisher = TestMqtt.publisher();
    MeshHubServer first = MeshHubServer.start(Env.of(node(p1, seeds, prefix, id1)));
    MeshHubServer second = null;
    try {
      second = MeshHubServer.start(Env.of(node(p2, seeds, prefix, id2)));
      MeshHubServer a = first;
      MeshHubServer b = second;
      await("both nodes see two members up", () -> upMembers(a) == 2 && upMembers(b) == 2, 60);
      await("both ready", () -> ready(a) && ready(b), 60);

      int load = 200;
      for (int i = 0; i < load; i++) {
        ReceptionStream.Reception r = stream.get(i);
        TestMqtt.publish(publisher, r.topic(), r.payload());
      }
      await(load + " receptions stored", () -> events() == load, 120);
      // A node counts a message once its entity's reply is back, a moment after the event is stored.
      await("the shares add up to what was published", () -> accepted(a) + accepted(b) == load, 30);
      double acceptedA = accepted(a);
      double acceptedB = accepted(b);
      assertTrue(acceptedA > 0 && acceptedB > 0, "each node ingests a share: " + acceptedA + " + " + acceptedB);
      await("both nodes serve the same counts", () -> dbEvents(a) == load && dbEvents(b) == load, 60);

      JsonNode status = get(a, "/api/v1/cluster");
      assertEquals(2, status.get("members").size(), status.toString());
      assertEquals("held", status.get("lease").get("state").asText(), status.toString());
      Set<String> slices = new HashSet<>();
      int shards = 0;
      for (JsonNode m : status.get("members")) {
        m.get("projections").forEach(p -> assertTrue(slices.add(p.asText()), "each slice runs once: " + p));
        shards += m.get("shards").get("message").asInt();
      }
      assertEquals(8, slices.size(), "every projection slice runs on some member: " + status);
      assertTrue(shards > 0, status.toString());

      ChildProcess.Result cli = ChildProcess.run(dir, Map.of(), "cluster", "status", "--url",
          "http://127.0.0.1:" + a.port());
      assertEquals(0, cli.exitCode(), cli.stderr());
      assertTrue(cli.stdout().contains("2 member(s)") && cli.stdout().contains("127.0.0.1:" + p2)
          && cli.stdout().contains("schema lease: held by this cluster"), cli.stdout());

      // The second node stops as on SIGTERM: it leaves the cluster and the share group; the first gets it all.
      second.close();
      second = null;
      await("one member left", () -> upMembers(a) == 1 && ready(a), 60);
      for (int i = load; i < 2 * load; i++) {
        ReceptionStream.Reception r = stream.get(i);
        TestMqtt.publish(publisher, r.topic(), r.payload());
      }
      await(2 * load + " receptions stored", () -> events() == 2 * load, 120);
      await("the node that stays ingests everything after the other left", () -> accepted(a) == acceptedA + load,
          30);
      assertEquals(0, count("SELECT COUNT(*) FROM (SELECT persistence_id FROM event_journal GROUP BY"
          + " persistence_id HAVING COUNT(*) > 1) twice"), "no reception stored twice");
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
      TestMqtt.disconnect(publisher);
      TestMqtt.forgetSession(TestMqtt.serverUri(), id1);
      TestMqtt.forgetSession(TestMqtt.serverUri(), id2);
    }
  }

  private static long upMembers(MeshHubServer server) {
    try {
      List<String> up = new ArrayList<>();
      get(server, "/api/v1/cluster").get("members").forEach(m -> {
        if (m.get("status").asText().equals("Up")) {
          up.add(m.get("address").asText());
        }
      });
      return up.size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean ready(MeshHubServer server) {
    try {
      return send(server, "/health/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static long dbEvents(MeshHubServer server) {
    try {
      return get(server, "/api/v1/db/status").get("events").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  private static double accepted(MeshHubServer server) {
    try {
      String metrics = send(server, "/metrics").body();
      Matcher m = Pattern.compile("^meshhub_ingest_messages_total\\{result=\"accepted\",?} (\\S+)$",
          Pattern.MULTILINE).matcher(metrics);
      assertTrue(m.find(), metrics);
      return Double.parseDouble(m.group(1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode get(MeshHubServer server, String path) throws Exception {
    HttpResponse<String> r = send(server, path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> send(MeshHubServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long events() {
    return TestDatabases.journalEvents(SCHEMA);
  }

  private static long count(String sql) throws SQLException {
    return TestDatabases.count(SCHEMA, sql);
  }

  private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
