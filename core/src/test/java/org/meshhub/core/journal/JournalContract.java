package org.meshhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.persistence.jdbc.query.dao.ReadJournalDao;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Outcome;
import org.meshhub.core.Slices;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;

/**
 * What the journal must do on every backend: persist through the real plugin, survive a restart of the actor
 * system, and hand tagged events to eventsByTag with a working ordering.
 */
abstract class JournalContract {
  static final Duration ASK = Duration.ofSeconds(30);

  abstract DatabaseSettings settings();

  static Outcome ask(ActorSystem<?> system, String publicKey, NodeEntity.Advert advert, String observer)
      throws Exception {
    return ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, publicKey)
        .<Outcome>askWithStatus(r -> new NodeEntity.RecordAdvert(advert, Samples.reception(observer, Instant.now()), r),
            ASK)
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static NodeEntity.Summary node(ActorSystem<?> system, String publicKey) throws Exception {
    return ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, publicKey)
        .<NodeEntity.Summary>ask(NodeEntity.Get::new, ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static long count(Database db, String sql) throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void stateSurvivesARestartOfTheActorSystem() throws Exception {
    String key = Samples.publicKey(1);
    String obsA = Samples.publicKey(100);
    String obsB = Samples.publicKey(101);
    String hash = Samples.packetHash(1);
    try (Database db = Storage.prepare(settings(), 2)) {
      long journalBefore = count(db, "SELECT COUNT(*) FROM event_journal");
      long tagsBefore = count(db, "SELECT COUNT(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id");
      ActorSystem<Void> system = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        assertEquals(Outcome.RECORDED, ask(system, key, Samples.advert(1_700_000_000L, "Cougar"), obsA));
        assertEquals(Outcome.RECEPTION_ADDED, ask(system, key, Samples.advert(1_700_000_000L, "Cougar"), obsB));
        assertEquals(Outcome.DUPLICATE, ask(system, key, Samples.advert(1_700_000_000L, "Cougar"), obsB));
        Outcome m = ClusterSharding.get(system).entityRefFor(MessageEntity.ENTITY_KEY, hash)
            .<Outcome>askWithStatus(r -> new MessageEntity.RecordMessage(Samples.channelMessage("hello"), null,
                Samples.reception(obsA, Instant.now()), r), ASK)
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(Outcome.RECORDED, m);
      } finally {
        MeshHubNode.stop(system);
      }
      assertEquals(journalBefore + 3, count(db, "SELECT COUNT(*) FROM event_journal"));
      assertEquals(0, count(db, "SELECT COUNT(*) FROM event_journal WHERE ordering IS NULL"));
      assertEquals(tagsBefore + 3,
          count(db, "SELECT COUNT(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"));

      ActorSystem<Void> again = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        NodeEntity.Summary s = node(again, key);
        assertEquals("Cougar", s.name());
        assertEquals(1, s.advertCount());
        assertEquals(2, s.receptionCount());
        // Recovery restored the dedup state too: the redelivery is still a duplicate after the restart.
        assertEquals(Outcome.DUPLICATE, ask(again, key, Samples.advert(1_700_000_000L, "Cougar"), obsA));

        JdbcReadJournal journal = PersistenceQuery.get(again)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String tag = Slices.tagFor(NodeEntity.TAG_PREFIX, key);
        List<EventEnvelope> events = journal.currentEventsByTag(tag, NoOffset.getInstance())
            .runWith(Sink.seq(), again).toCompletableFuture().get(60, TimeUnit.SECONDS)
            .stream().filter(e -> e.persistenceId().endsWith(key)).toList();
        assertEquals(2, events.size(), "both node events reach eventsByTag");
        long first = ((Sequence) events.get(0).offset()).value();
        long second = ((Sequence) events.get(1).offset()).value();
        assertTrue(first > 0 && second > first, "offsets are the increasing ordering");
        assertNotNull(events.get(0).event());
        assertTrue(events.get(0).event() instanceof NodeEntity.AdvertRecorded);
      } finally {
        MeshHubNode.stop(again);
      }
    }
  }

  /**
   * MeshHub's eventsByTag query returns exactly what the plugin's own query returns, for every slice and for
   * ranges that start, end and cut through the journal, with deleted events in it and with the row limit binding.
   */
  @Test
  void eventsAppendedForNewEntitiesAreTheRowsTheJournalWritesAndTheEntitiesRecoverFromThem() throws Exception {
    String appended = Samples.packetHash(7_001);
    String persisted = Samples.packetHash(7_002);
    String obsA = Samples.publicKey(7_100);
    String obsB = Samples.publicKey(7_101);
    MessageEntity.MessageContent content = Samples.channelMessage("appended");
    List<org.meshhub.core.Reception> receptions = List.of(Samples.reception(obsA, Instant.now()),
        Samples.reception(obsB, Instant.now()));
    try (Database db = Storage.prepare(settings(), 2)) {
      ActorSystem<Void> system = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        // The same packet once through its entity, once appended: the rows differ only in id, ordering and writer.
        ClusterSharding.get(system).entityRefFor(MessageEntity.ENTITY_KEY, persisted)
            .<org.meshhub.core.BatchOutcome>askWithStatus(r -> new MessageEntity.RecordMessageReceptions(content,
                null, receptions, r), ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
        JournalAppender appender = new JournalAppender(system);
        MessageEntity.Receptions made = MessageEntity.receptions(MessageEntity.State.empty(appended), content, null,
            receptions);
        List<JournalAppender.Entry> entries = new ArrayList<>();
        for (int i = 0; i < made.events().size(); i++) {
          entries.add(new JournalAppender.Entry("Message|" + appended, i + 1, made.events().get(i),
              Slices.tagFor(MessageEntity.TAG_PREFIX, appended)));
        }
        try (Connection c = db.connection()) {
          assertTrue(JournalAppender.highestSequenceNumbers(c, List.of("Message|" + appended)).isEmpty());
          appender.appendInTransaction(c, entries, conn -> { });
          assertEquals(java.util.Map.of("Message|" + appended, 2L, "Message|" + persisted, 2L),
              JournalAppender.highestSequenceNumbers(c, List.of("Message|" + appended, "Message|" + persisted)));
        }
        String columns = "j.sequence_number, j.deleted, j.adapter_manifest, j.event_ser_id, j.event_ser_manifest,"
            + " j.meta_payload, j.meta_ser_id, j.meta_ser_manifest";
        assertEquals(rows(db, columns, persisted), rows(db, columns, appended));
        assertEquals(List.of(Slices.tagFor(MessageEntity.TAG_PREFIX, appended) + "|",
            Slices.tagFor(MessageEntity.TAG_PREFIX, appended) + "|"), rows(db, "t.tag", appended),
            "each appended event carries its entity's slice tag");
        // Payloads name the packet, so they differ by it alone: they decode to the entity's own events.
        ActorSystem<Void> again = system;
        MessageEntity.Summary summary = ClusterSharding.get(again).entityRefFor(MessageEntity.ENTITY_KEY, appended)
            .<MessageEntity.Summary>ask(MessageEntity.Get::new, ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(new MessageEntity.Summary(appended, MessageEntity.KIND_MESSAGE, java.util.Set.of(obsA, obsB)),
            summary, "the entity recovers from the appended events");
        org.meshhub.core.BatchOutcome redelivered = ClusterSharding.get(again)
            .entityRefFor(MessageEntity.ENTITY_KEY, appended)
            .<org.meshhub.core.BatchOutcome>askWithStatus(r -> new MessageEntity.RecordMessageReceptions(content,
                null, receptions, r), ASK).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(new org.meshhub.core.BatchOutcome(0, 0, 2), redelivered);
        JdbcReadJournal journal = PersistenceQuery.get(again)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        List<EventEnvelope> tagged = journal.currentEventsByTag(Slices.tagFor(MessageEntity.TAG_PREFIX, appended),
            NoOffset.getInstance()).runWith(Sink.seq(), again).toCompletableFuture().get(60, TimeUnit.SECONDS)
            .stream().filter(e -> e.persistenceId().equals("Message|" + appended)).toList();
        assertEquals(made.events(), tagged.stream().map(EventEnvelope::event).toList(),
            "eventsByTag hands the appended events to the projections");
      } finally {
        MeshHubNode.stop(system);
      }
    }
  }

  private static List<String> rows(Database db, String columns, String hash) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + columns + " FROM event_journal j JOIN event_tag t"
            + " ON t.event_id = j.ordering WHERE j.persistence_id = 'Message|" + hash + "' ORDER BY j.sequence_number")) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append(rs.getString(i)).append('|');
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  @Test
  void eventsByTagReturnsWhatTheStockQueryReturns() throws Exception {
    try (Database db = Storage.prepare(settings(), 2)) {
      long before = count(db, "SELECT COALESCE(MAX(ordering), 0) FROM event_journal");
      ActorSystem<Void> system = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        for (int i = 0; i < 40; i++) {
          String key = Samples.publicKey(500 + i);
          ask(system, key, Samples.advert(1_700_000_000L + i, "Node" + i), Samples.publicKey(100));
          ask(system, key, Samples.advert(1_700_000_000L + i, "Node" + i), Samples.publicKey(101));
        }
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
          st.executeUpdate(
              "UPDATE event_journal SET deleted = TRUE WHERE MOD(ordering, 7) = 0 AND ordering > " + before);
        }
        long end = count(db, "SELECT MAX(ordering) FROM event_journal");
        assertTrue(count(db, "SELECT COUNT(*) FROM event_journal WHERE deleted") > 0);

        var config = system.settings().config().getConfig("jdbc-read-journal");
        SlickDatabase slick = ((SlickExtensionImpl) SlickExtension.get(Adapter.toClassic(system))).database(config);
        ReadJournalConfig readConfig = new ReadJournalConfig(config);
        var serialization = SerializationExtension.get(Adapter.toClassic(system));
        Materializer mat = Materializer.matFromSystem(system);
        ReadJournalDao stock = new DefaultReadJournalDao(slick.database(), slick.profile(), readConfig,
            serialization, system.executionContext(), mat);
        ReadJournalDao indexed = new IndexedReadJournalDao(slick.database(), slick.profile(), readConfig,
            serialization, system.executionContext(), mat);
        int compared = 0;
        for (String tag : NodeEntity.TAGS) {
          long mid = (before + end) / 2;
          long[][] ranges = {{0, end, 1000}, {before, end, 3}, {before + 5, mid, 1000}, {mid, end, 4},
              {end, end + 10, 10}, {mid, mid, 10}};
          for (long[] r : ranges) {
            List<String> expected = rows(stock, tag, r, system);
            assertEquals(expected, rows(indexed, tag, r, system), tag + " " + java.util.Arrays.toString(r));
            compared += expected.size();
          }
        }
        assertTrue(compared > 40, "the ranges returned events to compare: " + compared);
      } finally {
        MeshHubNode.stop(system);
      }
    }
  }

  private static List<String> rows(ReadJournalDao dao, String tag, long[] range, ActorSystem<?> system)
      throws Exception {
    var source = org.apache.pekko.stream.javadsl.Source.fromGraph(dao.eventsByTag(tag, range[0], range[1], range[2]));
    List<String> out = new ArrayList<>();
    for (var row : source.runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
      var value = row.get();
      out.add(value._3() + " " + value._1().persistenceId() + "#" + value._1().sequenceNr() + " "
          + value._1().payload().getClass().getSimpleName() + " tags=" + value._2().size());
    }
    return out;
  }
}
