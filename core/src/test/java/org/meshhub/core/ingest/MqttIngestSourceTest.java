package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.PrivateMosquitto;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestMqtt;

/**
 * The MQTT source against the real Mosquitto, with a pipeline stand-in that the test controls: acknowledgement only
 * after the stage completed, redelivery of what was not acknowledged, retries, the in-flight bound, and a connection
 * that dies silently.
 */
class MqttIngestSourceTest {
  static final String PREFIX = TestMqtt.uniquePrefix(MqttIngestSourceTest.class);
  static final String KEY = Samples.publicKey(31);
  static final String TOPIC = PREFIX + "/SEA/" + KEY + "/packets";
  static final DatabaseSettings DB = DatabaseSettings.fromEnv(Env.of(Map.of("DATA_HOME", "/tmp/unused")));
  static MqttClient publisher;
  static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final List<String> clientIds = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  /** Records every payload offered and answers with {@code answer}. */
  static final class Recorder implements IngestPipeline {
    final List<String> offered = new CopyOnWriteArrayList<>();
    final Function<String, CompletionStage<IngestResult>> answer;

    Recorder(Function<String, CompletionStage<IngestResult>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletionStage<IngestResult> submit(String topic, byte[] payload) {
      String text = new String(payload, StandardCharsets.UTF_8);
      offered.add(text);
      return answer.apply(text);
    }

    long count(String payload) {
      return offered.stream().filter(payload::equals).count();
    }
  }

  static CompletionStage<IngestResult> ok(String ignored) {
    return CompletableFuture.completedFuture(IngestResult.accepted("recorded"));
  }

  @BeforeAll
  static void connectPublisher() {
    publisher = TestMqtt.publisher();
  }

  @AfterAll
  static void disconnectPublisher() {
    TestMqtt.disconnect(publisher);
    timer.shutdownNow();
  }

  @AfterEach
  void forgetSessions() {
    clientIds.forEach(id -> TestMqtt.forgetSession(TestMqtt.serverUri(), id));
  }

  String clientId() {
    String id = TestMqtt.uniqueClientId(MqttIngestSourceTest.class);
    clientIds.add(id);
    return id;
  }

  static MqttSettings settings(String host, int port, String clientId, int keepAlive, int maxInflight) {
    return new MqttSettings(true, host, port, null, null, PREFIX, false, clientId, keepAlive, maxInflight,
        java.util.Optional.empty());
  }

  static MqttIngestSource connected(MqttSettings settings, IngestPipeline pipeline) {
    MqttIngestSource source = MqttIngestSource.start(settings, pipeline, new SimpleMeterRegistry());
    await("connected to " + settings.serverUri(), source::isConnected, 60);
    return source;
  }

