package org.meshhub.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.meshhub.core.message.MessageEntity.Command;
import org.meshhub.core.message.MessageEntity.Event;
import org.meshhub.core.message.MessageEntity.MessageContent;
import org.meshhub.core.message.MessageEntity.MessageRecorded;
import org.meshhub.core.message.MessageEntity.PacketInfo;
import org.meshhub.core.message.MessageEntity.PacketRecorded;
import org.meshhub.core.message.MessageEntity.ReceptionAdded;
import org.meshhub.core.message.MessageEntity.State;
import org.meshhub.core.message.MessageEntity.Summary;
import org.meshhub.core.message.MessageEntity.TraceContent;
import org.meshhub.core.message.MessageEntity.TraceRecorded;

class MessageEntityTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final String RAW = "1500a1b2c3d4";

  private static ActorTestKit testKit;

  @BeforeAll
  static void startActorSystem() {
    testKit =
        ActorTestKit.create(
            "MessageEntityTest", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stopActorSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void firstReceptionOfAMessageRecordsIt() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception reception = reception(randomKey());

    var result = recordMessage(kit, channelMessage(), reception);

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals(List.of(new MessageRecorded(hash, channelMessage(), RAW, reception)), result.events());
    assertEquals(new Summary(hash, "message", Set.of(reception.observer())), summary(kit));
  }

  @Test
  void firstReceptionOfATraceRecordsIt() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception reception = reception(randomKey());
    TraceContent trace = new TraceContent(0xDEADBEEFL, 42L, 0, List.of("a1", "b2"), List.of(9.5, -3.25));

    var result =
        kit.<StatusReply<Outcome>>runCommand(replyTo -> new MessageEntity.RecordTrace(trace, RAW, reception, replyTo));

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals(List.of(new TraceRecorded(hash, trace, RAW, reception)), result.events());
    assertEquals("trace", summary(kit).kind());
  }

  @Test
  void firstReceptionOfAnyOtherPacketRecordsIt() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception reception = reception(randomKey());

    var result = recordPacket(kit, ack(), reception);

    assertEquals(StatusReply.success(Outcome.RECORDED), result.reply());
    assertEquals(List.of(new PacketRecorded(hash, ack(), RAW, reception)), result.events());
    assertEquals("packet", summary(kit).kind());
  }

  @Test
  void anotherObserverHearingTheSamePacketAddsAReception() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception first = reception(randomKey());
    recordMessage(kit, channelMessage(), first);
    Reception second = reception(randomKey());

    var result = recordMessage(kit, channelMessage(), second);

    assertEquals(StatusReply.success(Outcome.RECEPTION_ADDED), result.reply());
    assertEquals(List.of(new ReceptionAdded(hash, "message", second)), result.events());
    assertEquals(Set.of(first.observer(), second.observer()), summary(kit).observers());
  }

  @Test
  void sameObserverRedeliveringAPacketChangesNothing() {
    var kit = entity(randomHash());
    Reception reception = reception(randomKey());
    recordMessage(kit, channelMessage(), reception);
    State before = kit.getState();

    var result = recordMessage(kit, channelMessage(), reception);

    assertEquals(StatusReply.success(Outcome.DUPLICATE), result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(before, result.state());
  }

  @Test
  void aLaterCommandOfAnotherKindCountsAsAReceptionOfWhatWasRecorded() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception first = reception(randomKey());
    recordMessage(kit, channelMessage(), first);
    Reception second = reception(randomKey());

    var fromAnother = recordPacket(kit, ack(), second);
    var fromTheFirst = recordPacket(kit, ack(), first);

    assertEquals(StatusReply.success(Outcome.RECEPTION_ADDED), fromAnother.reply());
    assertEquals(List.of(new ReceptionAdded(hash, "message", second)), fromAnother.events());
    assertEquals(StatusReply.success(Outcome.DUPLICATE), fromTheFirst.reply());
    assertTrue(fromTheFirst.hasNoEvents());
    assertEquals("message", summary(kit).kind());
  }

  @Test
  void anEntityWhoseIdIsNotAPacketHashRejectsRecordCommands() {
    var kit = entity("0123456789abcdef");

    var result = recordMessage(kit, channelMessage(), reception(randomKey()));

    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("invalid message id [0123456789abcdef]"));
    assertTrue(result.hasNoEvents());
    assertNull(summary(kit).kind());
  }

  @Test
  void rawThatIsNotHexIsRejectedWithNoEvent() {
    var kit = entity(randomHash());

    var result =
        kit.<StatusReply<Outcome>>runCommand(
            replyTo -> new MessageEntity.RecordPacket(ack(), "not hex", reception(randomKey()), replyTo));

    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("raw"));
    assertTrue(result.hasNoEvents());
  }

  @Test
  void aRecordCommandWithoutContentIsRejectedWithNoEvent() {
    var kit = entity(randomHash());

    var result = recordMessage(kit, null, reception(randomKey()));

    assertTrue(result.reply().isError());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void contentThatBreaksTheFormatCannotBeBuilt() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MessageContent("broadcast", 5, null, null, false, null, null, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new PacketInfo(16, "ack", 1));
    assertThrows(
        IllegalArgumentException.class, () -> new Reception("ABCDEF", NOW, null, null, 0, null));
  }

  @Test
  void everyEventIsTaggedWithThePacketsSlice() throws Exception {
    String hash = randomHash();
    var kit = entity(hash);
    recordMessage(kit, channelMessage(), reception(randomKey()));
    recordMessage(kit, channelMessage(), reception(randomKey()));
    String persistenceId = "Message|" + hash;

    PersistenceTestKitReadJournal journal =
        PersistenceQuery.get(Adapter.toClassic(testKit.system()))
            .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    for (String tag : MessageEntity.TAGS) {
      List<EventEnvelope> tagged =
          journal
              .currentEventsByTag(tag, NoOffset.getInstance())
              .filter(envelope -> envelope.persistenceId().equals(persistenceId))
              .runWith(Sink.seq(), testKit.system())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      int expected = tag.equals(Slices.tagFor("message", hash)) ? 2 : 0;
      assertEquals(expected, tagged.size(), "events of " + persistenceId + " tagged " + tag);
    }
  }

  @Test
  void stateAfterRestartEqualsStateBefore() {
    var kit = entity(randomHash());
    recordMessage(kit, channelMessage(), reception(randomKey()));
    recordPacket(kit, ack(), reception(randomKey()));
    State before = kit.getState();

    State after = kit.restart().state();

    assertEquals(before, after);
  }

  @Test
  void repliesSurviveSerialization() {
    var kit = entity(randomHash());
    recordMessage(kit, contactMessage(), reception(randomKey()));

    testKit.serializationTestKit().verifySerialization(summary(kit), true);
  }

  @Test
  void aPacketWithAllItsReceptionsIsRecordedByTheFirstAndHeardByTheOthersInOnePersist() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception first = reception(randomKey());
    Reception second = reception(randomKey());

    var result = kit.<StatusReply<BatchOutcome>>runCommand(replyTo -> new MessageEntity.RecordMessageReceptions(
        channelMessage(), null, List.of(first, second, first), replyTo));

    assertEquals(StatusReply.success(new BatchOutcome(1, 1, 1)), result.reply());
    assertEquals(List.of(new MessageRecorded(hash, channelMessage(), null, first),
        new ReceptionAdded(hash, MessageEntity.KIND_MESSAGE, second)), result.events());
    assertEquals(new Summary(hash, "message", Set.of(first.observer(), second.observer())), summary(kit));
  }

  @Test
  void receptionsOfAPacketRecordedBeforeOnlyAddTheNewObservers() {
    String hash = randomHash();
    var kit = entity(hash);
    Reception known = reception(randomKey());
    recordMessage(kit, channelMessage(), known);
    Reception fresh = reception(randomKey());
    TraceContent trace = new TraceContent(7, 0, 0, List.of("aa"), List.of(1.5));

    var result = kit.<StatusReply<BatchOutcome>>runCommand(replyTo -> new MessageEntity.RecordTraceReceptions(
        trace, null, List.of(known, fresh), replyTo));

    assertEquals(StatusReply.success(new BatchOutcome(0, 1, 1)), result.reply());
    assertEquals(List.of(new ReceptionAdded(hash, MessageEntity.KIND_MESSAGE, fresh)), result.events());
  }

  // -------------------------------------------------------------------------------------------------------------

  private static EventSourcedBehaviorTestKit<Command, Event, State> entity(String hash) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        MessageEntity.create(hash, Slices.tagFor(MessageEntity.TAG_PREFIX, hash)),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Outcome>> recordMessage(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, MessageContent content, Reception reception) {
    return kit.runCommand(replyTo -> new MessageEntity.RecordMessage(content, RAW, reception, replyTo));
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Outcome>> recordPacket(
      EventSourcedBehaviorTestKit<Command, Event, State> kit, PacketInfo info, Reception reception) {
    return kit.runCommand(replyTo -> new MessageEntity.RecordPacket(info, RAW, reception, replyTo));
  }

  private static Summary summary(EventSourcedBehaviorTestKit<Command, Event, State> kit) {
    return kit.<Summary>runCommand(MessageEntity.Get::new).reply();
  }

  private static MessageContent channelMessage() {
    return new MessageContent(
        "channel", 5, 0x11, "Public", true, "Alice", "Hello mesh", 1_700_000_000L, 0, null, null);
  }

  private static MessageContent contactMessage() {
    return new MessageContent("contact", 2, null, null, false, null, null, null, null, "a1", "b2");
  }

  private static PacketInfo ack() {
    return new PacketInfo(3, "ack", 1);
  }

  private static Reception reception(String observer) {
    return new Reception(observer, NOW, -4.5, -110, 3, "a1b2c3");
  }

  static String randomKey() {
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  static String randomHash() {
    byte[] hash = new byte[8];
    ThreadLocalRandom.current().nextBytes(hash);
    return HexFormat.of().formatHex(hash).toUpperCase(Locale.ROOT);
  }
}
