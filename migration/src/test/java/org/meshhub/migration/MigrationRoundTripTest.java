package org.meshhub.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshhub.migration.MigrationTesting.count;
import static org.meshhub.migration.MigrationTesting.migrate;
import static org.meshhub.migration.MigrationTesting.options;
import static org.meshhub.migration.MigrationTesting.rows;

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
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.ingest.RejectedMessages;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/** Events written on SQLite through the real entities, migrated, and carried on with on PostgreSQL. */
class MigrationRoundTripTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(MigrationRoundTripTest.class);
  private static final String AGAIN = SCHEMA + "_again";

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
    TestDatabases.dropSchema(AGAIN);
  }

  @Test
  void aMigratedJournalRecoversEveryEntityOnPostgresAndNewEventsFollowTheCopiedOnes() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    String before = JournalFixture.sha256(source.file());

    MigrationResult result = migrate(options(source.file(), SCHEMA));

    assertEquals(MigrationResult.Outcome.VERIFIED, result.outcome(), () -> String.valueOf(result.failure()));
    assertEquals(before, JournalFixture.sha256(source.file()), "the source file is left byte for byte as it was");
    for (String table : List.of("event_journal", "event_tag", "snapshot", "pekko_projection_offset_store",
        "pekko_projection_management", "rejected_messages")) {
      assertEquals(sqliteRows(source, table), rows(SCHEMA, table), table);
    }
    assertTrue(rows(SCHEMA, "snapshot") > 0, "the fixture has snapshots to move");
    assertEquals(4, count(SCHEMA, "SELECT COUNT(*) FROM pekko_projection_offset_store WHERE NOT mergeable"),
        "0 became false");
    assertEquals(1, count(SCHEMA, "SELECT COUNT(*) FROM pekko_projection_management WHERE paused"), "1 became true");
    assertEquals(JournalFixture.REJECTED, count(SCHEMA, "SELECT COUNT(*) FROM rejected_messages WHERE received_at"
        + " = TIMESTAMPTZ '2026-01-01 00:00:00+00' + (id - 1) * INTERVAL '1.234 second'"), "ISO text became timestamptz");
    long maxCopied = count(SCHEMA, "SELECT MAX(ordering) FROM event_journal");
    assertEquals(sqliteLong(source, "SELECT MAX(ordering) FROM event_journal"), maxCopied, "ordering is preserved");

    DatabaseSettings pg = MigrationTesting.target(SCHEMA);
    try (Database db = Storage.prepare(pg, 1)) {
      ActorSystem<Void> system = MeshHubNode.start(pg, ClusterSettings.local());
      try {
        List<String> keys = new ArrayList<>(source.nodes().keySet());
        assertEquals(source.nodes(), JournalFixture.nodes(system, keys), "every node recovers with identical state");
        assertEquals(source.messages(), JournalFixture.messages(system, new ArrayList<>(source.messages().keySet())),
            "every message recovers with identical state");

        ClusterSharding sharding = ClusterSharding.get(system);
        // The dedup state came along: a reception heard before the migration is still a duplicate.
        NodeEntity.Advert old = new NodeEntity.Advert(1_750_000_000L, "node-0", "repeater", 0x92, 47.5, -122.1, true,
            null, null);
        Reception oldReception = new Reception(Samples.publicKey(1), Instant.parse("2026-01-01T00:00:00Z"), 6.5, -97,
            0, null);
        assertEquals(Outcome.DUPLICATE, record(sharding, keys.get(0), old, oldReception));
        for (int i = 0; i < 3; i++) {
          NodeEntity.Advert fresh = new NodeEntity.Advert(1_760_000_000L, "node-" + i, "repeater", 0x92, 47.5, -122.1,
              true, null, null);
          assertEquals(Outcome.RECORDED, record(sharding, keys.get(i), fresh,
              new Reception(Samples.publicKey(1), Instant.now(), 5.0, -90, 0, null)));
        }
        List<Long> newOrderings = longs(SCHEMA, "SELECT ordering FROM event_journal WHERE ordering > " + maxCopied
            + " ORDER BY ordering");
        assertEquals(List.of(maxCopied + 1, maxCopied + 2, maxCopied + 3), newOrderings,
            "new events continue right after the copied ones: no gap, no reuse");

        // A projection carrying on from its copied offset sees exactly the new events, nothing twice.
        JdbcReadJournal journal = PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        long afterOffset = 0;
        long fromStart = 0;
        for (String tag : NodeEntity.TAGS) {
          long offset = count(SCHEMA, "SELECT current_offset::bigint FROM pekko_projection_offset_store"
              + " WHERE projection_key = '" + tag + "'");
          List<EventEnvelope> next = journal.currentEventsByTag(tag, Offset.sequence(offset))
              .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
          for (EventEnvelope e : next) {
            assertTrue(((Sequence) e.offset()).value() > maxCopied, "only events written after the migration");
          }
          afterOffset += next.size();
          List<EventEnvelope> all = journal.currentEventsByTag(tag, NoOffset.getInstance())
              .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
          assertEquals(sqliteLong(source, "SELECT COUNT(*) FROM event_tag WHERE tag = '" + tag + "'") + next.size(),
              all.size(), tag + " from the start: every copied event plus the new ones");
          fromStart += all.size();
        }
        assertEquals(3, afterOffset);
        assertTrue(fromStart > 0);

        RejectedMessages rejected = new RejectedMessages(db);
        rejected.insert("meshcore/SEA/x/packets", new byte[] {1}, "bad_json", null, Instant.now());
        assertEquals(JournalFixture.REJECTED + 1L, count(SCHEMA, "SELECT MAX(id) FROM rejected_messages"),
            "the id sequence carries on after the copied ids");
      } finally {
        MeshHubNode.stop(system);
      }
    }
  }

  @Test
  void runningAgainAfterAFinishedMigrationChangesNothingAndAChangedRowIsAMismatch() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    MigrationOptions options = options(source.file(), AGAIN);
    assertEquals(MigrationResult.Outcome.VERIFIED, migrate(options).outcome());
    String state = "SELECT COUNT(*) FROM meshhub_migration_checkpoint WHERE updated_at < (SELECT finished_at FROM"
        + " meshhub_migration_run)";
    long events = rows(AGAIN, "event_journal");

    MigrationResult again;
    try (Migration m = Migration.prepare(options)) {
      assertEquals(Migration.Mode.REVERIFY, m.plan().mode());
      again = MigrationRunner.start(m).await();
    }

    assertEquals(MigrationResult.Outcome.VERIFIED, again.outcome());
    assertTrue(again.verification().recomputed(), "both sides are read again in full");
    assertEquals(events, rows(AGAIN, "event_journal"));
    assertEquals(count(AGAIN, "SELECT COUNT(*) FROM meshhub_migration_checkpoint"), count(AGAIN, state),
        "no checkpoint moved");
    assertEquals(0, again.status().tables().stream().mapToLong(MigrationStatus.TableProgress::copiedThisRun).sum());

    MigrationTesting.execute(AGAIN, "UPDATE event_journal SET event_payload = event_payload || '\\x00'::bytea"
        + " WHERE ordering = (SELECT MIN(ordering) + 7 FROM event_journal)");
    MigrationResult tampered = migrate(options);
    assertEquals(MigrationResult.Outcome.MISMATCH, tampered.outcome());
    assertEquals(List.of("event_journal"), tampered.verification().mismatches().stream()
        .map(Verification.Row::table).toList(), "the one changed row is found; the counts alone would not show it");
    Verification.Row journal = tampered.verification().mismatches().get(0);
    assertEquals(journal.sourceRows(), journal.targetRows());
  }

  private static Outcome record(ClusterSharding sharding, String key, NodeEntity.Advert advert, Reception r)
      throws Exception {
    return sharding.entityRefFor(NodeEntity.ENTITY_KEY, key)
        .<Outcome>askWithStatus(reply -> new NodeEntity.RecordAdvert(advert, r, reply), Duration.ofSeconds(60))
        .toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static long sqliteRows(JournalFixture.Written source, String table) throws Exception {
    return sqliteLong(source, "SELECT COUNT(*) FROM " + table);
  }

  private static long sqliteLong(JournalFixture.Written source, String sql) throws Exception {
    try (Connection c = SourceDatabase.open(source.file()).connect();
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Long> longs(String schema, String sql) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("SET search_path TO " + schema);
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }
}