  static void await(String what, BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Publishes a marker and waits until the source offered it: whatever the broker redelivers comes before it. */
  static void drainThrough(Recorder recorder, String marker) {
    TestMqtt.publish(publisher, TOPIC, marker);
    await("marker " + marker + " offered", () -> recorder.count(marker) > 0, 60);
  }

  @Test
  void aMessageIsAcknowledgedOnlyAfterItsStageCompletedAndIsRedeliveredOtherwise() {
    String id = clientId();
    MqttSettings settings = settings(TestMqtt.host(), TestMqtt.port(), id, 30, 10);
    Recorder hanging = new Recorder(payload -> new CompletableFuture<>());
    MqttIngestSource first = connected(settings, hanging);
    TestMqtt.publish(publisher, TOPIC, "m1");
    await("m1 offered", () -> hanging.count("m1") == 1, 60);
    first.stop(Duration.ofMillis(200));

    Recorder completing = new Recorder(MqttIngestSourceTest::ok);
    MqttIngestSource second = connected(settings, completing);
    await("m1 redelivered to the next session", () -> completing.count("m1") == 1, 60);
    drainThrough(completing, "marker-2");
    second.close();

    Recorder third = new Recorder(MqttIngestSourceTest::ok);
    MqttIngestSource last = connected(settings, third);
    drainThrough(third, "marker-3");
    last.close();
    assertEquals(0, third.count("m1"), "m1 was acknowledged once its stage completed: " + third.offered);
    assertEquals(0, third.count("marker-2"));
  }

  @Test
  void aFailedStageIsOfferedAgainUntilItSucceedsAndThenAcknowledged() {
    String id = clientId();
    MqttSettings settings = settings(TestMqtt.host(), TestMqtt.port(), id, 30, 10);
    AtomicInteger failures = new AtomicInteger(2);
    Recorder flaky = new Recorder(payload -> failures.getAndDecrement() > 0
        ? CompletableFuture.failedFuture(new IngestUnavailableException("database gone", null))
        : ok(payload));
    MqttIngestSource source = connected(settings, flaky);
    TestMqtt.publish(publisher, TOPIC, "retry-me");
    await("offered three times", () -> flaky.count("retry-me") == 3, 60);
    drainThrough(flaky, "marker-a");
    source.close();

    Recorder after = new Recorder(MqttIngestSourceTest::ok);
    MqttIngestSource again = connected(settings, after);
    drainThrough(after, "marker-b");
    again.close();
    assertEquals(0, after.count("retry-me"), "acknowledged after the third offer succeeded: " + after.offered);
  }

  @Test
  void neverHoldsMoreThanMaxInflightMessagesInThePipeline() {
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger highest = new AtomicInteger();
    Recorder slow = new Recorder(payload -> {
      highest.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      CompletableFuture<IngestResult> done = new CompletableFuture<>();
      timer.schedule(() -> {
        outstanding.decrementAndGet();
        done.complete(IngestResult.accepted("recorded"));
      }, 30, TimeUnit.MILLISECONDS);
      return done;
    });
    MqttIngestSource source = connected(settings(TestMqtt.host(), TestMqtt.port(), clientId(), 30, 3), slow);
    for (int i = 0; i < 40; i++) {
      TestMqtt.publish(publisher, TOPIC, "load-" + i);
    }
    await("all 40 offered", () -> slow.offered.size() >= 40, 60);
    source.close();
    assertTrue(highest.get() <= 3, "at most MQTT_MAX_INFLIGHT at once, saw " + highest.get());
    assertTrue(highest.get() > 1, "messages do overlap: " + highest.get());
    assertEquals(40, slow.offered.size());
  }

  @Test
  void aSilentlyDeadConnectionIsNoticedByKeepaliveAndReplaced() throws Exception {
    try (FreezableProxy proxy = new FreezableProxy(TestMqtt.host(), TestMqtt.port())) {
      Recorder recorder = new Recorder(MqttIngestSourceTest::ok);
      MqttIngestSource source = connected(settings("127.0.0.1", proxy.port(), clientId(), 1, 10), recorder);
      try {
        assertTrue(source.problem().isEmpty());
        proxy.freeze();
        await("the dead connection noticed", () -> !source.isConnected(), 30);
        assertTrue(source.problem().orElseThrow().contains("not connected to tcp://127.0.0.1:" + proxy.port()),
            source.problem().orElseThrow());
        proxy.thaw();
        await("connected again", source::isConnected, 90);
        drainThrough(recorder, "after-thaw");
      } finally {
        source.close();
      }
    }
  }

  @Test
  void aBrokerDownAtStartIsRetriedUntilItIsUp() throws Exception {
    int port = PrivateMosquitto.freePort();
    Recorder recorder = new Recorder(MqttIngestSourceTest::ok);
    MqttIngestSource source = MqttIngestSource.start(settings("127.0.0.1", port, "mhtest-down-at-start", 30, 10),
        recorder, new SimpleMeterRegistry());
    try {
      assertFalse(source.isConnected());
      assertTrue(source.problem().orElseThrow().contains("not connected"), source.problem().orElseThrow());
      try (PrivateMosquitto broker = startBrokerOn(port)) {
        await("connected once the broker is up", source::isConnected, 90);
        MqttClient privatePublisher = TestMqtt.publisher(broker.serverUri());
        TestMqtt.publish(privatePublisher, TOPIC, "late");
        await("late offered", () -> recorder.count("late") == 1, 60);
        TestMqtt.disconnect(privatePublisher);
      }
    } finally {
      source.close();
    }
  }

  @Test
  void aBrokerHostNameThatDoesNotResolveIsReportedAsSuch() {
    // .invalid never resolves (RFC 6761), so the lookup fails whatever the machine's DNS.
    MqttIngestSource source = MqttIngestSource.start(settings("no-such-broker.invalid", 1883, "mhtest-dns", 30, 10),
        new Recorder(MqttIngestSourceTest::ok), new SimpleMeterRegistry());
    try {
      await("the DNS failure reported", () -> source.problem().orElse("").contains("cannot resolve"), 60);
      assertTrue(source.problem().orElseThrow().contains("no-such-broker.invalid"), source.problem().orElseThrow());
      assertFalse(source.isConnected());
    } finally {
      source.close();
    }
  }

  private PrivateMosquitto startBrokerOn(int port) throws Exception {
    return PrivateMosquitto.startOn(dir, port);
  }
}
