package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshhub benchmark freshness} run as a user runs it, on a real SQLite file: every reception it sends, of
 * messages and of adverts, is found in the read tables, and it reports both read models. (Its figures are
 * measurements, recorded in docs/performance.md, not asserted here.)
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
  void aBadShareIsOneLineAndExitCode2() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATA_HOME", dir.resolve("data").toString()),
        "benchmark", "freshness", "--advert-share", "101");
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    String[] lines = r.stderr().strip().split("\n");
    assertEquals(1, lines.length, r.stderr());
    assertTrue(lines[0].contains("--advert-share 0-100"), lines[0]);
  }
}
