package org.meshhub.migration.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Reception;
import org.meshhub.core.ingest.DerivedHash;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/** What single MeshCore Hub rows become, without a database. */
class HubMappingTest {
  private static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
  private static final String KEY = "ab".repeat(32);
  private static final String OBSERVER = "cd".repeat(32);
  private static final String OTHER = "ef".repeat(32);

  private final NodeDirectory nodes = NodeDirectory.of(List.of(
      new NodeDirectory.Node("n1", KEY, KEY, "Hilltop", false, T, T, 47.5, -122.1),
      new NodeDirectory.Node("o1", OBSERVER, OBSERVER, "Observer", true, T, T, null, null),
      new NodeDirectory.Node("o2", OTHER, OTHER.toUpperCase(), null, true, T, T, null, null),
      new NodeDirectory.Node("bad", null, "not-a-key", null, true, T, T, null, null)));
  private final HubMapping mapping = new HubMapping(nodes, Map.of(202, "#bot"));

  @Test
  void timesFromSqliteTextAndFromPostgresReadAsTheSameInstant() {
    Instant at = Instant.parse("2026-06-13T07:30:00.123456Z");
    assertEquals(at, HubTime.parse("2026-06-13 07:30:00.123456"));
    assertEquals(at, HubTime.parse("2026-06-13 07:30:00.123456+00"));
    assertEquals(at, HubTime.parse("2026-06-13T09:30:00.123456+02:00"));
    assertEquals(Instant.parse("2026-06-13T07:30:00Z"), HubTime.parse("2026-06-13 07:30:00"));
    assertEquals(Instant.parse("2026-06-13T07:30:00Z"), HubTime.parse("2026-06-13T07:30:00Z"));
    assertNull(HubTime.parse("yesterday"));
    assertNull(HubTime.parse(""));
    assertNull(HubTime.parse(null));
  }

  @Test
  void anAdvertIsKeyedByItsOwnTimestampElseByTheFiveMinuteBucketOfItsReception() {
    Counters counters = new Counters();
    NodeEntity.Advert own = mapping.advert(advert(T.plusSeconds(30), T.minusSeconds(7), 146, null), false, counters)
        .value();
    NodeEntity.Advert bucketed = mapping.advert(advert(T.plusSeconds(299), null, 146, null), false, counters).value();

    assertEquals(T.minusSeconds(7).getEpochSecond(), own.advertTimestamp());
    assertEquals(T.getEpochSecond(), bucketed.advertTimestamp());
    assertEquals(1, counters.get(Counters.NOTE + HubMapping.NOTE_ADVERT_BUCKET));
    assertTrue(own.signatureValid(), "MeshCore Hub keeps no signature; its adverts are taken as it took them");
  }

  @Test
  void anAdvertsTypeComesFromItsFlagsAsMeshHubDecodesIt_elseFromTheStoredName() {
    Counters c = new Counters();
    assertEquals("repeater", mapping.advert(advert(T, T, 0x92, "chat"), false, c).value().advType());
    assertEquals("sensor", mapping.advert(advert(T, T, 0x84, "companion"), false, c).value().advType());
    assertEquals("companion", mapping.advert(advert(T, T, null, "Companion"), false, c).value().advType());
    assertEquals("none", mapping.advert(advert(T, T, null, null), false, c).value().advType());
    assertEquals(0, mapping.advert(advert(T, T, null, null), false, c).value().flags());
  }

  @Test
  void onlyTheNodesLatestAdvertCarriesTheLocationItsNodeRowKeeps() {
    Counters c = new Counters();
    NodeEntity.Advert latest = mapping.advert(advert(T, T, 0x92, null), true, c).value();
    NodeEntity.Advert older = mapping.advert(advert(T, T, 0x92, null), false, c).value();
    assertEquals(47.5, latest.lat());
    assertEquals(-122.1, latest.lon());
    assertNull(older.lat());
  }

