package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;

/**
 * {@code meshhub serve} as a user runs it, refusing what it must not run as: each refusal is one line on standard
 * error, with exit code 2 for a set-up to fix and 1 for a state a restart may fix.
 */
class ClusterRefusalTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(ClusterRefusalTest.class);

  @TempDir
  Path dir;

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
  }

  private static void assertOneLine(ChildProcess.Result r, int exitCode, String... fragments) {
    assertEquals(exitCode, r.exitCode(), r.stderr() + r.stdout());
    String[] lines = r.stderr().strip().split("\n");
    assertEquals(1, lines.length, r.stderr());
    assertTrue(lines[0].startsWith("error: "), lines[0]);
    for (String fragment : fragments) {
      assertTrue(lines[0].contains(fragment), "'" + fragment + "' in: " + lines[0]);
    }
    assertFalse(r.stdout().contains("\tat ") || r.stderr().contains("\tat "), "no stack trace: " + r.stdout());
  }

  @Test
  void seedNodesOnSqliteAreRefused() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("DATA_HOME", dir.resolve("data").toString(),
        "API_PORT", "0", "CLUSTER_PORT", "2552", "CLUSTER_SEED_NODES", "10.0.0.1:2552,10.0.0.2:2552"), "serve");
    assertOneLine(r, 2, "CLUSTER_SEED_NODES", "PostgreSQL");
  }

  @Test
  void aSecondInstanceOnASchemaAnotherLiveInstanceWritesIsRefusedNamingIt() throws Exception {
    Map<String, String> env = LocalServers.env(TestDatabases.postgresEnvMap(SCHEMA), "MQTT_ENABLED", "false");
    try (MeshHubServer first = MeshHubServer.start(Env.of(env))) {
      String holder = first.system().address().getHost().get() + ":" + first.system().address().getPort().get();
      ChildProcess.Result r = ChildProcess.run(dir, env, "serve");
      assertOneLine(r, 2, "in use by another MeshHub", "cluster address " + holder, "since", "DATABASE_SCHEMA");
      assertTrue(r.stdout().contains("The schema is in use by another MeshHub"), r.stdout());
    }
    // The first one gave the lease up when it stopped: the next one starts at once.
    try (MeshHubServer next = MeshHubServer.start(Env.of(env))) {
      assertTrue(next.port() > 0);
    }
  }

  @Test
  void aNodeThatCannotJoinItsClusterInTimeExitsWith1() throws Exception {
    Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(SCHEMA));
    env.putAll(Map.of("API_PORT", "0", "MQTT_ENABLED", "false", "CLUSTER_PORT",
        Integer.toString(ChildProcess.freePort()), "CLUSTER_SEED_NODES", "127.0.0.1:" + ChildProcess.freePort(),
        "CLUSTER_JOIN_TIMEOUT", "5"));
    ChildProcess.Result r = ChildProcess.run(dir, env, "serve");
    assertOneLine(r, 1, "did not join its cluster within 5 s", "seed nodes 127.0.0.1:");
  }

  @Test
  void clusterStatusWithNoNodeToAskSaysSoInOneLine() throws Exception {
    ChildProcess.Result r = ChildProcess.run(dir, Map.of("API_PORT", Integer.toString(ChildProcess.freePort())),
        "cluster", "status");
    assertOneLine(r, 1, "no MeshHub answers at http://127.0.0.1:");
  }
}
