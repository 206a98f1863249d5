package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.DbStatus;
import org.meshhub.core.simulate.DemoFeed;
import org.meshhub.core.testing.TestDatabases;

/**
 * {@code serve --demo} wiring, in-process on SQLite: the server plays the demo mesh into its own ingest pipeline,
 * under the MQTT prefix (the pipeline rejects any other prefix as an unknown topic), starts it after the API is up,
 * and stops it on shutdown.
 */
class ServeDemoTest {
  @TempDir
  Path dataHome;

  private Map<String, String> env() {
    return LocalServers.env(TestDatabases.sqliteEnvMap(dataHome));
  }

  @Test
  void theDemoFeedsTheServersPipelineUnderMqttPrefixAndStopsWithTheServer() throws Exception {
    Map<String, String> env = env();
    env.put("MQTT_PREFIX", "demo/region");
    MeshHubServer server = MeshHubServer.start(MeshHubSettings.load(Env.of(env),
        Optional.of(new MeshHubSettings.Demo(200, 10))));
    DemoFeed feed = server.demo().orElseThrow();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (feed.stats().accepted() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(feed.stats().accepted() >= 50, "the demo feeds the pipeline: " + feed.stats());
      assertTrue(DbStatus.read(server.database()).events() > 0, "its receptions are in the journal");
    } finally {
      server.close();
    }
    DemoFeed.Stats stats = feed.stats();
    assertEquals(0, stats.rejected(), "every topic is under the MQTT prefix: " + stats);
    assertEquals(0, stats.failed(), "the feed stopped before the pipeline did: " + stats);
    assertEquals(stats.submitted(), stats.accepted() + stats.ignored(),
        "nothing was left in the pipeline when the server stopped: " + stats);
  }

  @Test
  void badDemoOptionsEndInOneLineAndExitCode2() throws Exception {
    Map<String, String[]> cases = Map.of(
        "go with --demo", new String[] {"serve", "--demo-rate", "5"},
        "--demo-rate must be", new String[] {"serve", "--demo", "--demo-rate", "0"},
        "--demo-nodes must be", new String[] {"serve", "--demo", "--demo-nodes", "0"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      ChildProcess.Result r = ChildProcess.run(dataHome, Map.of("API_PORT", "0"), c.getValue());
      assertEquals(2, r.exitCode(), c.getKey() + ": " + r.stderr());
      String[] lines = r.stderr().strip().split("\n");
      assertEquals(1, lines.length, r.stderr());
      assertTrue(lines[0].startsWith("error: ") && lines[0].contains(c.getKey()), lines[0]);
    }
  }
}
