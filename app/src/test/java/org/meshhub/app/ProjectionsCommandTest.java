package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.testing.ReadSideData;
import org.meshhub.projections.testing.ReadSideTesting;

/** {@code meshhub projections status|rebuild} as a user runs them, against a SQLite file a server filled. */
class ProjectionsCommandTest {
  @TempDir
  Path dir;

  @Test
  void statusWorksBesideARunningServerButARebuildIsRefusedUntilItStops() throws Exception {
    Map<String, String> env = TestDatabases.sqliteEnvMap(dir.resolve("data"));
    Map<String, String> serverEnv = LocalServers.env(env);
    try (MeshHubServer server = MeshHubServer.start(Env.of(serverEnv))) {
      ReadSideData.send(server.system(), Instant.now());
      ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(90));

      ChildProcess.Result status = ChildProcess.run(dir, env, "projections", "status");
      assertEquals(0, status.exitCode(), status.stderr());
      assertTrue(status.stdout().contains("journal end:"), status.stdout());
      assertTrue(status.stdout().matches("(?s).*\\nnodes\\s+node-0\\s+\\d+.*"), status.stdout());
      assertTrue(status.stdout().matches("(?s).*\\nmessages\\s+message-3\\s+\\d+.*"), status.stdout());

      ChildProcess.Result refused = ChildProcess.run(dir, env, "projections", "rebuild");
      assertEquals(2, refused.exitCode(), refused.stdout() + refused.stderr());
      assertTrue(refused.stderr().contains("stop it first"), refused.stderr());
      assertTrue(!refused.stderr().contains("\tat "), "no stack trace: " + refused.stderr());
    }

    ChildProcess.Result rebuilt = ChildProcess.run(dir, env, "projections", "rebuild", "--batch-size", "5");
    assertEquals(0, rebuilt.exitCode(), rebuilt.stdout() + rebuilt.stderr());
    assertTrue(rebuilt.stdout().contains("Rebuilding nodes: "), rebuilt.stdout());
    assertTrue(rebuilt.stdout().matches("(?s).*Rebuilt nodes: \\d+ events in .* events/s.*"), rebuilt.stdout());
    assertTrue(rebuilt.stdout().matches("(?s).*Rebuilt messages: \\d+ events.*"), rebuilt.stdout());

    ChildProcess.Result unknown = ChildProcess.run(dir, env, "projections", "rebuild", "tables");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.stderr().contains("unknown read model 'tables'; use one of nodes, messages"),
        unknown.stderr());
  }
}
