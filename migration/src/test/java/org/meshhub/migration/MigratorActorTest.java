package org.meshhub.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshhub.migration.MigrationTesting.checkpointRows;
import static org.meshhub.migration.MigrationTesting.options;
import static org.meshhub.migration.MigrationTesting.rows;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.db.Storage;
import org.meshhub.core.db.StorageException;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/** The migrator actor as its handle: status at any time, a clean stop on request, a resume that misses nothing. */
class MigratorActorTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(MigratorActorTest.class);
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("MigratorActorTest", MigrationRunner.config());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void answersStatusQueriesStopsAfterCommittingItsBatchAndTheNextRunCarriesOnExactly() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    MigrationOptions options = options(source.file(), SCHEMA).withBatchSize(5);
    CompletableFuture<MigrationResult> result = new CompletableFuture<>();
    Migration migration = Migration.prepare(options);
    long sourceRows = migration.plan().sourceRows();
    ActorRef<MigratorActor.Command> actor = kit.spawn(MigratorActor.create(migration, result));

    TestProbe<MigrationStatus> statusProbe = kit.createTestProbe();
    MigrationStatus running = statusProbe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(20), () -> {
      actor.tell(new MigratorActor.GetStatus(statusProbe.ref()));
      MigrationStatus s = statusProbe.receiveMessage(Duration.ofSeconds(10));
      assertTrue(s.copiedRows() > 0, "some rows copied");
      return s;
    });
    assertEquals(MigrationStatus.Phase.COPYING, running.phase());
    assertEquals("event_journal", running.table());
    assertEquals(sourceRows, running.sourceRows());

    TestProbe<MigrationStatus> stopProbe = kit.createTestProbe();
    actor.tell(new MigratorActor.Stop(stopProbe.ref()));
    MigrationStatus stopped = stopProbe.receiveMessage(Duration.ofSeconds(60));
    assertEquals(MigrationStatus.Phase.STOPPED, stopped.phase());
    assertEquals(MigrationResult.Outcome.STOPPED, result.get(10, TimeUnit.SECONDS).outcome());
    stopProbe.expectTerminated(actor, Duration.ofSeconds(10));
    migration.close();

    long copied = stopped.copiedRows();
    assertTrue(copied > 0 && copied < sourceRows, "stopped part-way: " + copied + " of " + sourceRows);
    Map<String, Long> checkpoints = checkpointRows(SCHEMA);
    for (Map.Entry<String, Long> cp : checkpoints.entrySet()) {
      assertEquals(cp.getValue().longValue(), rows(SCHEMA, cp.getKey()),
          cp.getKey() + ": the target holds exactly the rows its checkpoint counts, no half batch");
    }
    assertEquals(copied, checkpoints.values().stream().mapToLong(Long::longValue).sum());
    StorageException refused = assertThrows(StorageException.class,
        () -> Storage.prepare(MigrationTesting.target(SCHEMA), 1).close());
    assertTrue(refused.isRefusal() && refused.getMessage().contains("is being filled by 'meshhub db"
        + " migrate-to-postgres', which has not finished"), refused.getMessage());

    MigrationResult resumed;
    try (Migration again = Migration.prepare(options.withBatchSize(500))) {
      assertEquals(Migration.Mode.RESUME, again.plan().mode());
      assertEquals(copied, again.plan().tables().stream().mapToLong(Migration.PlanRow::copiedRows).sum());
      resumed = MigrationRunner.start(again).await();
    }
    assertEquals(MigrationResult.Outcome.VERIFIED, resumed.outcome(), () -> String.valueOf(resumed.failure()));
    assertEquals(sourceRows - copied, resumed.status().tables().stream()
        .mapToLong(MigrationStatus.TableProgress::copiedThisRun).sum(), "the second run copied only what was left");
    for (Verification.Row row : resumed.verification().rows()) {
      assertEquals(row.sourceRows(), row.targetRows(), row.table());
    }
    assertEquals(0, MigrationTesting.count(SCHEMA, "SELECT COUNT(*) FROM meshhub_migration_deferred"),
        "every index and constraint set aside is back");
    assertEquals(2, MigrationTesting.count(SCHEMA, "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = '" + SCHEMA
        + "' AND tablename = 'event_journal'"), "the journal's primary key and ordering index");
    assertEquals(1, MigrationTesting.count(SCHEMA, "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f'"
        + " AND conname = 'fk_event_journal' AND connamespace = '" + SCHEMA + "'::regnamespace"));
    Storage.prepare(MigrationTesting.target(SCHEMA), 1).close();
  }
}
