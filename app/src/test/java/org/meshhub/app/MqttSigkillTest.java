package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.NodeIdentity;
import org.meshhub.core.decoder.PacketEncoder;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.decoder.RouteType;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/**
 * {@code meshhub serve} killed with SIGKILL in the middle of an MQTT stream, packets published while it is down,
 * then started again with some redeliveries on top: every reception is stored exactly once.
 */
class MqttSigkillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = TestDatabases.uniqueSchema(MqttSigkillTest.class);
  static final int OBSERVERS = 3;
  static final int NODES = 20;
  static final int MESSAGES = 100;

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void onSqliteEveryReceptionIsStoredExactlyOnceThroughASigkill() throws Exception {
    Path data = dir.resolve("data");
    run(TestDatabases.sqliteEnvMap(data), () -> DriverManager.getConnection("jdbc:sqlite:" + data.resolve("meshhub.db")));
  }

  @Test
  void onPostgresEveryReceptionIsStoredExactlyOnceThroughASigkill() throws Exception {
    run(TestDatabases.postgresEnvMap(SCHEMA), () -> {
      Connection c = TestDatabases.adminConnection();
      try (Statement st = c.createStatement()) {
        st.execute("SET search_path TO " + SCHEMA);
      }
      return c;
    });
  }

  interface Connector {
    Connection open() throws Exception;
  }

  void run(Map<String, String> database, Connector connector) throws Exception {
    String prefix = TestMqtt.uniquePrefix(MqttSigkillTest.class);
    String clientId = TestMqtt.uniqueClientId(MqttSigkillTest.class);
    int port = ChildProcess.freePort();
    Map<String, String> env = new HashMap<>(database);
    env.putAll(TestMqtt.env(prefix, clientId));
    env.put("API_PORT", Integer.toString(port));
    env.put("API_HOST", "127.0.0.1");

    List<String> observers = new ArrayList<>();
    for (int o = 0; o < OBSERVERS; o++) {
      observers.add(Samples.publicKey(800 + o));
    }
    List<String[]> stream = stream(prefix, observers);
    int unique = NODES + MESSAGES;
    assertEquals(unique * OBSERVERS, stream.size());
    int firstBatch = 40 * OBSERVERS;

    MqttClient publisher = TestMqtt.publisher();
    long eventsAtKill;
    try {
      try (ChildProcess first = ChildProcess.start(dir, env, "serve")) {
        first.awaitHealthy(port);
        await(first, "MQTT connected", () -> ready(port), 60);
        for (String[] p : stream.subList(0, firstBatch)) {
          TestMqtt.publish(publisher, p[0], p[1]);
        }
        await(first, "some receptions stored", () -> events(port) >= 30, 60);
        first.kill();
        eventsAtKill = events(connector);
        assertFalse(first.process().isAlive());
      }
      assertTrue(eventsAtKill < unique * OBSERVERS, "killed mid-stream: " + eventsAtKill);

      // Published while MeshHub is down: the broker keeps them for its session.
      for (String[] p : stream.subList(firstBatch, stream.size())) {
        TestMqtt.publish(publisher, p[0], p[1]);
      }

      try (ChildProcess second = ChildProcess.start(dir, env, "serve")) {
        second.awaitHealthy(port);
        // Redeliveries of receptions stored before the kill, from the same observers.
        for (int i = 0; i < 30; i++) {
          String[] p = stream.get(i * 3);
          TestMqtt.publish(publisher, p[0], p[1]);
        }
        // A last packet heard by every observer, so that the end of the stream is visible in the journal.
        String ack = "0D00" + "C0FFEE01AB";
        for (String observer : observers) {
          TestMqtt.publish(publisher, LetsMesh.topic(prefix, observer, "packets"),
              LetsMesh.packet(ack, null, Instant.parse("2026-01-10T13:00:00Z"), "1", "-90"));
        }
        int expected = (unique + 1) * OBSERVERS;
        await(second, expected + " receptions stored", () -> events(port) >= expected, 180);
        await(second, "nothing left in flight", () -> inflight(port) == 0, 60);
        assertEquals(0, second.terminate(), second.stdout());
        assertFalse(second.stdout().contains("ERROR"), second.stdout());
      }
    } finally {
      TestMqtt.disconnect(publisher);
      TestMqtt.forgetSession(TestMqtt.serverUri(), clientId);
    }

    try (Connection c = connector.open(); Statement st = c.createStatement()) {
      assertEquals((unique + 1) * OBSERVERS, count(st, "SELECT COUNT(*) FROM event_journal"),
          "one event per reception: nothing lost, nothing doubled");
      assertEquals(NODES, count(st, "SELECT COUNT(DISTINCT persistence_id) FROM event_journal"
          + " WHERE persistence_id LIKE 'Node|%'"));
      assertEquals(MESSAGES + 1, count(st, "SELECT COUNT(DISTINCT persistence_id) FROM event_journal"
          + " WHERE persistence_id LIKE 'Message|%'"));
      assertEquals(0, count(st, "SELECT COUNT(*) FROM (SELECT persistence_id FROM event_journal"
          + " GROUP BY persistence_id HAVING COUNT(*) <> " + OBSERVERS + ") odd"),
          "every packet has exactly one reception per observer");
      assertEquals(0, count(st, "SELECT COUNT(*) FROM rejected_messages"));
    }
  }

  /** Every packet as heard by each observer, observer after observer. */
  static List<String[]> stream(String prefix, List<String> observers) {
    PacketEncoder encoder = new PacketEncoder();
    List<byte[]> packets = new ArrayList<>();
    List<NodeIdentity> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[1] = 77;
      nodes.add(NodeIdentity.fromSeed(seed));
      packets.add(encoder.advert(nodes.get(i), 1_760_000_000L + i, 2, null, null, "Repeater " + i, RouteType.FLOOD,
          List.of(), 1));
    }
    for (int j = 0; j < MESSAGES; j++) {
      packets.add(encoder.groupText(ChannelKey.PUBLIC, 1_760_000_500L + j, "Repeater " + (j % NODES) + ": hi " + j,
          RouteType.FLOOD, List.of(nodes.get(j % NODES).hash(1)), 1));
    }
    List<String[]> stream = new ArrayList<>();
    Instant at = Instant.parse("2026-01-10T12:00:00Z");
    for (int p = 0; p < packets.size(); p++) {
      for (int o = 0; o < observers.size(); o++) {
        stream.add(new String[] {LetsMesh.topic(prefix, observers.get(o), "packets"),
            LetsMesh.packet(packets.get(p), null, at.plusSeconds(p), "4." + o, "-10" + o)});
      }
    }
    assertEquals(PayloadType.ADVERT.value(), (packets.get(0)[0] >> 2) & 0x0F);
    return stream;
  }

  static boolean ready(int port) {
    try {
      return ChildProcess.get(port, "/health/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static long events(int port) {
    try {
      return JSON.readTree(ChildProcess.get(port, "/api/v1/db/status").body()).get("events").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  static long inflight(int port) {
    try {
      String metrics = ChildProcess.get(port, "/metrics").body();
      Matcher m = Pattern.compile("^meshhub_mqtt_inflight (\\S+)$", Pattern.MULTILINE).matcher(metrics);
      return m.find() ? Math.round(Double.parseDouble(m.group(1))) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  static long events(Connector connector) throws Exception {
    try (Connection c = connector.open(); Statement st = c.createStatement()) {
      return count(st, "SELECT COUNT(*) FROM event_journal");
    }
  }

  static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void await(ChildProcess p, String what, BooleanSupplier condition, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (!p.process().isAlive()) {
        throw new AssertionError("meshhub exited while waiting for " + what + "\n" + p.stdout() + p.stderr());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what + "\n" + p.stdout() + p.stderr());
      }
      Thread.sleep(100);
    }
  }
}
