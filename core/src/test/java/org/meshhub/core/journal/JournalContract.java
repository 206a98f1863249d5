package org.meshhub.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
      assertEquals(3, count(db, "SELECT COUNT(*) FROM event_journal"));
      assertEquals(0, count(db, "SELECT COUNT(*) FROM event_journal WHERE ordering IS NULL"));
      assertEquals(3, count(db, "SELECT COUNT(*) FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"));

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
            .runWith(Sink.seq(), again).toCompletableFuture().get(60, TimeUnit.SECONDS);
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
}
