package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.meshhub.core.Reception;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.projections.message.MessageProjectionHandler;
import org.meshhub.projections.node.NodeProjectionHandler;
import org.meshhub.projections.node.ObserverQueries;
import org.meshhub.projections.node.ObserverViews;
import org.meshhub.projections.testing.ReadSideTesting;

/** The projection handlers against a real database: the rows each event makes, and that replaying changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProjectionHandlerContract {
  static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  static final String OBS_A = Samples.publicKey(700);
  static final String OBS_B = Samples.publicKey(701);

  Database db;
  int next;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Storage.prepare(settings(), 2);
  }

  @AfterAll
  void close() {
    db.close();
    afterClose();
  }

  /** Clean-up once the database is closed. */
  void afterClose() {}

  void write(EventWriter writer, List<?> events) throws Exception {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      writer.write(c, events);
      c.commit();
    }
  }

  Object value(String sql, Object... params) throws Exception {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : "no row";
      }
    }
  }

  long number(String sql, Object... params) throws Exception {
    return ((Number) value(sql, params)).longValue();
  }

  static Reception heard(String observer, int seconds) {
    return new Reception(observer, T0.plusSeconds(seconds), 5.5, -95, 2, "a1b2");
  }

  static NodeEntity.Advert advert(long ts, String name, boolean signed) {
    return new NodeEntity.Advert(ts, name, "repeater", 0x81, 47.0, 8.0, signed, null, null);
  }

  @Test
  void anAdvertHeardByTwoObserversIsOneAdvertWithTwoReceptionsAndReplayingChangesNothing() throws Exception {
    String key = Samples.publicKey(100 + next++);
    NodeProjectionHandler handler = new NodeProjectionHandler("node-0", TableNames.live());
    List<NodeEntity.Event> events = List.of(
        new NodeEntity.AdvertRecorded(key, advert(1000, "Hill", true), heard(OBS_A, 0)),
        new NodeEntity.AdvertHeard(key, 1000, heard(OBS_B, 3)));
    long nodesBefore = number("SELECT COALESCE(SUM(value), 0) FROM node_stats WHERE metric = 'nodes_total'");
    write(handler, events);
    Map<String, List<String>> once = ReadSideTesting.snapshot(db);
    write(handler, events);
    assertEquals(once, ReadSideTesting.snapshot(db), "a replayed batch leaves every table as it was");

    assertEquals(1, number("SELECT COUNT(*) FROM advertisements WHERE public_key = ?", key));
    assertEquals(2, number("SELECT COUNT(*) FROM advert_receptions WHERE public_key = ?", key));
    assertEquals(1, number("SELECT advert_count FROM nodes WHERE public_key = ?", key));
    assertEquals(2, number("SELECT reception_count FROM nodes WHERE public_key = ?", key));
    assertEquals("Hill", value("SELECT name FROM nodes WHERE public_key = ?", key));
    assertEquals(T0.toEpochMilli(), number("SELECT first_seen FROM nodes WHERE public_key = ?", key));
    assertEquals(T0.plusSeconds(3).toEpochMilli(), number("SELECT last_seen FROM nodes WHERE public_key = ?", key));
    assertEquals(1, number("SELECT reception_count FROM node_observers WHERE public_key = ? AND observer = ?", key,
        OBS_B));
    assertEquals(nodesBefore + 1, number("SELECT SUM(value) FROM node_stats WHERE metric = 'nodes_total'"));
  }

  @Test
  void onlyANewerSignedAdvertRenamesANode() throws Exception {
    String key = Samples.publicKey(100 + next++);
    write(new NodeProjectionHandler("node-1", TableNames.live()), List.of(
        new NodeEntity.AdvertRecorded(key, advert(2000, "Newer", true), heard(OBS_A, 10)),
        new NodeEntity.AdvertRecorded(key, advert(1000, "Older", true), heard(OBS_A, 20)),
        new NodeEntity.AdvertRecorded(key, advert(3000, "Forged", false), heard(OBS_A, 30))));
    assertEquals("Newer", value("SELECT name FROM nodes WHERE public_key = ?", key));
    assertEquals(2000L, number("SELECT last_advert_timestamp FROM nodes WHERE public_key = ?", key));
    assertEquals(3, number("SELECT advert_count FROM nodes WHERE public_key = ?", key));
  }

  @Test
  void anObserverStatusNamesANodeOnlyUntilAnAdvertDoesAndOfflineIsNotSeen() throws Exception {
    String key = Samples.publicKey(100 + next++);
    NodeProjectionHandler handler = new NodeProjectionHandler("node-2", TableNames.live());
    write(handler, List.of(new NodeEntity.ObserverStatusReported(key, new NodeEntity.ObserverStatus("obs-west",
        "online", "T-Beam", "1.8", null, null, "{\"queue\":3}", T0))));
    assertEquals("obs-west", value("SELECT name FROM nodes WHERE public_key = ?", key));
    assertEquals(1, number("SELECT CASE WHEN is_observer THEN 1 ELSE 0 END FROM nodes WHERE public_key = ?", key));
    write(handler, List.of(
        new NodeEntity.AdvertRecorded(key, advert(500, "West Observer", true), heard(OBS_A, 5)),
        new NodeEntity.ObserverStatusReported(key, new NodeEntity.ObserverStatus("obs-renamed", "offline", null,
            null, null, null, null, T0.plusSeconds(100)))));
    assertEquals("West Observer", value("SELECT name FROM nodes WHERE public_key = ?", key));
    assertEquals("offline", value("SELECT observer_status FROM nodes WHERE public_key = ?", key));
    assertEquals(T0.plusSeconds(5).toEpochMilli(), number("SELECT last_seen FROM nodes WHERE public_key = ?", key),
        "an offline report does not count as hearing the node");
  }

  @Test
  void anObserverIsOnlineWhenHeardWithinTheHourAndNotReportingOffline() throws Exception {
    Instant now = T0.plusSeconds(3 * 3600 + 15 * 60);
    ObserverQueries queries = new ObserverQueries(db, Clock.fixed(now, ZoneOffset.UTC));
    String recent = Samples.publicKey(100 + next++);
    String offline = Samples.publicKey(100 + next++);
    String quiet = Samples.publicKey(100 + next++);
    write(new NodeProjectionHandler("node-1", TableNames.live()), List.of(
        status(recent, "online", now.minusSeconds(300)),
        status(offline, "online", now.minusSeconds(900)),
        status(offline, "offline", now.minusSeconds(600)),
        status(quiet, "online", now.minusSeconds(3601))));
    assertTrue(queries.get(recent).orElseThrow().online());
    assertFalse(queries.get(offline).orElseThrow().online(), "heard 15 minutes ago, but its last report said offline");
    assertFalse(queries.get(quiet).orElseThrow().online(), "last heard more than an hour ago");
  }

  @Test
  void anObserversLastHourIsTheCurrentHourPlusItsShareOfThePreviousHourFromTheCounters() throws Exception {
    // Ten days after the other tests' traffic, whose hourly counters they check. At 15:15 the last 60 minutes are
    // the current hour's first quarter and the previous hour's last three quarters.
    Instant noon = T0.plus(Duration.ofDays(10));
    Instant now = noon.plus(Duration.ofMinutes(3 * 60 + 15));
    String observer = Samples.publicKey(100 + next++);
    write(new NodeProjectionHandler("node-1", TableNames.live()), List.of(status(observer, "online", now)));
    List<Instant> times = new ArrayList<>();
    times.add(noon.plus(Duration.ofMinutes(90))); // 13:30, more than an hour before
    for (int quarter = 0; quarter < 4; quarter++) {
      times.add(noon.plus(Duration.ofSeconds(2 * 3600 + 450 + quarter * 900))); // 14:07:30, 14:22:30, ...
    }
    times.add(noon.plus(Duration.ofMinutes(3 * 60 + 5))); // 15:05
    times.add(noon.plus(Duration.ofMinutes(3 * 60 + 12))); // 15:12
    List<MessageEntity.Event> messages = new ArrayList<>();
    for (Instant at : times) {
      messages.add(new MessageEntity.MessageRecorded(Samples.packetHash(100 + next++),
          new MessageEntity.MessageContent("channel", 5, 0x11, "Public", true, "Ann", "heard at " + at,
              at.getEpochSecond(), 0, null, null), null, new Reception(observer, at, 5.0, -100, 1, null)));
    }
    write(new MessageProjectionHandler("message-1", TableNames.live()), messages);
    ObserverViews.Observer o = new ObserverQueries(db, Clock.fixed(now, ZoneOffset.UTC)).get(observer).orElseThrow();
    assertEquals(7, o.receptions24h());
    assertEquals(2 + 3, o.receptionsLastHour(), "both of 15:xx and three quarters of the four of 14:xx");
    Instant later = now.plus(Duration.ofMinutes(15));
    assertEquals(2 + 2, new ObserverQueries(db, Clock.fixed(later, ZoneOffset.UTC)).get(observer).orElseThrow()
        .receptionsLastHour(), "at 15:30, half of 14:xx");
  }

  static NodeEntity.ObserverStatusReported status(String key, String status, Instant at) {
    return new NodeEntity.ObserverStatusReported(key, new NodeEntity.ObserverStatus("obs-" + key.substring(0, 4),
        status, "Heltec V3", "1.8.2", null, null, null, at));
  }

  @Test
  void aRemovedTagStaysRemovedWhenAnOlderChangeIsReplayed() throws Exception {
    String key = Samples.publicKey(100 + next++);
    NodeProjectionHandler handler = new NodeProjectionHandler("node-3", TableNames.live());
    NodeEntity.TagSet set = new NodeEntity.TagSet(key, "site", "hill", T0);
    write(handler, List.of(set, new NodeEntity.TagRemoved(key, "site", T0.plusSeconds(1))));
    write(handler, List.of(set));
    assertNull(value("SELECT value FROM node_tags WHERE public_key = ? AND tag_key = 'site'", key));
    write(handler, List.of(new NodeEntity.TagSet(key, "site", "valley", T0.plusSeconds(2))));
    assertEquals("valley", value("SELECT value FROM node_tags WHERE public_key = ? AND tag_key = 'site'", key));
  }

  @Test
  void telemetryIsKeptOncePerReading() throws Exception {
    String key = Samples.publicKey(100 + next++);
    NodeEntity.TelemetryRecorded reading = new NodeEntity.TelemetryRecorded(key,
        new NodeEntity.Telemetry(OBS_A, T0, "{\"voltage\":3.9}"));
    write(new NodeProjectionHandler("node-0", TableNames.live()), List.of(reading, reading));
    assertEquals(1, number("SELECT COUNT(*) FROM telemetry WHERE public_key = ?", key));
    assertEquals(T0.toEpochMilli(), number("SELECT last_seen FROM nodes WHERE public_key = ?", key));
  }

  @Test
  void aMessageHeardTwiceIsOneMessageWithTwoReceptionsAndCountsOnce() throws Exception {
    String hash = Samples.packetHash(100 + next++);
    MessageProjectionHandler handler = new MessageProjectionHandler("message-0", TableNames.live());
    MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", 5, 0x42, "#handler", true,
        "Ann", "handler test text", 1_700_000_000L, 0, null, null);
    List<MessageEntity.Event> events = List.of(
        new MessageEntity.MessageRecorded(hash, content, null, heard(OBS_A, 0)),
        new MessageEntity.ReceptionAdded(hash, MessageEntity.KIND_MESSAGE, heard(OBS_B, 1)));
    long messagesBefore = number("SELECT COALESCE(SUM(value), 0) FROM message_stats"
        + " WHERE metric = 'messages_total'");
    write(handler, events);
    write(handler, events);
    assertEquals(1, number("SELECT COUNT(*) FROM messages WHERE packet_hash = ?", hash));
    assertEquals(2, number("SELECT COUNT(*) FROM receptions WHERE packet_hash = ?", hash));
    assertEquals(OBS_A, value("SELECT observer FROM messages WHERE packet_hash = ?", hash));
    assertEquals(messagesBefore + 1, number("SELECT SUM(value) FROM message_stats WHERE metric = 'messages_total'"));
    assertEquals(1, number("SELECT SUM(message_count) FROM channel_stats WHERE channel_idx = 66"));
    assertEquals(1, number("SELECT SUM(value) FROM message_stats WHERE metric = 'messages_hour' AND bucket = ?",
        StatDeltas.hourOf(T0.toEpochMilli())));
  }

  @Test
  void activityCountersCountChannelMessagesAndEachNewReceptionOncePerHour() throws Exception {
    Instant hourLater = T0.plusSeconds(7200);
    long hour = StatDeltas.hourOf(hourLater.toEpochMilli());
    String channel = Samples.packetHash(100 + next++);
    String contact = Samples.packetHash(100 + next++);
    Reception first = new Reception(OBS_A, hourLater, 1.0, -100, 1, null);
    Reception second = new Reception(OBS_B, hourLater.plusSeconds(1), 1.0, -100, 1, null);
    List<MessageEntity.Event> messages = List.of(
        new MessageEntity.MessageRecorded(channel, new MessageEntity.MessageContent("channel", 5, 0x11, "Public",
            true, "Ann", "counted", 1_700_000_000L, 0, null, null), null, first),
        new MessageEntity.ReceptionAdded(channel, MessageEntity.KIND_MESSAGE, second),
        new MessageEntity.MessageRecorded(contact, new MessageEntity.MessageContent("contact", 2, null, null, true,
            null, "direct", 1_700_000_000L, 0, "ab", "cd"), null, first));
    MessageProjectionHandler handler = new MessageProjectionHandler("message-2", TableNames.live());
    write(handler, messages);
    write(handler, messages);
    assertEquals(1, number("SELECT SUM(value) FROM message_stats WHERE metric = 'channel_messages_hour'"
        + " AND bucket = ?", hour), "the contact message is no channel message, the replay counts nothing");
    assertEquals(2, number("SELECT SUM(value) FROM message_stats WHERE metric = 'messages_hour' AND bucket = ?",
        hour));
    assertEquals(3, number("SELECT SUM(value) FROM message_stats WHERE metric = 'receptions_hour' AND bucket = ?",
        hour));

    String key = Samples.publicKey(100 + next++);
    List<NodeEntity.Event> adverts = List.of(
        new NodeEntity.AdvertRecorded(key, advert(4000, "Counted", true), first),
        new NodeEntity.AdvertHeard(key, 4000, second),
        new NodeEntity.AdvertHeard(key, 4000, second));
    write(new NodeProjectionHandler("node-2", TableNames.live()), adverts);
    assertEquals(2, number("SELECT SUM(value) FROM node_stats WHERE metric = 'advert_receptions_hour'"
        + " AND bucket = ?", hour), "the same observer twice is one reception");
    assertEquals(1, number("SELECT SUM(value) FROM node_stats WHERE metric = 'adverts_hour' AND bucket = ?", hour));
  }

  @Test
  void tracesAndOtherPacketsGetTheirOwnRowsAndReceptions() throws Exception {
    String trace = Samples.packetHash(100 + next++);
    String ack = Samples.packetHash(100 + next++);
    write(new MessageProjectionHandler("message-1", TableNames.live()), List.of(
        new MessageEntity.TraceRecorded(trace, new MessageEntity.TraceContent(77, 5, 0, List.of("a1", "b2"),
            List.of(6.5, -1.25)), null, heard(OBS_A, 0)),
        new MessageEntity.ReceptionAdded(trace, MessageEntity.KIND_TRACE, heard(OBS_B, 1)),
        new MessageEntity.PacketRecorded(ack, new MessageEntity.PacketInfo(3, "ack", 1), null, heard(OBS_B, 2))));
    assertEquals("a1,b2", value("SELECT path_hashes FROM trace_paths WHERE packet_hash = ?", trace));
    assertEquals("6.5,-1.25", value("SELECT snr_values FROM trace_paths WHERE packet_hash = ?", trace));
    assertEquals(2, number("SELECT COUNT(*) FROM receptions WHERE packet_hash = ?", trace));
    assertEquals("ack", value("SELECT payload_kind FROM packets WHERE packet_hash = ?", ack));
    assertEquals("packet", value("SELECT kind FROM receptions WHERE packet_hash = ?", ack));
  }

  @Test
  void theSchemaVersionThatAddedTheActivityCountersFillsThemFromTheRowsAlreadyProjected() throws Exception {
    Instant dayLater = T0.plusSeconds(86_400);
    long hour = StatDeltas.hourOf(dayLater.toEpochMilli());
    String channel = Samples.packetHash(100 + next++);
    write(new MessageProjectionHandler("message-3", TableNames.live()), List.of(
        new MessageEntity.MessageRecorded(channel, new MessageEntity.MessageContent("channel", 5, 0x11, "Public",
            true, "Ann", "projected before", 1_700_000_000L, 0, null, null), null,
            new Reception(OBS_A, dayLater, 1.0, -100, 1, null)),
        new MessageEntity.ReceptionAdded(channel, MessageEntity.KIND_MESSAGE,
            new Reception(OBS_B, dayLater.plusSeconds(2), 1.0, -100, 1, null))));
    String key = Samples.publicKey(100 + next++);
    write(new NodeProjectionHandler("node-3", TableNames.live()), List.of(
        new NodeEntity.AdvertRecorded(key, advert(5000, "Before", true), new Reception(OBS_A, dayLater, 1.0, -100,
            1, null))));
    String[] counters = {"channel_messages_hour", "receptions_hour", "advert_receptions_hour"};
    // As a database projected before that version: none of the new counters, the version not recorded.
    try (Connection c = db.connection(); java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM message_stats WHERE metric IN ('channel_messages_hour', 'receptions_hour')");
      st.executeUpdate("DELETE FROM node_stats WHERE metric = 'advert_receptions_hour'");
      st.executeUpdate("DELETE FROM meshhub_schema_version WHERE version = 5");
    }
    new org.meshhub.core.db.SchemaMigrations(db).migrate();
    assertEquals(1, number("SELECT SUM(value) FROM message_stats WHERE metric = ? AND bucket = ?", counters[0],
        hour));
    assertEquals(2, number("SELECT SUM(value) FROM message_stats WHERE metric = ? AND bucket = ?", counters[1],
        hour));
    assertEquals(1, number("SELECT SUM(value) FROM node_stats WHERE metric = ? AND bucket = ?", counters[2], hour));
    assertEquals(number("SELECT COUNT(*) FROM receptions"),
        number("SELECT SUM(value) FROM message_stats WHERE metric = 'receptions_hour'"), "every reception counted");
  }
}