  @Test
  void anAdvertWithoutAValidPublicKeyOrReceptionTimeIsNotMapped() {
    Counters c = new Counters();
    HubRows.AdvertRow noKey = new HubRows.AdvertRow("a", "xyz", "n", null, 1, T, "h", T, null, "o1");
    HubRows.AdvertRow noTime = new HubRows.AdvertRow("a", KEY, "n", null, 1, null, "h", T, null, "o1");
    assertEquals(Unmapped.ADVERT_KEY, mapping.advert(noKey, false, c).reason());
    assertEquals(Unmapped.ADVERT_TIME, mapping.advert(noTime, false, c).reason());
    assertEquals(KEY, HubMapping.advertKey(new HubRows.AdvertRow("a", KEY.toUpperCase(), "n", null, 1, T, "h", T,
        null, "o1")), "keys are compared lower-cased");
  }

  @Test
  void aMessageIsKeyedByItsPacketHashElseAsMeshHubKeysAMessageWithoutItsPacket() {
    assertEquals("B35E8EC0E974A30B", HubMapping.messageKey(message("channel", "Alice: hi", "b35e8ec0e974a30b", 5)));
    assertEquals(DerivedHash.of("channel", Long.toString(T.getEpochSecond()), "Alice: hi"),
        HubMapping.messageKey(message("channel", "Alice: hi", null, 5)));
    assertEquals(DerivedHash.of("channel", Long.toString(T.getEpochSecond()), "Alice: hi"),
        HubMapping.messageKey(message("channel", "Alice: hi", "not hex", 5)), "a hash that is not one is no id");
    assertNull(HubMapping.messageKey(message("weird", "x", null, 0)));
  }

  @Test
  void aChannelMessageIsSplitIntoSenderAndTextAndNamedByItsChannel() {
    Counters c = new Counters();
    MessageEntity.MessageContent m = mapping.message(message("channel", "Alice: hello there", "B35E8EC0E974A30B", 5), c)
        .value();
    assertEquals("Alice", m.sender());
    assertEquals("hello there", m.text());
    assertEquals(0, m.txtType(), "MeshCore Hub stores the payload type (5) where the text type (0) belongs");
    assertEquals("Public", m.channelName(), "channel 17 is the built-in Public channel");
    HubRows.MessageRow bot = new HubRows.MessageRow("m", "channel", null, 202, "Bob: yo", 1, 5, 1.0, T, T, "h",
        null, "o1");
    assertEquals("#bot", mapping.message(bot, c).value().channelName(), "named by MeshCore Hub's channels table");
    assertEquals(1, c.get(Counters.NOTE + HubMapping.NOTE_DERIVED_KEY));
  }

  @Test
  void aContactMessageKeepsItsSenderPrefixAndNotThePayloadTypeStoredAsItsTextType() {
    HubRows.MessageRow row = new HubRows.MessageRow("m", "contact", "A1B2C3D4E5F6", null, "ping", 0, 2, 8.0, T, T, "h",
        "ED5D121DC09272C4", "o1");
    MessageEntity.MessageContent m = mapping.message(row, new Counters()).value();
    assertEquals("a1b2c3d4e5f6", m.srcHash());
    assertNull(m.txtType());
    assertEquals(Unmapped.MESSAGE_TYPE, mapping.message(message("status", "x", null, 0), new Counters()).reason());
  }

  @Test
  void aTraceWithJsonNullListsHasNoHopsAndOneWithUnreadableListsIsNotMapped() {
    HubRows.TraceRow empty = new HubRows.TraceRow("t", 7L, null, 0, 0L, "null", "null", T, "h", "o1");
    HubRows.TraceRow broken = new HubRows.TraceRow("t", 7L, 1, 0, 0L, "[\"zz\"]", "[1.0]", T, "h", "o1");
    HubRows.TraceRow tooBig = new HubRows.TraceRow("t", 1L << 33, 1, 0, 0L, "[]", "[]", T, "h", "o1");
    assertEquals(List.of(), mapping.trace(empty).value().routeHashes());
    assertEquals(DerivedHash.of("trace", "7", "0"), HubMapping.traceKey(empty));
    assertEquals(Unmapped.TRACE_PATH, mapping.trace(broken).reason());
    assertEquals(Unmapped.TRACE_TAG, mapping.trace(tooBig).reason());
  }

