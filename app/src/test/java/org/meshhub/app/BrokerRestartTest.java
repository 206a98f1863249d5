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
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.PrivateMosquitto;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/** A broker that dies and comes back: readiness says so, and ingestion resumes on its own. */
class BrokerRestartTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static HttpResponse<String> get(MeshHubServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 90 s: " + what);
      }
      Thread.sleep(100);
    }
  }

  static int status(MeshHubServer server, String path) {
    try {
      return get(server, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static long events(MeshHubServer server) {
    try {
      return JSON.readTree(get(server, "/api/v1/db/status").body()).get("events").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  static void publishTrace(PrivateMosquitto broker, String prefix, String observer, long tag) {
    MqttClient publisher = TestMqtt.publisher(broker.serverUri());
    try {
      String raw = String.format("2600%08X0000000000FB", Integer.reverseBytes((int) tag));
      TestMqtt.publish(publisher, LetsMesh.topic(prefix, observer, "packets"),
          LetsMesh.packet(raw, null, Instant.now(), "2", "-100"));
    } finally {
      TestMqtt.disconnect(publisher);
    }
  }

  @Test
  void readinessGoes503WhileTheBrokerIsDownAndIngestionResumesWhenItIsBack() throws Exception {
    try (PrivateMosquitto broker = PrivateMosquitto.start(dir)) {
      String prefix = TestMqtt.uniquePrefix(BrokerRestartTest.class);
      Map<String, String> env = LocalServers.env(TestDatabases.sqliteEnvMap(dir.resolve("data")));
      env.putAll(TestMqtt.env("127.0.0.1", broker.port(), prefix, TestMqtt.uniqueClientId(BrokerRestartTest.class)));
      env.put("MQTT_KEEPALIVE", "2");
      String observer = Samples.publicKey(61);
      try (MeshHubServer server = MeshHubServer.start(Env.of(env))) {
        await("ready", () -> status(server, "/health/ready") == 200);
        for (int i = 0; i < 5; i++) {
          publishTrace(broker, prefix, observer, 1000 + i);
        }
        await("first batch stored", () -> events(server) == 5);

        broker.kill();
        await("not ready while the broker is down", () -> status(server, "/health/ready") == 503);
        JsonNode body = JSON.readTree(get(server, "/health/ready").body());
        assertEquals("not_ready", body.get("status").asText());
        assertTrue(body.get("problems").toString().contains("mqtt: not connected to tcp://127.0.0.1:" + broker.port()),
            body.toString());

        broker.startAgain();
        // The new broker knows nothing of the old session: MeshHub subscribes again on the new connection.
        await("ready again", () -> status(server, "/health/ready") == 200);
        for (int i = 5; i < 10; i++) {
          publishTrace(broker, prefix, observer, 1000 + i);
        }
        await("second batch stored", () -> events(server) == 10);
        String metrics = get(server, "/metrics").body();
        assertTrue(metrics.contains("meshhub_mqtt_connected 1"), metrics);
        assertTrue(metrics.contains("meshhub_mqtt_connections_lost_total 1"), metrics);
      }
    }
  }
}
