package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.projections.node.NodeProjectionHandler;

/**
 * {@code meshhub benchmark freshness} and {@code read-model} run as a user runs them, on a real SQLite file:
 * freshness finds every reception it sends, of messages and of adverts, in the read tables, and reports both read
 * models; read-model (the loader of bench/api-load.sh and bench/dashboard-overview.sh) writes what it says. (Their
 * figures are measurements, recorded in docs/performance.md, not asserted here.)
 */
class BenchmarkCommandTest {
  @TempDir
  Path dir;

  @Test
  void freshnessSeesEveryReceptionOfBothReadModels() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATA_HOME", dir.resolve("data").toString()),
        "benchmark", "freshness", "--rate", "60", "--duration", "3s", "--warmup", "1s", "--advert-share", "40");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("sent 240 receptions"), r.stdout());
    assertTrue(r.stdout().contains("40% of packets adverts"), r.stdout());
    Matcher m = Pattern.compile("messages \\((\\d+) receptions\\).*adverts \\((\\d+) receptions\\)")
        .matcher(r.stdout());
    assertTrue(m.find(), r.stdout());
    int messages = Integer.parseInt(m.group(1));
    int adverts = Integer.parseInt(m.group(2));
    assertEquals(180, messages + adverts, "every measured reception was seen in a read table:\n" + r.stdout());
    assertEquals(72, adverts, "40% of the 60 measured packets are adverts, 3 receptions each");
    assertFalse(r.stdout().contains("not visible"), r.stdout());
    // Libraries' stray console prints (pekko-projection-jdbc prints "# stop <projection>" when one stops) go to
    // the log at debug level, not into the command's output.
    assertFalse(r.stdout().contains("# stop"), r.stdout());
  }

  @Test
  void readModelWritesTheSyntheticMeshIntoTheReadTablesOneRowPerEvent() throws Exception {
    Path data = dir.resolve("data");
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATA_HOME", data.toString()), "benchmark", "read-model",
        "--nodes", "40", "--adverts", "40", "--messages", "60", "--observers", "3", "--batch-size", "25");
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    Matcher m = Pattern.compile("RESULT read-model backend=sqlite nodes=40 adverts=40 messages=60 events=(\\d+)")
        .matcher(r.stdout());
    assertTrue(m.find(), r.stdout());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("meshhub.db"))) {
      assertEquals(43, count(c, "SELECT COUNT(*) FROM nodes"), "the nodes and the observers");
      assertEquals(43, count(c, "SELECT SUM(value) FROM node_stats WHERE metric = '"
          + NodeProjectionHandler.NODES_TOTAL + "'"), "the counter dashboard/stats reads");
      assertEquals(3, count(c, "SELECT COUNT(*) FROM nodes WHERE is_observer = 1 AND observer_status = 'online'"));
      assertEquals(40, count(c, "SELECT COUNT(*) FROM advertisements"), "one advert per node");
      assertEquals(60, count(c, "SELECT COUNT(*) FROM messages"));
      // A status report is a node row; every other event is a reception row (the first with its advert or message).
      assertEquals(Long.parseLong(m.group(1)), 3 + count(c, "SELECT COUNT(*) FROM advert_receptions")
          + count(c, "SELECT COUNT(*) FROM receptions"));
    }
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }

  @Test
  void aBadShareIsOneLineAndExitCode2() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATA_HOME", dir.resolve("data").toString()),
        "benchmark", "freshness", "--advert-share", "101");
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    String[] lines = r.stderr().strip().split("\n");
    assertEquals(1, lines.length, r.stderr());
    assertTrue(lines[0].contains("--advert-share 0-100"), lines[0]);
  }
}