  @Test
  void telemetryKeepsItsReadingsAsCompactJsonAndJsonNullIsNoReading() {
    HubRows.TelemetryRow row = new HubRows.TelemetryRow("t", KEY, "{\"temperature\": 21.5, \"humidity\": 40}", T, "h",
        "o1");
    HubRows.TelemetryRow none = new HubRows.TelemetryRow("t", KEY, "null", T, "h", "o1");
    assertEquals("{\"temperature\":21.5,\"humidity\":40}", mapping.telemetryData(row).value());
    assertEquals(Unmapped.TELEMETRY_DATA, mapping.telemetryData(none).reason());
  }

  @Test
  void receptionsAreTheObserverRowsInTheOrderHeard_orTheEventRowsOwnObserverWhenThereAreNone() {
    Counters c = new Counters();
    List<Reception> heard = mapping.receptions(List.of(
        new HubRows.ObserverRow("h", "o2", null, null, T.plusSeconds(2)),
        new HubRows.ObserverRow("h", "o1", 4.0, 3, T.plusSeconds(1)),
        new HubRows.ObserverRow("h", "gone", 1.0, 1, T),
        new HubRows.ObserverRow("h", "bad", 1.0, 1, T)), "o2", T, 5, 6.5, c);

    assertEquals(List.of(new Reception(OBSERVER, T.plusSeconds(1), 4.0, null, 3, null),
        new Reception(OTHER, T.plusSeconds(2), 6.5, null, 5, null)), heard,
        "the first observer's missing SNR and path length come from the event row");
    assertEquals(2, c.get(Unmapped.OBSERVER_NODE.counter()));
    assertEquals(2, c.get(Counters.OBSERVERS_MAPPED));

    List<Reception> fromRow = mapping.receptions(List.of(), "o1", T, 255, null, c);
    assertEquals(List.of(new Reception(OBSERVER, T, null, null, 0, null)), fromRow,
        "no observer rows: the row's own observer; path length 255 (direct) is no hop count");
    assertEquals(1, c.get(Counters.NOTE + HubMapping.NOTE_RECEPTION_FROM_ROW));
    assertTrue(mapping.receptions(List.of(), null, T, 0, null, c).isEmpty());
  }

  @Test
  void anObserverNodeBecomesStatusReportsAtItsFirstAndLastSightings() {
    List<NodeEntity.ObserverStatus> reports = mapping.observerStatus(new NodeDirectory.Node("o", OBSERVER, OBSERVER,
        "Observer", true, T, T.plusSeconds(60), null, null)).value();
    assertEquals(List.of(T, T.plusSeconds(60)), reports.stream().map(NodeEntity.ObserverStatus::reportedAt).toList());
    assertEquals(Unmapped.NODE_KEY, mapping.observerStatus(nodes.byId("bad")).reason());
    assertFalse(mapping.observerStatus(new NodeDirectory.Node("o", OBSERVER, OBSERVER, null, true, null, null, null,
        null)).mapped());
  }

  @Test
  void aTagWithoutValueIsKeptEmpty_oneMeshHubWouldRefuseIsNotMapped() {
    Counters c = new Counters();
    assertEquals("", mapping.tag(new HubRows.TagRow("t", "n1", "owner", null, T), c).value().value().value());
    assertEquals(Unmapped.TAG_KEY, mapping.tag(new HubRows.TagRow("t", "n1", "bad key", "x", T), c).reason());
    assertEquals(Unmapped.TAG_VALUE, mapping.tag(new HubRows.TagRow("t", "n1", "k", "x".repeat(1_025), T), c)
        .reason());
    assertEquals(Unmapped.TAG_NODE, mapping.tag(new HubRows.TagRow("t", "nobody", "k", "x", T), c).reason());
    assertEquals(Unmapped.TAG_TIME, mapping.tag(new HubRows.TagRow("t", "n1", "k", "x", null), c).reason());
  }

  private static HubRows.AdvertRow advert(Instant receivedAt, Instant own, Integer flags, String advType) {
    return new HubRows.AdvertRow("a", KEY, "Hilltop", advType, flags, receivedAt, "h", own, null, "o1");
  }

  private static HubRows.MessageRow message(String type, String text, String packetHash, Integer txtType) {
    return new HubRows.MessageRow("m", type, null, 17, text, 1, txtType, 3.0, T, T.plusSeconds(1), "h", packetHash,
        "o1");
  }
}
