package org.meshhub.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.BatchOutcome;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.Slices;
import org.meshhub.core.node.NodeEntity.Advert;
import org.meshhub.core.node.NodeEntity.AdvertHeard;
import org.meshhub.core.node.NodeEntity.AdvertRecorded;
import org.meshhub.core.node.NodeEntity.Command;
import org.meshhub.core.node.NodeEntity.Event;
import org.meshhub.core.node.NodeEntity.ObserverStatus;
import org.meshhub.core.node.NodeEntity.ObserverStatusReported;
import org.meshhub.core.node.NodeEntity.State;
import org.meshhub.core.node.NodeEntity.Summary;
import org.meshhub.core.node.NodeEntity.TagRemoved;
import org.meshhub.core.node.NodeEntity.TagSet;
import org.meshhub.core.node.NodeEntity.Telemetry;
import org.meshhub.core.node.NodeEntity.TelemetryRecorded;

class NodeEntityTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private static ActorTestKit testKit;

  @BeforeAll
  static void startActorSystem() {
    testKit =
        ActorTestKit.create(
            "NodeEntityTest", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void firstReceptionOfAnAdvertRecordsIt() {
    String node = randomKey();
    var kit = entity(node);
    Advert advert = advert(1_700_000_000L, "Hilltop");
    Reception reception = reception(randomKey(), NOW);

    var result = recordAdvert(kit, advert, reception);

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals(List.of(new AdvertRecorded(node, advert, reception)), result.events());
    Summary summary = summary(kit);
    assertEquals("Hilltop", summary.name());
    assertEquals("repeater", summary.advType());
    assertEquals(51.5, summary.lat());
    assertEquals(-0.12, summary.lon());
    assertEquals(1_700_000_000L, summary.lastAdvertTimestamp());
    assertEquals(NOW, summary.firstSeen());
    assertEquals(NOW, summary.lastSeen());
    assertEquals(1, summary.advertCount());
    assertEquals(1, summary.receptionCount());
    assertFalse(summary.observer());
  }

  @Test
  void anotherObserverHearingTheSameAdvertAddsAReception() {
    String node = randomKey();
    var kit = entity(node);
    Advert advert = advert(1_700_000_000L, "Hilltop");
    recordAdvert(kit, advert, reception(randomKey(), NOW));
    Reception second = reception(randomKey(), NOW.plusSeconds(2));

    var result = recordAdvert(kit, advert, second);

    assertEquals(StatusReply.success(Outcome.RECEPTION_ADDED), result.reply());
    assertEquals(List.of(new AdvertHeard(node, 1_700_000_000L, second)), result.events());
    Summary summary = summary(kit);
    assertEquals(1, summary.advertCount());
    assertEquals(2, summary.receptionCount());
    assertEquals(NOW.plusSeconds(2), summary.lastSeen());
  }

  @Test
  void sameObserverRedeliveringAnAdvertChangesNothing() {
    var kit = entity(randomKey());
    Advert advert = advert(1_700_000_000L, "Hilltop");
    Reception reception = reception(randomKey(), NOW);
    recordAdvert(kit, advert, reception);
    State before = kit.getState();

    var result = recordAdvert(kit, advert, reception);

    assertEquals(StatusReply.success(Outcome.DUPLICATE), result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(before, result.state());
  }

  @Test
  void anOlderAdvertRecordedLateDoesNotOverwriteTheNewerName() {
    var kit = entity(randomKey());
    recordAdvert(kit, advert(1_700_000_500L, "New name"), reception(randomKey(), NOW));

    var result = recordAdvert(kit, advert(1_700_000_000L, "Old name"), reception(randomKey(), NOW.plusSeconds(60)));

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    Summary summary = summary(kit);
    assertEquals("New name", summary.name());
    assertEquals(1_700_000_500L, summary.lastAdvertTimestamp());
    assertEquals(2, summary.advertCount());
  }

  @Test
  void aNewerAdvertUpdatesNameTypeAndLocation() {
    var kit = entity(randomKey());
    recordAdvert(kit, advert(1_700_000_000L, "Old name"), reception(randomKey(), NOW));
    Advert moved = new Advert(1_700_000_900L, "New name", "room", 0x83, null, null, true, null, null);

    recordAdvert(kit, moved, reception(randomKey(), NOW.plusSeconds(900)));

    Summary summary = summary(kit);
    assertEquals("New name", summary.name());
    assertEquals("room", summary.advType());
    assertEquals(0x83, summary.flags());
    assertNull(summary.lat());
    assertNull(summary.lon());
  }

  @Test
  void anAdvertWithAnInvalidSignatureIsRecordedButDoesNotChangeTheNodesIdentity() {
    var kit = entity(randomKey());
    recordAdvert(kit, advert(1_700_000_000L, "Genuine"), reception(randomKey(), NOW));
    Advert forged = new Advert(1_900_000_000L, "Forged", "chat", 0x81, 0.0, 0.0, false, null, null);

    var result = recordAdvert(kit, forged, reception(randomKey(), NOW.plusSeconds(5)));

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals("Genuine", summary(kit).name());
    assertEquals(1_700_000_000L, summary(kit).lastAdvertTimestamp());
  }

  @Test
  void onlyTheObserversOfTheMostRecentAdvertsAreRemembered() {
    var kit = entity(randomKey());
    String observer = randomKey();
    for (int i = 0; i < NodeEntity.ADVERT_WINDOW + 6; i++) {
      recordAdvert(kit, advert(1_700_000_000L + i, "Hilltop"), reception(observer, NOW.plusSeconds(i)));
    }

    State state = kit.getState();

    assertEquals(NodeEntity.ADVERT_WINDOW, state.advertObservers().size());
    assertFalse(state.advertObservers().containsKey(1_700_000_005L));
    assertTrue(state.advertObservers().containsKey(1_700_000_006L));
    assertEquals(NodeEntity.ADVERT_WINDOW + 6, state.advertCount());
  }

  @Test
  void telemetryIsRecordedOnceAndItsRedeliveryIsADuplicate() {
    String node = randomKey();
    var kit = entity(node);
    Telemetry telemetry = new Telemetry(randomKey(), NOW, "{\"battery_mv\":4012}");

    var first = kit.<StatusReply<Outcome>>runCommand(replyTo -> new NodeEntity.RecordTelemetry(telemetry, replyTo));
    var again = kit.<StatusReply<Outcome>>runCommand(replyTo -> new NodeEntity.RecordTelemetry(telemetry, replyTo));

    assertEquals(StatusReply.success(Outcome.RECORDED), first.reply());
    assertEquals(List.of(new TelemetryRecorded(node, telemetry)), first.events());
    assertEquals(StatusReply.success(Outcome.DUPLICATE), again.reply());
    assertTrue(again.hasNoEvents());
    assertEquals(NOW, summary(kit).lastSeen());
  }

  @Test
  void anObserverStatusReportMarksTheNodeAsAnObserver() {
    String node = randomKey();
    var kit = entity(node);
    ObserverStatus status = status("online", NOW);

    var result = reportStatus(kit, status);

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals(List.of(new ObserverStatusReported(node, status)), result.events());
    assertTrue(summary(kit).observer());
    assertEquals(NOW, summary(kit).lastSeen());
  }

  @Test
  void anIdenticalObserverStatusReportIsADuplicate() {
    var kit = entity(randomKey());
    reportStatus(kit, status("online", NOW));

    var again = reportStatus(kit, status("online", NOW));
    var later = reportStatus(kit, status("online", NOW.plusSeconds(60)));

    assertEquals(StatusReply.success(Outcome.DUPLICATE), again.reply());
    assertTrue(again.hasNoEvents());
    assertEquals(StatusReply.success(Outcome.RECORDED), later.reply());
  }

  @Test
  void anOfflineReportDoesNotCountAsHearingTheObserver() {
    var kit = entity(randomKey());
    reportStatus(kit, status("online", NOW));

    reportStatus(kit, status("offline", NOW.plusSeconds(3600)));

    assertEquals(NOW, summary(kit).lastSeen());
    assertTrue(summary(kit).observer());
  }

  @Test
  void tagsCanBeSetChangedAndRemoved() {
    String node = randomKey();
    var kit = entity(node);

    var set = setTag(kit, "site", "church tower");
    var changed = setTag(kit, "site", "water tower");
    var removed = kit.<StatusReply<Outcome>>runCommand(replyTo -> new NodeEntity.RemoveTag("site", replyTo));

    assertEquals(StatusReply.success(Outcome.RECORDED), set.reply());
    TagSet tagSet = set.eventOfType(TagSet.class);
    assertEquals(List.of(node, "site", "church tower"), List.of(tagSet.publicKey(), tagSet.key(), tagSet.value()));
    assertEquals(Map.of("site", "water tower"), changed.state().tags());
    assertEquals(StatusReply.success(Outcome.RECORDED), removed.reply());
    assertEquals("site", removed.eventOfType(TagRemoved.class).key());
    assertEquals(Map.of(), summary(kit).tags());
  }

  @Test
  void settingATagToTheValueItHasIsADuplicate() {
    var kit = entity(randomKey());
    setTag(kit, "owner", "Alice");

    var again = setTag(kit, "owner", "Alice");

    assertEquals(StatusReply.success(Outcome.DUPLICATE), again.reply());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void removingATagThatIsNotSetIsADuplicate() {
    var kit = entity(randomKey());

    var result = kit.<StatusReply<Outcome>>runCommand(replyTo -> new NodeEntity.RemoveTag("owner", replyTo));

    assertEquals(StatusReply.success(Outcome.DUPLICATE), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void anInvalidTagKeyIsRejectedWithAClearErrorAndNoEvent() {
    var kit = entity(randomKey());

    var result = setTag(kit, "no spaces allowed", "x");

    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("invalid tag key [no spaces allowed]"));
    assertTrue(result.hasNoEvents());
  }

  @Test
  void aTagValueLongerThan1024CharactersIsRejected() {
    var kit = entity(randomKey());

    var result = setTag(kit, "notes", "x".repeat(1025));

    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("at most 1024"));
    assertTrue(result.hasNoEvents());
    assertEquals(StatusReply.success(Outcome.RECORDED), setTag(kit, "notes", "x".repeat(1024)).reply());
  }

  @Test
  void anEntityWhoseIdIsNotAPublicKeyRejectsEveryRecordCommand() {
    String notAKey = "ABCDEF";
    var kit = entity(notAKey);

    var advert = recordAdvert(kit, advert(1_700_000_000L, "Hilltop"), reception(randomKey(), NOW));
    var tag = setTag(kit, "site", "x");

    assertTrue(advert.reply().isError());
    assertTrue(advert.reply().getError().getMessage().contains("invalid node id [ABCDEF]"));
    assertTrue(advert.hasNoEvents());
    assertTrue(tag.reply().isError());
    assertTrue(tag.hasNoEvents());
  }

  @Test
  void aRecordCommandWithoutItsReceptionIsRejected() {
    var kit = entity(randomKey());

    var result = recordAdvert(kit, advert(1_700_000_000L, "Hilltop"), null);

    assertTrue(result.reply().isError());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void everyEventIsTaggedWithTheNodesSlice() throws Exception {
    String node = randomKey();
    var kit = entity(node);
    recordAdvert(kit, advert(1_700_000_000L, "Hilltop"), reception(randomKey(), NOW));
    reportStatus(kit, status("online", NOW));
    setTag(kit, "site", "x");
    String persistenceId = "Node|" + node;

    PersistenceTestKitReadJournal journal =
        PersistenceQuery.get(Adapter.toClassic(testKit.system()))
            .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    for (String tag : NodeEntity.TAGS) {
      List<EventEnvelope> tagged =
          journal
              .currentEventsByTag(tag, NoOffset.getInstance())
              .filter(envelope -> envelope.persistenceId().equals(persistenceId))
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      int expected = tag.equals(Slices.tagFor("node", node)) ? 3 : 0;
      assertEquals(expected, tagged.size(), "events of " + persistenceId + " tagged " + tag);
    }
  }

  @Test
  void stateAfterRestartEqualsStateBefore() {
    var kit = entity(randomKey());
    recordAdvert(kit, advert(1_700_000_000L, "Hilltop"), reception(randomKey(), NOW));
    recordAdvert(kit, advert(1_700_000_000L, "Hilltop"), reception(randomKey(), NOW.plusSeconds(1)));
    Telemetry telemetry = new Telemetry(null, NOW, "{}");
    kit.<StatusReply<Outcome>>runCommand(replyTo -> new NodeEntity.RecordTelemetry(telemetry, replyTo));
    reportStatus(kit, status("online", NOW));
    setTag(kit, "site", "x");
    State before = kit.getState();

    State after = kit.restart().state();

    assertEquals(before, after);
  }

  @Test
  void aSnapshotIsTakenEvery100EventsAndTheLatestTwoAreKept() {
    String node = randomKey();
    var kit = entity(node);
    for (int i = 0; i < 300; i++) {
      setTag(kit, "counter", Integer.toString(i));
    }
    State state = kit.getState();
    var snapshots = kit.snapshotTestKit().orElseThrow();

    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(3),
            () -> {
              List<Long> sequenceNumbers =
                  snapshots.persistedInStorage("Node|" + node).stream()
                      .map(pair -> pair.first().sequenceNr())
                      .toList();
              assertEquals(List.of(200L, 300L), sequenceNumbers);
              return null;
            });
    var latest = snapshots.persistedInStorage("Node|" + node).get(1).second();
    assertEquals(state, latest);
    assertEquals(state, kit.restart().state());
  }

  @Test
  void repliesSurviveSerialization() {
    var kit = entity(randomKey());
    setTag(kit, "site", "x");

    testKit.serializationTestKit().verifySerialization(summary(kit), true);
    testKit.serializationTestKit().verifySerialization(StatusReply.success(Outcome.RECEPTION_ADDED), true);
  }

  @Test
  void aHistoryCommandRecordsEachAdvertOnceWithOneReceptionPerObserverInOnePersist() {
    String node = randomKey();
    var kit = entity(node);
    String a = randomKey();
    String b = randomKey();
    Advert first = advert(1_700_000_000L, "Hilltop");
    Advert second = advert(1_700_000_600L, "Hilltop");
    Reception aHears = reception(a, NOW);
    Reception bHears = reception(b, NOW.plusSeconds(1));
    Reception aLater = reception(a, NOW.plusSeconds(600));
    // The second row of the first advert (a MeshCore Hub bucket duplicate): b is new for it, a is not.
    var result = history(kit, List.of(new NodeEntity.AdvertReceptions(first, List.of(aHears)),
        new NodeEntity.AdvertReceptions(first, List.of(bHears, reception(a, NOW.plusSeconds(2)))),
        new NodeEntity.AdvertReceptions(second, List.of(aLater))), List.of(), List.of(), List.of());

    assertEquals(StatusReply.success(new BatchOutcome(2, 1, 1)), result.reply());
    assertEquals(List.of(new AdvertRecorded(node, first, aHears), new AdvertHeard(node, first.advertTimestamp(), bHears),
        new AdvertRecorded(node, second, aLater)), result.events());
    Summary summary = summary(kit);
    assertEquals(2, summary.advertCount());
    assertEquals(3, summary.receptionCount());
    assertEquals(NOW, summary.firstSeen());
    assertEquals(NOW.plusSeconds(600), summary.lastSeen());
  }

  @Test
  void aHistoryCommandSentAgainChangesNothing() {
    String node = randomKey();
    var kit = entity(node);
    Advert advert = advert(1_700_000_000L, "Hilltop");
    Telemetry telemetry = new Telemetry(randomKey(), NOW, "{\"t\":21.5}");
    NodeEntity.TagValue tag = new NodeEntity.TagValue("role", "infra", NOW.minusSeconds(60));
    ObserverStatus status = status(null, NOW.minusSeconds(3_600));
    List<NodeEntity.AdvertReceptions> adverts = List.of(new NodeEntity.AdvertReceptions(advert,
        List.of(reception(randomKey(), NOW))));
    var first = history(kit, adverts, List.of(telemetry), List.of(tag), List.of(status));
    assertEquals(StatusReply.success(new BatchOutcome(4, 0, 0)), first.reply());
    assertEquals(new TagSet(node, "role", "infra", NOW.minusSeconds(60)), first.events().get(2));

    var again = history(kit, adverts, List.of(telemetry), List.of(tag), List.of(status));

    assertEquals(StatusReply.success(new BatchOutcome(0, 0, 4)), again.reply());
    assertTrue(again.events().isEmpty());
  }

  @Test
  void aHistoryCommandWithATagTheSingleCommandWouldRefuseIsRefusedWhole() {
    var kit = entity(randomKey());
    var result = history(kit, List.of(new NodeEntity.AdvertReceptions(advert(1_700_000_000L, "Hilltop"),
        List.of(reception(randomKey(), NOW)))), List.of(), List.of(new NodeEntity.TagValue("bad key!", "x", NOW)),
        List.of());

    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("invalid tag key"), result.reply().toString());
    assertTrue(result.events().isEmpty());
  }

  // -------------------------------------------------------------------------------------------------------------

  private static EventSourcedBehaviorTestKit<Command, Event, State> entity(String publicKey) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        NodeEntity.create(publicKey, Slices.tagFor(NodeEntity.TAG_PREFIX, publicKey)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Outcome>> recordAdvert(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, Advert advert, Reception reception) {
    return kit.runCommand(replyTo -> new NodeEntity.RecordAdvert(advert, reception, replyTo));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Outcome>> reportStatus(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, ObserverStatus status) {
    return kit.runCommand(replyTo -> new NodeEntity.ReportObserverStatus(status, replyTo));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Outcome>> setTag(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, String key, String value) {
    return kit.runCommand(replyTo -> new NodeEntity.SetTag(key, value, replyTo));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<BatchOutcome>> history(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, List<NodeEntity.AdvertReceptions> adverts,
      List<Telemetry> telemetry, List<NodeEntity.TagValue> tags, List<ObserverStatus> statuses) {
    return kit.runCommand(replyTo -> new NodeEntity.RecordHistory(adverts, telemetry, tags, statuses, replyTo));
  }

  private static Summary summary(EventSourcedBehaviorTestKit<Command, Event, State> kit) {
    return kit.<Summary>runCommand(NodeEntity.Get::new).reply();
  }

  private static Advert advert(long advertTimestamp, String name) {
    return new Advert(advertTimestamp, name, "repeater", 0x92, 51.5, -0.12, true, "0123456789ABCDEF", "1100aabb");
  }

  private static Reception reception(String observer, Instant receivedAt) {
    return new Reception(observer, receivedAt, 7.25, -92, 2, "a1b2");
  }

  private static ObserverStatus status(String status, Instant reportedAt) {
    return new ObserverStatus(
        "Hilltop", status, "Heltec V3", "v1.7.2", "869.525,250,11,5", "meshcoretomqtt/1.0", "{\"uptime\":42}",
        reportedAt);
  }

  static String randomKey() {
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }
}
