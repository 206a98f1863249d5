package org.meshhub.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshhub.migration.MigrationTesting.checkpointRows;
import static org.meshhub.migration.MigrationTesting.options;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/** A connection to PostgreSQL lost in the middle of the copy: the running migration carries on by itself. */
class LostConnectionTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(LostConnectionTest.class);

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void aWriterWhoseServerProcessIsTerminatedCarriesOnFromItsLastCheckpoint() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    MigrationRunner runner;
    long terminated = 0;
    try (Migration migration = Migration.prepare(options(source.file(), SCHEMA).withBatchSize(5))) {
      runner = MigrationRunner.start(migration);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (terminated == 0 && !runner.result().isDone() && System.nanoTime() < deadline) {
        if (checkpointRows(SCHEMA).values().stream().mapToLong(Long::longValue).sum() > 200) {
          terminated = terminateWriters();
        }
        Thread.sleep(5);
      }
      MigrationResult result = runner.await();

      assertTrue(terminated > 0, "a writer's server process was terminated part-way");
      assertEquals(MigrationResult.Outcome.VERIFIED, result.outcome(), () -> String.valueOf(result.failure()));
      for (Verification.Row row : result.verification().rows()) {
        assertEquals(row.sourceRows(), row.targetRows(), row.table());
      }
    }
  }

  /** Ends the server processes of the copy's sessions, as a restart or a network cut would. */
  private static long terminateWriters() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = '" + BatchWriter.applicationName(SCHEMA) + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
