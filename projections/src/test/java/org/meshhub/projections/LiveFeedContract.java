package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.meshhub.core.Reception;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.projections.live.LiveCursor;
import org.meshhub.projections.live.LiveEventWriter;
import org.meshhub.projections.live.LiveFeed;
import org.meshhub.projections.live.LiveSettings;

/**
 * The change feed against a real database: rows written by the projection's writer reach every client once, in
 * each slice's order; a client resumes after its {@code Last-Event-ID} from memory or from the table; a client that
 * does not read is ended instead of buffered without bound; and one that cannot be resumed is told to reset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveFeedContract {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final String OBSERVER = Samples.publicKey(800);
  static final Duration WAIT = Duration.ofSeconds(20);
  /** Small buffers and pages, so that memory, paging and overflow are all reached by a few dozen events. */
  static final LiveSettings SETTINGS = new LiveSettings(Duration.ofHours(1), Duration.ofMillis(20), 16, 4, 3, 10);

  Database db;
  ActorSystem<Void> system;
  LiveFeed feed;
  long ordering = 1000;
  int hashes;

  abstract DatabaseSettings settings();

  void afterClose() {}

  @BeforeAll
  void open() {
    db = Storage.prepare(settings(), 4);
    system = ActorSystem.create(Behaviors.empty(), "live-feed-test");
  }

  @AfterAll
  void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    db.close();
    afterClose();
  }

  @BeforeEach
  void freshFeed() throws Exception {
    if (feed != null) {
      feed.close();
    }
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM live_events");
      st.executeUpdate("DELETE FROM live_event_slices");
      st.executeUpdate("DELETE FROM read_models");
    }
    feed = new LiveFeed(db, SETTINGS, Materializer.matFromSystem(system), Runnable::run);
  }

  /** A client reading into a queue until it is cut off. */
  final class Client {
    final LinkedBlockingQueue<LiveFeed.Emitted> events = new LinkedBlockingQueue<>();
    final AtomicBoolean ended = new AtomicBoolean();
    final UniqueKillSwitch cut;

    Client(Optional<String> lastEventId) throws Exception {
      cut = feed.subscribe(lastEventId).toCompletableFuture().get(20, TimeUnit.SECONDS)
          .viaMat(KillSwitches.single(), Keep.right())
          .toMat(Sink.foreach(events::add), (ks, done) -> {
            done.whenComplete((d, e) -> ended.set(true));
            return ks;
          })
          .run(system);
    }

    LiveFeed.Emitted next() throws InterruptedException {
      LiveFeed.Emitted e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(e, "no event arrived within " + WAIT);
      return e;
    }

    /** The next n events of type message, as their texts. */
    List<String> texts(int n) throws Exception {
      List<String> out = new ArrayList<>();
      while (out.size() < n) {
        LiveFeed.Emitted e = next();
        if (e.type().equals("message")) {
          out.add(text(e));
        }
      }
      return out;
    }

    void disconnect() {
      cut.shutdown();
    }
  }

  static String text(LiveFeed.Emitted e) {
    int start = e.data().indexOf("\"text\":\"") + 8;
    return e.data().substring(start, e.data().indexOf('"', start));
  }

  /** The projection's writer for a slice, writing message events at the next journal orderings. */
  void write(String slice, String... texts) throws Exception {
    List<LiveEventWriter.Envelope> batch = new ArrayList<>();
    for (String text : texts) {
      batch.add(new LiveEventWriter.Envelope(++ordering, message(text)));
    }
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      new LiveEventWriter(slice, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC)).write(c, batch);
      c.commit();
    }
  }

  MessageEntity.MessageRecorded message(String text) {
    return new MessageEntity.MessageRecorded(Samples.packetHash(5000 + hashes++), new MessageEntity.MessageContent(
        "channel", 5, 0x11, "Public", true, "Ann", text, 1_700_000_000L, 0, null, null), null,
        new Reception(OBSERVER, T0, 1.0, -100, 1, null));
  }

  @Test
  void aNewClientStartsAtTheFeedsEndAndGetsEachLaterEventOnceInItsSlicesOrder() throws Exception {
    write("message-0", "before");
    Client client = new Client(Optional.empty());
    LiveFeed.Emitted ready = client.next();
    assertEquals(LiveFeed.READY, ready.type());
    write("message-1", "a1", "a2");
    write("message-0", "b1");
    write("message-1", "a3");
    write("node-2", "not a message kind but written as one");
    List<String> texts = client.texts(5);
    assertEquals(List.of("a1", "a2", "a3"), texts.stream().filter(t -> t.startsWith("a")).toList());
    assertTrue(texts.contains("b1") && !texts.contains("before"), texts.toString());
    client.disconnect();
  }

  @Test
  void aClientResumesRightAfterItsLastEventIdFromMemoryAndFromTheTable() throws Exception {
    Client first = new Client(Optional.empty());
    first.next();
    write("message-0", "m1", "m2", "m3");
    LiveFeed.Emitted m1 = first.next();
    first.disconnect();
    // Recent: still in the node's memory.
    Client again = new Client(Optional.of(m1.id()));
    assertEquals(List.of("m2", "m3"), again.texts(2));
    again.disconnect();
    // Older than the memory holds (4 events): replayed from the table, page by page (3 rows a page).
    Client live = new Client(Optional.empty());
    live.next();
    for (int i = 4; i <= 12; i++) {
      write(i % 2 == 0 ? "message-0" : "message-3", "m" + i);
      assertEquals(List.of("m" + i), live.texts(1), "the poller has read it");
    }
    live.disconnect();
    Client late = new Client(Optional.of(m1.id()));
    List<String> replayed = late.texts(11);
    assertEquals(List.of("m2", "m3", "m4", "m6", "m8", "m10", "m12"),
        replayed.stream().filter(t -> Integer.parseInt(t.substring(1)) % 2 == 0 || t.equals("m3")).toList());
    assertEquals(11, replayed.stream().distinct().count(), "nothing twice: " + replayed);
    write("message-3", "after");
    assertEquals(List.of("after"), late.texts(1), "then it carries on live");
    late.disconnect();
  }

  @Test
  void aClientThatDoesNotReadIsEndedAtItsBufferAndResumesWithoutLoss() throws Exception {
    SinkQueueWithCancel<LiveFeed.Emitted> stalled = feed.subscribe(Optional.empty()).toCompletableFuture()
        .get(20, TimeUnit.SECONDS).runWith(Sink.queue(), system);
    Client marker = new Client(Optional.empty());
    marker.next();
    int total = 300;
    for (int i = 0; i < total; i += 10) {
      String[] texts = new String[10];
      for (int j = 0; j < 10; j++) {
        texts[j] = "s" + (i + j);
      }
      write("message-" + (i / 10 % 4), texts);
      assertEquals(10, marker.texts(10).size(), "a client that reads gets them all");
    }
    // Everything reached a reading client; the stalled one's stream has ended, holding only what fitted.
    List<LiveFeed.Emitted> held = new ArrayList<>();
    for (;;) {
      Optional<LiveFeed.Emitted> e = stalled.pull().toCompletableFuture().get(20, TimeUnit.SECONDS);
      if (e.isEmpty()) {
        break;
      }
      held.add(e.get());
    }
    assertTrue(held.size() < total, "the stalled client was ended early: it held " + held.size());
    Client resumed = new Client(Optional.of(held.get(held.size() - 1).id()));
    List<String> rest = resumed.texts(total - (held.size() - 1));
    List<String> all = new ArrayList<>(held.stream().filter(e -> e.type().equals("message"))
        .map(LiveFeedContract::text).toList());
    all.addAll(rest);
    assertEquals(total, all.size());
    assertEquals(total, all.stream().distinct().count(), "each event once across the two connections");
    marker.disconnect();
    resumed.disconnect();
  }

  @Test
  void aClientThatMissedPrunedRowsOrARebuildIsToldToReset() throws Exception {
    Client first = new Client(Optional.empty());
    LiveFeed.Emitted ready = first.next();
    first.disconnect();
    write("message-2", "p1");
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO live_event_slices (slice, pruned_through) VALUES ('message-2', ?)")) {
      ps.setLong(1, ordering);
      ps.executeUpdate();
    }
    Client away = new Client(Optional.of(ready.id()));
    assertEquals(LiveFeed.RESET, away.next().type(), "its next events were pruned");
    Client stranger = new Client(Optional.of("not-an-id"));
    assertEquals(LiveFeed.RESET, stranger.next().type());

    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO read_models (name, generation, rebuilt_at) VALUES ('messages', 2, 1)");
    }
    LiveFeed.Emitted reset = away.next();
    assertEquals(LiveFeed.RESET, reset.type(), "a rebuild swapped the read models in");
    assertTrue(LiveCursor.parse(reset.id()).orElseThrow().generation().equals("0.2"), reset.id());
    away.disconnect();
    stranger.disconnect();
  }

  @Test
  void theWriterPrunesRowsOlderThanTheRetentionAndRecordsHowFar() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(T0);
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    LiveEventWriter writer = new LiveEventWriter("message-1", Duration.ofMinutes(10), clock);
    long old = ++ordering;
    long recent = ++ordering;
    try (Connection c = db.connection()) {
      writer.write(c, List.of(new LiveEventWriter.Envelope(old, message("old")),
          new LiveEventWriter.Envelope(old + 0, message("old again"))));
      now.set(T0.plus(Duration.ofMinutes(6)));
      writer.write(c, List.of(new LiveEventWriter.Envelope(recent, message("recent"))));
      now.set(T0.plus(Duration.ofMinutes(11)));
      writer.write(c, List.of());
      try (Statement st = c.createStatement()) {
        var rs = st.executeQuery("SELECT ordering FROM live_events WHERE slice = 'message-1'");
        List<Long> left = new ArrayList<>();
        while (rs.next()) {
          left.add(rs.getLong(1));
        }
        assertEquals(List.of(recent), left, "the row older than 10 minutes is gone, the younger one stays");
        rs = st.executeQuery("SELECT pruned_through FROM live_event_slices WHERE slice = 'message-1'");
        assertTrue(rs.next());
        assertEquals(old, rs.getLong(1));
      }
    }
  }
}
