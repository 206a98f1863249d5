package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.testing.PrivateMosquitto;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/**
 * Three MeshHub hosts on one machine (network namespaces on a bridge of the test's own), a broker on the bridge and
 * PostgreSQL forwarded onto it, under a steady MQTT load: one member is killed with SIGKILL, another is cut off
 * (its link down) until it has downed itself, the link is healed, and both are started again as a supervisor
 * would. Afterwards every reception is stored exactly once, no member logged a sequence conflict or a write error,
 * the projections caught up, and every member's API answers the same counts. Last, the oldest member is stopped
 * with SIGTERM: it exits with 0 and the lease moves to the members that stay. The failover time is printed.
 *
 * <p>Host 1 has the lowest address and is the one killed; host 3 is the one cut off. With host 1 gone, hosts 2 and 3
 * are two equal sides, and the split-brain resolver keeps the side with the lowest address: host 2.
 */
class ThreeHostClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final String SCHEMA = TestDatabases.uniqueSchema(ThreeHostClusterTest.class);
  private static final String ADMIN_KEY = "three-host-test-admin-key";
  private static final int RATE = 40;
  private static final int PROBES_PER_BATCH = 20;
  /**
   * What a second writer of one entity, or a failed journal write, would log: a sequence number taken twice (the
   * journal's unique key), a persist failure or rejection. A member cut off from the database logs I/O errors of its
   * connections, which are none of these.
   */
  private static final Pattern CONFLICT = Pattern.compile(
      "(?i)duplicate key|violates unique constraint|failed to persist|rejected to persist");
  /** A failed journal write: allowed only on the member cut off, and only for want of its connection. */
  private static final Pattern WRITE_FAILED = Pattern.compile("Journal write of \\d+ event\\(s\\) failed");
  private static final Pattern CONNECTION_LOST = Pattern.compile(
      "(?i)I/O error|connection (has been )?closed|connection attempt failed|timed out|terminating connection");

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  /** One MeshHub process on one host, started again as a supervisor would. */
  final class Node {
    final int host;
    final Map<String, String> env;
    final NamespaceHosts hosts;
    Process process;
    int incarnation;
    final List<Path> logs = new ArrayList<>();

    Node(int host, NamespaceHosts hosts, Map<String, String> env) {
      this.host = host;
      this.hosts = hosts;
      this.env = env;
    }

    void start() throws IOException {
      incarnation++;
      List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          "org.meshhub.app.Main", "serve");
      ProcessBuilder pb = new ProcessBuilder(hosts.on(host, java)).directory(dir.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("DATABASE_") || k.startsWith("API_")
          || k.startsWith("MQTT_") || k.startsWith("CLUSTER_") || k.equals("DATA_HOME"));
      pb.environment().putAll(env);
      Path out = dir.resolve("node" + host + "-" + incarnation + ".out");
      Path err = dir.resolve("node" + host + "-" + incarnation + ".err");
      logs.add(out);
      logs.add(err);
      process = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    String api() {
      return "http://" + hosts.address(host) + ":8000";
    }

    String stderr() {
      return read(logs.get(logs.size() - 1));
    }

    String allLogs() {
      StringBuilder sb = new StringBuilder();
      logs.forEach(p -> sb.append("---- ").append(p.getFileName()).append('\n').append(read(p)));
      return sb.toString();
    }

    void kill() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void noReceptionIsLostOrDoubledThroughAKillAPartitionAndTwoRestarts() throws Exception {
    String prefix = TestMqtt.uniquePrefix(ThreeHostClusterTest.class);
    List<Node> nodes = new ArrayList<>();
    MqttClient publisher = null;
    Load load = null;
    try (NamespaceHosts hosts = NamespaceHosts.create(3)) {
      int dbPort = PrivateMosquitto.freePort();
      hosts.service("a TCP forwarder to PostgreSQL", List.of("socat", "TCP-LISTEN:" + dbPort + ",bind="
          + hosts.bridgeAddress() + ",fork,reuseaddr", "TCP:127.0.0.1:5432"), dbPort, dir.resolve("socat.log"));
      int mqttPort = PrivateMosquitto.freePort();
      Path conf = dir.resolve("mosquitto.conf");
      Files.writeString(conf, "listener " + mqttPort + " " + hosts.bridgeAddress() + "\nallow_anonymous true\n"
          + "persistence false\nmax_queued_messages 0\nmax_inflight_messages 1000\n");
      hosts.service("a private Mosquitto", List.of("mosquitto", "-c", conf.toString()), mqttPort,
          dir.resolve("mosquitto.log"));

      String seeds = hosts.address(1) + ":2552," + hosts.address(2) + ":2552," + hosts.address(3) + ":2552";
      for (int h = 1; h <= 3; h++) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_BACKEND", "postgres");
        env.put("DATABASE_URL", "jdbc:postgresql://" + hosts.bridgeAddress() + ":" + dbPort
            + "/postgres?user=postgres");
        env.put("DATABASE_PASSWORD", "trust-auth-ignores-this");
        env.put("DATABASE_SCHEMA", SCHEMA);
        env.put("DATABASE_CONNECT_TIMEOUT", "30");
        env.put("API_HOST", "0.0.0.0");
        env.put("API_PORT", "8000");
        env.put("API_ADMIN_KEY", ADMIN_KEY);
        env.put("CLUSTER_HOST", hosts.address(h));
        env.put("CLUSTER_PORT", "2552");
        env.put("CLUSTER_SEED_NODES", seeds);
        env.put("MQTT_HOST", hosts.bridgeAddress());
        env.put("MQTT_PORT", Integer.toString(mqttPort));
        env.put("MQTT_PREFIX", prefix);
        env.put("MQTT_KEEPALIVE", "10");
        nodes.add(new Node(h, hosts, env));
      }
      Node one = nodes.get(0);
      Node two = nodes.get(1);
      Node three = nodes.get(2);
      long t0 = System.nanoTime();
      for (Node n : nodes) {
        n.start();
      }
      for (Node n : nodes) {
        awaitNode(n, "up, ready, in a cluster of 3", () -> ready(n) && upMembers(n) == 3, 150);
      }
      log("three members up after %.1f s", seconds(t0));

      publisher = TestMqtt.publisher("tcp://" + hosts.bridgeAddress() + ":" + mqttPort);
      load = new Load(publisher, new ReceptionStream(prefix, 950, "Sensor"));
      load.start();
      await("the load flows", () -> events() >= 5L * RATE, 60);

      // SIGKILL host 1: its entities and projections move to hosts 2 and 3.
      Prober prober = new Prober(two, new ReceptionStream(prefix, 951, "Probe"));
      long killedAt = System.nanoTime();
      one.kill();
      prober.start();
      awaitNode(two, "host 1 removed from the cluster", () -> upMembers(two) == 2 && memberCount(two) == 2, 90);
      double removedAfter = (System.nanoTime() - killedAt) / 1e9;
      prober.awaitFirstSuccess(90);
      prober.stopAndFinish(90);
      double writableAfter = (prober.firstSuccessAt - killedAt) / 1e9;
      double worstStall = prober.worstStall / 1e9;
      log("SIGKILL of host 1: removed after %.1f s; every entity writable again after %.1f s; a reception sent to"
          + " it as it died stored after at most %.1f s", removedAfter, writableAfter, worstStall);

      // Cut host 3 off for longer than stable-after: hosts 2 and 3 are equal sides, the lowest address (2) stays.
      long cutAt = System.nanoTime();
      hosts.cut(3);
      assertTrue(three.process.waitFor(120, TimeUnit.SECONDS), "host 3 cut off did not stop by itself\n"
          + three.allLogs());
      double downedAfter = (System.nanoTime() - cutAt) / 1e9;
      assertEquals(1, three.process.exitValue(), "a downed member exits with 1\n" + three.allLogs());
      assertTrue(three.stderr().contains("downed by its cluster"), three.stderr());
      awaitNode(two, "host 3 removed", () -> memberCount(two) == 1 && ready(two), 90);
      log("host 3 cut off: downed itself and exited after %.1f s", downedAfter);
      hosts.heal(3);

      // Restarted, as their supervisors would.
      three.start();
      one.start();
      for (Node n : nodes) {
        awaitNode(n, "back in a cluster of 3", () -> ready(n) && upMembers(n) == 3, 150);
      }
      load.stop();
      long expected = load.published.get() + prober.stored.get();
      await(expected + " receptions stored (the restarted members drain their sessions)",
          () -> events() == expected, 120, () -> diagnostics(nodes));
      for (Node n : nodes) {
        await("projections caught up and host " + n.host + "'s API answering " + expected,
            () -> dbEvents(n) == expected && messagesTotal(n) == expected, 90, () -> diagnostics(nodes));
      }

      assertEquals(expected, count("SELECT COUNT(DISTINCT persistence_id) FROM event_journal"),
          "one message entity per reception");
      assertEquals(0, count("SELECT COUNT(*) FROM (SELECT persistence_id FROM event_journal GROUP BY persistence_id"
          + " HAVING COUNT(*) > 1) twice"), "no reception stored twice");
      assertEquals(0, count("SELECT COUNT(*) FROM rejected_messages"));

      // SIGTERM the oldest member (host 2 stayed throughout): it leaves, the lease moves with the oldest, exit 0.
      two.process.destroy();
      assertTrue(two.process.waitFor(90, TimeUnit.SECONDS), "host 2 did not stop on SIGTERM\n" + two.allLogs());
      assertEquals(0, two.process.exitValue(), "SIGTERM ends a member with 0\n" + two.allLogs());
      String leftBehind = hosts.address(2) + ":2552";
      awaitNode(three, "a cluster of 2 holding the lease after host 2 left", () -> ready(three)
          && upMembers(three) == 2 && leaseHolder(three).filter(h -> !h.equals(leftBehind)).isPresent(), 60);

      for (Node n : nodes) {
        for (int incarnation = 0; incarnation < n.logs.size(); incarnation++) {
          Path file = n.logs.get(incarnation);
          boolean cutOff = n == three && file.getFileName().toString().startsWith("node3-1.");
          for (String line : read(file).split("\n")) {
            assertTrue(!CONFLICT.matcher(line).find(), file.getFileName() + ": a write conflict: " + line);
            assertTrue(!WRITE_FAILED.matcher(line).find() || cutOff && CONNECTION_LOST.matcher(line).find(),
                file.getFileName() + ": a journal write failed: " + line);
            assertTrue(!line.contains(" ERROR ") || line.contains("was downed by its cluster"),
                file.getFileName() + ": " + line);
          }
        }
      }
      log("FAILOVER: member SIGKILLed -> removed from the cluster after %.1f s, its entities writable on the others"
          + " after %.1f s, worst stall of a reception in flight %.1f s; member cut off -> downed itself after"
          + " %.1f s; %d receptions stored exactly once; wall time %.0f s", removedAfter, writableAfter, worstStall,
          downedAfter, expected, seconds(t0));
    } finally {
      if (load != null) {
        load.stop();
      }
      for (Node n : nodes) {
        n.kill();
      }
      if (publisher != null) {
        TestMqtt.disconnect(publisher);
      }
      keepLogs();
    }
  }

  /** The members' logs outlive the test in target/three-host-logs, for a look after a failure. */
  private void keepLogs() throws IOException {
    Path keep = Path.of("target", "three-host-logs");
    Files.createDirectories(keep);
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err")
          || f.toString().endsWith(".log")).toList()) {
        Files.copy(p, keep.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** What the members and the database say, for a failure message. */
  private static String diagnostics(List<Node> nodes) {
    StringBuilder sb = new StringBuilder("\n");
    for (Node n : nodes) {
      sb.append("host ").append(n.host).append(": events ").append(dbEvents(n)).append(", messages ")
          .append(messagesTotal(n)).append(", up members ").append(upMembers(n)).append('\n');
    }
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT state, wait_event_type, left(query, 80), count(*) FROM"
          + " pg_stat_activity WHERE datname = current_database() GROUP BY 1, 2, 3 ORDER BY 4 DESC")) {
        while (rs.next()) {
          sb.append("pg: ").append(rs.getString(1)).append(" / ").append(rs.getString(2)).append(" / ")
              .append(rs.getString(3)).append(": ").append(rs.getLong(4)).append('\n');
        }
      }
      st.execute("SET search_path TO " + SCHEMA);
      try (ResultSet rs = st.executeQuery("SELECT projection_name, projection_key, current_offset FROM"
          + " pekko_projection_offset_store ORDER BY 1, 2")) {
        while (rs.next()) {
          sb.append("offset ").append(rs.getString(1)).append('/').append(rs.getString(2)).append(": ")
              .append(rs.getString(3)).append('\n');
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT MAX(ordering) FROM event_journal")) {
        rs.next();
        sb.append("journal end ").append(rs.getLong(1)).append('\n');
      }
    } catch (Exception e) {
      sb.append("database: ").append(e).append('\n');
    }
    return sb.toString();
  }

  /** Publishes distinct receptions at {@link #RATE} per second until stopped. */
  static final class Load {
    final MqttClient publisher;
    final ReceptionStream stream;
    final AtomicInteger published = new AtomicInteger();
    final AtomicBoolean stopping = new AtomicBoolean();
    final Thread thread = new Thread(this::run, "load");

    Load(MqttClient publisher, ReceptionStream stream) {
      this.publisher = publisher;
      this.stream = stream;
    }

    void start() {
      thread.start();
    }

    private void run() {
      long start = System.nanoTime();
      while (!stopping.get()) {
        int i = published.get();
        long due = start + i * (1_000_000_000L / RATE);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        ReceptionStream.Reception r = stream.get(i);
        TestMqtt.publish(publisher, r.topic(), r.payload());
        published.incrementAndGet();
      }
    }

    void stop() throws InterruptedException {
      stopping.set(true);
      thread.join(30_000);
    }
  }

  /**
   * Sends a batch of new receptions to one member's {@code POST /api/v1/ingest} every half second, each batch
   * retried until stored, and records when they were sent and when they were stored.
   */
  final class Prober {
    final Node node;
    final ReceptionStream stream;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger stored = new AtomicInteger();
    final AtomicBoolean stopping = new AtomicBoolean();
    final List<Thread> batches = new CopyOnWriteArrayList<>();
    volatile long firstSuccessAt;
    volatile long worstStall;
    final Thread thread = new Thread(this::run, "prober");

    Prober(Node node, ReceptionStream stream) {
      this.node = node;
      this.stream = stream;
    }

    void start() {
      thread.start();
    }

    private void run() {
      while (!stopping.get()) {
        int from = next.getAndAdd(PROBES_PER_BATCH);
        Thread batch = new Thread(() -> send(from), "probe-" + from);
        batches.add(batch);
        batch.start();
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void send(int from) {
      StringBuilder body = new StringBuilder("[");
      for (int i = from; i < from + PROBES_PER_BATCH; i++) {
        ReceptionStream.Reception r = stream.get(i);
        body.append(i == from ? "" : ",").append("{\"topic\":").append(quote(r.topic())).append(",\"payload\":")
            .append(quote(r.payload())).append('}');
      }
      body.append(']');
      long sent = System.nanoTime();
      long deadline = sent + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline) {
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.api() + "/api/v1/ingest"))
              .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            long now = System.nanoTime();
            synchronized (this) {
              if (firstSuccessAt == 0 || now < firstSuccessAt) {
                firstSuccessAt = now;
              }
              worstStall = Math.max(worstStall, now - sent);
            }
            stored.addAndGet(PROBES_PER_BATCH);
            return;
          }
        } catch (IOException e) {
          // sent again below
        } catch (InterruptedException e) {
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void awaitFirstSuccess(int seconds) throws InterruptedException {
      await("a probe stored after the kill", () -> firstSuccessAt != 0, seconds);
    }

    /** Stops sending new batches and waits until every batch sent is stored. */
    void stopAndFinish(int seconds) throws InterruptedException {
      stopping.set(true);
      thread.join(10_000);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (Thread t : batches) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      assertEquals(next.get(), stored.get(), "every probe batch was stored");
    }
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean ready(Node n) {
    try {
      return send(n, "/health/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static long upMembers(Node n) {
    try {
      JsonNode status = JSON.readTree(send(n, "/api/v1/cluster").body());
      int up = 0;
      for (JsonNode m : status.get("members")) {
        up += m.get("status").asText().equals("Up") ? 1 : 0;
      }
      return up;
    } catch (Exception e) {
      return -1;
    }
  }

  /** The schema lease's holder as a member sees it, when its cluster holds the lease. */
  private static Optional<String> leaseHolder(Node n) {
    try {
      JsonNode lease = JSON.readTree(send(n, "/api/v1/cluster").body()).get("lease");
      return lease.get("state").asText().equals("held") ? Optional.of(lease.get("holder").asText())
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static long memberCount(Node n) {
    try {
      return JSON.readTree(send(n, "/api/v1/cluster").body()).get("members").size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long dbEvents(Node n) {
    try {
      return JSON.readTree(send(n, "/api/v1/db/status").body()).get("events").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long messagesTotal(Node n) {
    try {
      return JSON.readTree(send(n, "/api/v1/messages?limit=1").body()).get("total").asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpResponse<String> send(Node n, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(n.api() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long events() {
    return TestDatabases.journalEvents(SCHEMA);
  }

  private static long count(String sql) throws SQLException {
    return TestDatabases.count(SCHEMA, sql);
  }

  private static void awaitNode(Node n, String what, BooleanSupplier condition, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("host " + n.host + ": not within " + seconds + " s: " + what + "\n" + n.allLogs());
      }
      Thread.sleep(250);
    }
  }

  private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
    await(what, condition, seconds, () -> "");
  }

  private static void await(String what, BooleanSupplier condition, int seconds,
      java.util.function.Supplier<String> details) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what + details.get());
      }
      Thread.sleep(250);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void log(String format, Object... args) {
    System.out.println("[three hosts] " + String.format(Locale.ROOT, format, args));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }
}
