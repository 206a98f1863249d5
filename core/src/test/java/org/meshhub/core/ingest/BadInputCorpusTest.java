package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.ingest.IngestResult.Status;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.slf4j.LoggerFactory;

/** Garbage on every topic shape: each piece is rejected with its reason, counted, kept, and the stream goes on. */
class BadInputCorpusTest {
  static final String PREFIX = "meshcore";
  static final String KEY = Samples.publicKey(4242);
  static final String PACKETS = LetsMesh.topic(PREFIX, KEY, "packets");

  @TempDir
  static Path dataHome;
  static IngestFixture hub;

  record Bad(String topic, byte[] payload, String reason) {
    Bad(String topic, String payload, String reason) {
      this(topic, payload.getBytes(StandardCharsets.UTF_8), reason);
    }
  }

  @BeforeAll
  static void start() {
    hub = IngestFixture.start(DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome)), IngestSettings.defaults(),
        PREFIX);
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static String raw(String hex) {
    return "{\"raw\":\"" + hex + "\",\"SNR\":\"1\"}";
  }

  static List<Bad> corpus() {
    String a1 = IngestPipelineTest.A1;
    byte[] huge = new byte[IngestSettings.MAX_PAYLOAD_BYTES + 1];
    Arrays.fill(huge, (byte) 'a');
    String legacy = PREFIX + "/" + KEY + "/event/";
    return List.of(
        new Bad(PACKETS, "not json", "invalid_json"),
        new Bad(PACKETS, "{\"raw\":", "invalid_json"),
        new Bad(PACKETS, "[1,2,3]", "invalid_json"),
        new Bad(PACKETS, "", "invalid_json"),
        new Bad(PACKETS, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1}, "invalid_json"),
        new Bad(PACKETS, "{\"raw\":\"11\"} trailing", "invalid_json"),
        new Bad("other/SEA/" + KEY + "/packets", raw("0D04B891647EBB40BA70"), "unknown_topic"),
        new Bad(PREFIX + "/SEA/packets", raw("0D04B891647EBB40BA70"), "unknown_topic"),
        new Bad(PACKETS + "/extra", raw("0D04B891647EBB40BA70"), "unknown_topic"),
        new Bad(PREFIX + "//" + KEY + "/packets", raw("0D04B891647EBB40BA70"), "unknown_topic"),
        new Bad("", raw("0D04B891647EBB40BA70"), "unknown_topic"),
        new Bad(PREFIX + "/SEA/" + KEY + "/debug", "{}", "unknown_feed"),
        new Bad(PREFIX + "/SEA/not-a-key/packets", raw("0D04B891647EBB40BA70"), "invalid_public_key"),
        new Bad(PREFIX + "/SEA/" + KEY.substring(1) + "/packets", raw("0D04B891647EBB40BA70"), "invalid_public_key"),
        new Bad(PREFIX + "/zz/event/advertisement", "{\"public_key\":\"" + KEY + "\"}", "invalid_public_key"),
        new Bad(legacy + "advertisement", "{\"public_key\":\"abc\",\"name\":\"x\"}", "invalid_public_key"),
        new Bad(PACKETS, "{\"SNR\":\"1\"}", "missing_field"),
        new Bad(PACKETS, raw(""), "missing_field"),
        new Bad(legacy + "channel_msg_recv", "{\"channel_idx\":0}", "missing_field"),
        new Bad(legacy + "telemetry_response", "{\"node_public_key\":\"" + KEY + "\"}", "missing_field"),
        new Bad(PACKETS, raw("ZZZZ"), "bad_hex"),
        new Bad(PACKETS, raw("123"), "bad_hex"),
        new Bad(PACKETS, raw("11"), "truncated_packet"),
        new Bad(PACKETS, raw("1105AABB"), "truncated_packet"),
        new Bad(PACKETS, raw(a1.substring(0, 120)), "truncated_packet"),
        new Bad(PACKETS, raw("15C1FF00"), "malformed_packet"),
        new Bad(PACKETS, raw("157F" + "AB".repeat(126)), "malformed_packet"),
        new Bad(PACKETS, raw("5100AABB"), "unsupported_version"),
        new Bad(PACKETS, huge, "payload_too_large"),
        new Bad(legacy + "trace_data", "{\"initiator_tag\":\"xyz\"}", "invalid_field"),
        new Bad(legacy + "contact_msg_recv", "{\"text\":\"hi\",\"pubkey_prefix\":\"zz\"}", "invalid_field"));
  }

  @Test
  void everyPieceOfGarbageIsRejectedWithItsReasonCountedKeptAndTheStreamGoesOn() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(EntityIngestPipeline.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    List<Bad> corpus = corpus();
    Map<String, Double> before = new HashMap<>();
    for (Bad bad : corpus) {
      before.put(bad.reason(), hub.metric("meshhub_ingest_rejected_total{reason=\"" + bad.reason() + "\"}"));
    }
    double rejectedBefore = hub.metric("meshhub_ingest_messages_total{result=\"rejected\"}");
    long rowsBefore = new RejectedMessages(hub.database).count();
    try {
      for (int round = 0; round < 3; round++) {
        for (Bad bad : corpus) {
          IngestResult result = hub.submit(bad.topic(), bad.payload());
          assertEquals(Status.REJECTED, result.status(), bad.topic() + " " + result);
          assertEquals(bad.reason(), result.reason(), bad.topic() + " " + result);
          assertTrue(result.detail() != null && !result.detail().isBlank(), "a rejection says why: " + result);
        }
        // The stream goes on: a valid packet right after the garbage is stored.
        assertEquals(Status.ACCEPTED, hub.submit(PACKETS, raw("0D04B891647EBB40BA70")).status());
      }
    } finally {
      logger.detachAppender(lines);
    }

    int n = corpus.size();
    assertEquals(rejectedBefore + 3 * n, hub.metric("meshhub_ingest_messages_total{result=\"rejected\"}"));
    Map<String, Integer> perReason = new HashMap<>();
    corpus.forEach(bad -> perReason.merge(bad.reason(), 3, Integer::sum));
    for (Map.Entry<String, Integer> e : perReason.entrySet()) {
      assertEquals(before.get(e.getKey()) + e.getValue(),
          hub.metric("meshhub_ingest_rejected_total{reason=\"" + e.getKey() + "\"}"), e.getKey());
    }

    RejectedMessages store = new RejectedMessages(hub.database);
    assertEquals(rowsBefore + 3L * n, store.count());
    List<RejectedMessages.Row> last = new ArrayList<>(store.newest(n));
    Collections.reverse(last);
    for (int i = 0; i < n; i++) {
      Bad bad = corpus.get(i);
      RejectedMessages.Row row = last.get(i);
      assertEquals(bad.reason(), row.reason());
      assertEquals(bad.topic(), row.topic());
      assertEquals(bad.payload().length, row.payloadSize());
      int kept = Math.min(bad.payload().length, IngestSettings.MAX_PAYLOAD_BYTES);
      assertTrue(Arrays.equals(Arrays.copyOf(bad.payload(), kept), row.payload()), "payload kept up to the limit");
    }

    long warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    assertTrue(warnings < 3L * n, "rejections are logged rate-limited: " + warnings + " lines for " + 3 * n);
    assertTrue(warnings > 0, "rejections are logged");
  }

  @Test
  void aRejectedMessageThatCannotBeStoredIsNotAcknowledged() throws Exception {
    DatabaseSettings settings = DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome));
    Database closed = Database.open(settings, Database.Access.SHARED, 1);
    closed.close();
    EntityIngestPipeline broken = EntityIngestPipeline.start(hub.system, closed, IngestSettings.defaults(), PREFIX);
    try {
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> broken.submit(PACKETS, "garbage".getBytes(StandardCharsets.UTF_8)).toCompletableFuture()
              .get(60, TimeUnit.SECONDS));
      assertInstanceOf(IngestUnavailableException.class, failure.getCause());
    } finally {
      broken.close();
    }
  }

  @Test
  void retentionKeepsTheNewestRows() throws Exception {
    RejectedMessages store = new RejectedMessages(hub.database);
    for (int i = 0; i < 5; i++) {
      hub.submit(PACKETS, "junk " + i);
    }
    store.prune(3, Duration.ZERO, java.time.Instant.now());
    List<RejectedMessages.Row> rows = store.newest(10);
    assertEquals(3, rows.size());
    assertEquals("junk 4", new String(rows.get(0).payload(), StandardCharsets.UTF_8));
  }
}
