package org.meshhub.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Dialect;

class ClusterSettingsTest {
  @Test
  void unsetANodeJoinsItselfOnAFreeLoopbackPort() {
    ClusterSettings settings = ClusterSettings.fromEnv(Env.of(Map.of()), Dialect.SQLITE);
    assertTrue(settings.selfJoin());
    assertFalse(settings.clustered());
    Config config = settings.toConfig();
    assertEquals("127.0.0.1", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(0, config.getInt("pekko.remote.artery.canonical.port"));
    assertFalse(config.hasPath("pekko.remote.artery.bind.hostname"));
    assertEquals(Duration.ofSeconds(60), settings.joinTimeout());
  }

  @Test
  void aMemberAdvertisesItsHostBindsTheBindHostAndKnowsItsSeeds() {
    ClusterSettings settings = ClusterSettings.fromEnv(Env.of(Map.of("CLUSTER_HOST", "collector-1",
        "CLUSTER_BIND_HOST", "0.0.0.0", "CLUSTER_PORT", "2552", "CLUSTER_SEED_NODES",
        "collector-1:2552, collector-2:2552", "CLUSTER_JOIN_TIMEOUT", "30")), Dialect.POSTGRESQL);
    assertTrue(settings.clustered());
    Config config = settings.toConfig();
    assertEquals("collector-1", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("0.0.0.0", config.getString("pekko.remote.artery.bind.hostname"));
    assertEquals(List.of("pekko://meshhub@collector-1:2552", "pekko://meshhub@collector-2:2552"),
        config.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(Duration.ofSeconds(30), settings.joinTimeout());
  }

  @Test
  void seedNodesOnSqliteAreRefusedNamingTheVariable() {
    SettingsException e = assertThrows(SettingsException.class, () -> ClusterSettings.fromEnv(Env.of(Map.of(
        "CLUSTER_PORT", "2552", "CLUSTER_SEED_NODES", "a:2552,b:2552")), Dialect.SQLITE));
    assertEquals("CLUSTER_SEED_NODES", e.variable());
    assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
  }

  @Test
  void badClusterSettingsNameTheirVariable() {
    Map<String, Map<String, String>> cases = Map.of(
        "CLUSTER_PORT", Map.of("CLUSTER_SEED_NODES", "a:2552"),
        "CLUSTER_SEED_NODES", Map.of("CLUSTER_PORT", "2552", "CLUSTER_SEED_NODES", "a"),
        "CLUSTER_HOST", Map.of("CLUSTER_HOST", "a host"),
        "CLUSTER_BIND_HOST", Map.of("CLUSTER_BIND_HOST", "::/0"),
        "CLUSTER_JOIN_TIMEOUT", Map.of("CLUSTER_JOIN_TIMEOUT", "1"));
    cases.forEach((variable, env) -> assertEquals(variable, assertThrows(SettingsException.class,
        () -> ClusterSettings.fromEnv(Env.of(env), Dialect.POSTGRESQL)).variable()));
  }
}
