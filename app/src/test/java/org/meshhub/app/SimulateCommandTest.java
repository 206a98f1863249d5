package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.simulate.Publication;
import org.meshhub.core.simulate.SyntheticMesh;

/** {@code meshhub simulate} run as a user runs it, against the real Mosquitto and a real HTTP server. */
class SimulateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MOSQUITTO = "tcp://127.0.0.1:1883";
  private static final String START = "2026-03-01T12:00:00Z";

  @TempDir
  Path dir;

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static String oneLine(ChildProcess.Result r) {
    String[] lines = r.stderr().strip().split("\n");
    assertEquals(1, lines.length, "one line on stderr, got:\n" + r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace:\n" + r.stderr());
    return lines[0];
  }

  @Test
  void badArgumentsAndSettingsEndInOneLineAndExitCode2() throws Exception {
    Map<String, Map<String, String>> envs = new LinkedHashMap<>();
    Map<String, String[]> args = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    add(args, envs, expected, "--nodes", Map.of(), "--nodes", "0");
    add(args, envs, expected, "--rate", Map.of(), "--rate", "0");
    add(args, envs, expected, "'fast'", Map.of(), "--rate", "fast");
    add(args, envs, expected, "not a duration", Map.of(), "--duration", "5 weeks");
    add(args, envs, expected, "more than zero", Map.of(), "--duration", "0s");
    add(args, envs, expected, "no reception", Map.of(), "--rate", "0.1", "--duration", "2s");
    add(args, envs, expected, "--target", Map.of(), "--target", "ftp");
    add(args, envs, expected, "--observers", Map.of(), "--observers", "0");
    add(args, envs, expected, "--url applies", Map.of(), "--url", "http://127.0.0.1:1");
    add(args, envs, expected, "http:// or https://", Map.of("API_ADMIN_KEY", "k"), "--target", "http", "--url",
        "ftp://example.org");
    add(args, envs, expected, "--start", Map.of(), "--start", "yesterday");
    add(args, envs, expected, "--frobnicate", Map.of(), "--frobnicate");
    add(args, envs, expected, "error: MQTT_PORT", Map.of("MQTT_PORT", "eighty"));
    add(args, envs, expected, "error: MQTT_PREFIX", Map.of("MQTT_PREFIX", "mesh/#"));
    add(args, envs, expected, "error: API_ADMIN_KEY", Map.of(), "--target", "http");

    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Map<String, Future<ChildProcess.Result>> runs = new LinkedHashMap<>();
      for (String name : args.keySet()) {
        List<String> argv = new ArrayList<>(List.of("simulate"));
        argv.addAll(List.of(args.get(name)));
        if (!argv.contains("--duration")) {
          argv.addAll(List.of("--duration", "1s")); // short, should a case wrongly start publishing
        }
        runs.put(name, pool.submit(() -> ChildProcess.run(dir, envs.get(name), argv.toArray(String[]::new))));
      }
      for (Map.Entry<String, Future<ChildProcess.Result>> run : runs.entrySet()) {
        ChildProcess.Result r = run.getValue().get(3, TimeUnit.MINUTES);
        assertEquals(2, r.exitCode(), run.getKey() + ": " + r.stderr() + r.stdout());
        String line = oneLine(r);
        assertTrue(line.startsWith("error: "), line);
        assertTrue(line.contains(expected.get(run.getKey())), run.getKey() + " -> " + line);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void add(Map<String, String[]> args, Map<String, Map<String, String>> envs,
      Map<String, String> expected, String expect, Map<String, String> env, String... argv) {
    String name = expect + " " + String.join(" ", argv);
    args.put(name, argv);
    envs.put(name, env);
    expected.put(name, expect);
  }

  /** Collects everything published under a prefix, through a real subscription at QoS 1. */
  static final class Subscriber implements AutoCloseable {
    final List<String> topics = Collections.synchronizedList(new ArrayList<>());
    final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
    private final MqttClient client;

    Subscriber(String prefix) throws MqttException {
      client = new MqttClient(MOSQUITTO, "meshhub-test-" + prefix, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setMaxInflight(1000);
      try {
        client.connect(options);
      } catch (MqttException e) {
        throw new AssertionError("Mosquitto is needed at " + MOSQUITTO + " (start it with "
            + "'mosquitto -d -c /etc/mosquitto/mosquitto.conf'): " + e.getMessage(), e);
      }
      client.subscribe(prefix + "/#", 1, (topic, message) -> {
        synchronized (this) {
          topics.add(topic);
          payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }
      });
    }

    synchronized int count() {
      return topics.size();
    }

    synchronized List<String> entries() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < topics.size(); i++) {
        out.add(topics.get(i) + " " + payloads.get(i));
      }
      return out;
    }

    @Override
    public void close() throws MqttException {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void publishesExactlyRateTimesDurationReceptionsToMosquittoAsTheSeededMeshDoes() throws Exception {
    String prefix = "meshhub-test/simulate-" + Long.toHexString(System.nanoTime());
    try (Subscriber subscriber = new Subscriber(prefix)) {
      Map<String, String> env = Map.of("MQTT_HOST", "127.0.0.1", "MQTT_PORT", "1883", "MQTT_PREFIX", prefix);
      ChildProcess.Result r = ChildProcess.run(dir, env, "simulate", "--nodes", "12", "--rate", "40",
          "--duration", "3s", "--seed", "9", "--start", START);
      assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
      assertTrue(r.stdout().contains("Published 120 receptions and 3 status messages"), r.stdout());

      await("123 messages at the subscriber", () -> subscriber.count() >= 123);
      Thread.sleep(500); // anything extra would arrive now
      List<String> received = subscriber.entries();
      assertEquals(123, received.size(), "120 receptions and one status per observer, nothing more");

      // Byte for byte what the seeded mesh makes in-process.
      SyntheticMesh mesh = new SyntheticMesh(SyntheticMesh.Settings.of(9, 12, 3, 40, Instant.parse(START))
          .withPrefix(prefix));
      List<String> expected = new ArrayList<>();
      while (mesh.receptions() < 120) {
        Publication p = mesh.next();
        expected.add(p.topic() + " " + p.payloadText());
      }
      List<String> sortedReceived = new ArrayList<>(received);
      Collections.sort(sortedReceived);
      Collections.sort(expected);
      assertEquals(expected, sortedReceived);

      PacketDecoder decoder = new PacketDecoder(ChannelKeys.defaults().with(SyntheticMesh.HASHTAG_CHANNEL));
      for (int i = 0; i < received.size(); i++) {
        if (subscriber.topics.get(i).endsWith("/packets")) {
          JsonNode doc = JSON.readTree(subscriber.payloads.get(i));
          DecodeResult result = decoder.decodeHex(doc.get("raw").asText());
          DecodeResult.Decoded decoded = assertInstanceOf(DecodeResult.Decoded.class, result);
          assertEquals(decoded.packet().hash(), doc.get("hash").asText());
        }
      }
    }
  }

  /** A stand-in MeshHub API: /health, and /api/v1/ingest recording each batch and its Authorization header. */
  static final class IngestServer implements AutoCloseable {
    final HttpServer server;
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> items = Collections.synchronizedList(new ArrayList<>());
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final int status;

    IngestServer(int status) throws IOException {
      this.status = status;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/health", exchange -> answer(exchange, 200, "{\"status\":\"ok\"}"));
      server.createContext("/api/v1/ingest", this::ingest);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
    }

    private void ingest(HttpExchange exchange) throws IOException {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      if (status != 200) {
        answer(exchange, status, "{\"error\":\"unauthorized\",\"detail\":\"wrong API key\"}");
        return;
      }
      assertTrue(body.isArray(), "a batch is an array");
      assertEquals("POST", exchange.getRequestMethod());
      assertEquals("application/json", exchange.getRequestHeaders().getFirst("Content-Type"));
      batchSizes.add(body.size());
      body.forEach(items::add);
      answer(exchange, 200, "{\"accepted\":" + body.size() + ",\"rejected\":0,\"reasons\":{}}");
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void postsBatchesWithTheAdminKeyToTheIngestEndpoint() throws Exception {
    try (IngestServer api = new IngestServer(200)) {
      Map<String, String> env = new HashMap<>(Map.of("API_ADMIN_KEY", "sim-admin-key", "MQTT_PREFIX", "meshcore"));
      ChildProcess.Result r = ChildProcess.run(dir, env, "simulate", "--target", "http", "--url", api.url(),
          "--nodes", "8", "--rate", "100", "--duration", "2s", "--batch-size", "25");
      assertEquals(0, r.exitCode(), r.stderr() + r.stdout());
      assertEquals(203, api.items.size(), "200 receptions and 3 status messages");
      assertTrue(api.batchSizes.stream().allMatch(n -> n >= 1 && n <= 25), api.batchSizes.toString());
      assertTrue(api.authorizations.stream().allMatch("Bearer sim-admin-key"::equals));
      long receptions = 0;
      for (JsonNode item : api.items) {
        String topic = item.get("topic").asText();
        assertTrue(topic.matches("meshcore/[A-Z]{3}/[0-9a-f]{64}/(packets|status)"), topic);
        assertTrue(item.get("payload").isObject(), "the payload is the upload's JSON object");
        if (topic.endsWith("/packets")) {
          receptions++;
          assertEquals("PACKET", item.get("payload").get("type").asText());
        }
      }
      assertEquals(200, receptions);
      assertTrue(r.stdout().contains("Published 200 receptions and 3 status messages"), r.stdout());
      assertTrue(r.stdout().contains("the API accepted 203 and rejected 0"), r.stdout());
      assertFalse(r.stdout().contains("sim-admin-key") || r.stderr().contains("sim-admin-key"), "key not shown");
    }
  }

  @Test
  void aRefusedAdminKeyStopsTheRunWithOneLineAndExitCode1() throws Exception {
    try (IngestServer api = new IngestServer(401)) {
      ChildProcess.Result r = ChildProcess.run(dir, Map.of("API_ADMIN_KEY", "wrong"), "simulate", "--target",
          "http", "--url", api.url(), "--rate", "50", "--duration", "10s", "--batch-size", "5");
      assertEquals(1, r.exitCode(), r.stderr() + r.stdout());
      String line = oneLine(r);
      assertTrue(line.startsWith("error: ") && line.contains("refused the admin key") && line.contains("401"), line);
      assertTrue(api.batchSizes.isEmpty());
    }
  }

  @Test
  void anUnreachableBrokerOrApiEndsInOneLineAndExitCode1() throws Exception {
    int port = ChildProcess.freePort();
    ChildProcess.Result mqtt = ChildProcess.run(dir, Map.of("MQTT_HOST", "127.0.0.1", "MQTT_PORT",
        Integer.toString(port)), "simulate", "--duration", "2s");
    assertEquals(1, mqtt.exitCode(), mqtt.stderr() + mqtt.stdout());
    String line = oneLine(mqtt);
    assertTrue(line.startsWith("error: the MQTT broker at 127.0.0.1:" + port + " is not reachable"), line);

    ChildProcess.Result http = ChildProcess.run(dir, Map.of("API_ADMIN_KEY", "k", "API_PORT",
        Integer.toString(port)), "simulate", "--target", "http", "--duration", "2s");
    assertEquals(1, http.exitCode(), http.stderr() + http.stdout());
    line = oneLine(http);
    assertTrue(line.startsWith("error: the MeshHub API at http://127.0.0.1:" + port + " is not reachable"), line);
  }
}
