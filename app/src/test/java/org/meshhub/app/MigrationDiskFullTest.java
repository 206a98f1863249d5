package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.migration.testing.JournalFixture;

/**
 * A PostgreSQL that runs out of disk space half-way: the target's journal table lives in a tablespace on a 512 KiB
 * tmpfs, too small for the journal's rows. The command ends in one line; once the tmpfs is made larger, running it
 * again carries on from the last checkpoint.
 *
 * <p>Mounting the tmpfs needs root, as starting PostgreSQL does on the development and CI machines.
 */
class MigrationDiskFullTest {
  @TempDir
  Path dir;

  @Test
  void aFullDiskEndsInOneLineAndTheNextRunCarriesOnOnceThereIsSpace() throws Exception {
    String schema = TestDatabases.uniqueSchema(MigrationDiskFullTest.class);
    String tablespace = schema + "_disk";
    Path disk = Files.createTempDirectory("meshhub-tiny-disk");
    sh("mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", disk.toString());
    try {
      sh("chown", "postgres:postgres", disk.toString());
      Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(schema));
      ChildProcess.Result upgrade = ChildProcess.run(dir, env, "db", "upgrade");
      assertEquals(0, upgrade.exitCode(), upgrade.stdout() + upgrade.stderr());
      try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLESPACE " + tablespace + " LOCATION '" + disk + "'");
        st.execute("ALTER TABLE " + schema + ".event_journal SET TABLESPACE " + tablespace);
      }
      String source = JournalFixture.shared().file().toString();
      env.remove("DATABASE_BACKEND");

      ChildProcess.Result full = ChildProcess.run(dir, env, "db", "migrate-to-postgres", "--source", source,
          "--batch-size", "100");

      assertEquals(1, full.exitCode(), full.stdout() + full.stderr());
      String[] lines = full.stderr().strip().split("\n");
      assertEquals(1, lines.length, full.stderr());
      assertTrue(lines[0].startsWith("error: PostgreSQL at ") && lines[0].contains("has no disk space left"),
          lines[0]);
      assertTrue(lines[0].contains("carries on from the last checkpoint"), lines[0]);

      sh("mount", "-o", "remount,size=64m", disk.toString());
      ChildProcess.Result again = ChildProcess.run(dir, env, "db", "migrate-to-postgres", "--source", source);

      assertEquals(0, again.exitCode(), again.stdout() + again.stderr());
      assertTrue(again.stdout().contains("carry on from the checkpoints of an interrupted run"), again.stdout());
      assertTrue(again.stdout().contains("Every table has the same rows and checksums"), again.stdout());
    } finally {
      try {
        TestDatabases.dropSchema(schema);
        try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
          st.execute("DROP TABLESPACE IF EXISTS " + tablespace);
        }
      } finally {
        sh("umount", disk.toString());
        Files.deleteIfExists(disk);
      }
    }
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (this test mounts a small tmpfs for PostgreSQL"
          + " to fill, which needs root): " + new String(p.getInputStream().readAllBytes()));
    }
  }
}
