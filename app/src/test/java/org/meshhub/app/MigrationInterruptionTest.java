package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/**
 * The migration killed with SIGKILL at random moments and run again each time: every kill leaves exactly the rows its
 * checkpoints count, and the run that finishes reconciles every table and leaves entities that recover on PostgreSQL.
 */
class MigrationInterruptionTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(MigrationInterruptionTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  @Test
  void killedAtRandomPointsAndRunAgainEachTimeItEndsWithEveryRowOnceAndTheEntitiesRecover() throws Exception {
    JournalFixture.Written source = JournalFixture.shared();
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String context = " (seed " + seed + ")";
    Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(SCHEMA));
    env.remove("DATABASE_BACKEND");
    List<String> points = new ArrayList<>();
    int kills = 0;
    // The first kill at a random moment (starting up, planning or copying), the others after a random share of
    // the rows still to copy.
    for (int attempt = 0; attempt < 3; attempt++) {
      long before = checkpointed();
      // A threshold a few batches past the last checkpoint is always reachable while rows remain, whatever the
      // read tables of the current schema add to the total.
      long threshold = attempt == 0 ? -1 : before + 1 + random.nextInt(300);
      try (ChildProcess p = ChildProcess.start(dir, env, "db", "migrate-to-postgres", "--source",
          source.file().toString(), "--batch-size", "5")) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        long wakeAt = System.nanoTime() + random.nextInt(1_500) * 1_000_000L;
        while (p.process().isAlive() && System.nanoTime() < deadline) {
          if (threshold < 0 ? System.nanoTime() >= wakeAt : checkpointed() >= threshold) {
            break;
          }
          Thread.sleep(5);
        }
        if (p.process().isAlive()) {
          p.kill();
          kills++;
          points.add(threshold < 0 ? "a random moment" : checkpointed() + " rows");
        } else {
          assertEquals(0, p.process().exitValue(), "a run that was not killed succeeded" + context + "\n" + p.stdout()
              + p.stderr());
        }
      }
      for (Map.Entry<String, Long> cp : checkpoints().entrySet()) {
        assertEquals(cp.getValue().longValue(), rows(cp.getKey()), cp.getKey() + " after a kill at " + points
            + ": the target holds exactly the rows its checkpoint counts" + context);
      }
    }
    assertTrue(kills >= 2, "killed part-way at least twice, at " + points + context);

    ChildProcess.Result last = ChildProcess.run(dir, env, "db", "migrate-to-postgres", "--source",
        source.file().toString());
    assertEquals(0, last.exitCode(), last.stdout() + last.stderr() + context);
    assertFalse(last.stdout().contains("MISMATCH"), last.stdout());
    assertTrue(last.stdout().contains("Every table has the same rows and checksums on both sides"), last.stdout());
    for (Map.Entry<String, Long> cp : checkpoints().entrySet()) {
      assertEquals(cp.getValue().longValue(), rows(cp.getKey()), cp.getKey());
    }
    assertEquals(1_652, rows("event_journal"));
    assertEquals(1_652, rows("event_tag"));

    // MeshHub on PostgreSQL recovers every entity as it was on SQLite, and its API counts every event.
    Map<String, String> serve = LocalServers.env(TestDatabases.postgresEnvMap(SCHEMA));
    try (MeshHubServer server = MeshHubServer.start(Env.of(serve))) {
      assertEquals(source.nodes(), JournalFixture.nodes(server.system(), new ArrayList<>(source.nodes().keySet())));
      assertEquals(source.messages(),
          JournalFixture.messages(server.system(), new ArrayList<>(source.messages().keySet())));
      JsonNode status = JSON.readTree(ChildProcess.get(server.port(), "/api/v1/db/status").body());
      assertEquals(1_652, status.get("events").asLong());
    }
  }

  private static long checkpointed() {
    return checkpoints().values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> checkpoints() {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + SCHEMA + ".meshhub_migration_checkpoint')")) {
        rs.next();
        if (rs.getString(1) == null) {
          return out;
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT table_name, rows_copied FROM " + SCHEMA
          + ".meshhub_migration_checkpoint")) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    return out;
  }

  private static long rows(String table) {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + "." + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
