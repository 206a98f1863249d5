package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.IngestResult;
import org.meshhub.core.testing.TestDatabases;

/**
 * {@code serve --demo} wiring, in-process: the server hands the demo feed the pipeline its factory makes, starts it
 * after the API is up, and stops it on shutdown. The pipeline here records what it is given; the real one is
 * tested with the ingest package.
 */
class ServeDemoTest {
  @TempDir
  Path dataHome;

  /** Records submissions; accepts everything. */
  static final class RecordingPipeline implements IngestPipeline {
    final List<String> topics = Collections.synchronizedList(new ArrayList<>());
    final List<String> payloads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletionStage<IngestResult> submit(String topic, byte[] payload) {
      topics.add(topic);
      payloads.add(new String(payload, StandardCharsets.UTF_8));
      return CompletableFuture.completedFuture(IngestResult.accepted("recorded"));
    }
  }

  private Map<String, String> env() {
    return LocalServers.env(TestDatabases.sqliteEnvMap(dataHome));
  }

  @Test
  void theDemoFeedsTheServersPipelineUnderMqttPrefixAndStopsWithTheServer() throws Exception {
    RecordingPipeline pipeline = new RecordingPipeline();
    Map<String, String> env = env();
    env.put("MQTT_PREFIX", "demo/region");
    MeshHubServer server = MeshHubServer.start(Env.of(env),
        MeshHubServer.Options.defaults().withDemo(200, 10).withPipeline((system, db, e) -> Optional.of(pipeline)));
    try {
      assertTrue(server.demo().isPresent());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (pipeline.topics.size() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(pipeline.topics.size() >= 50, "the demo feeds the pipeline: " + pipeline.topics.size());
      synchronized (pipeline.topics) {
        assertTrue(pipeline.topics.stream().allMatch(t -> t.matches("demo/region/[A-Z]{3}/[0-9a-f]{64}/"
            + "(packets|status)")), pipeline.topics.toString());
      }
      assertTrue(pipeline.payloads.stream().anyMatch(p -> p.contains("\"type\":\"PACKET\"")));
    } finally {
      server.close();
    }
    int after = pipeline.topics.size();
    Thread.sleep(300);
    assertEquals(after, pipeline.topics.size(), "the feed stopped with the server");
    assertEquals(after, server.demo().orElseThrow().stats().submitted());
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

  @Test
  void withoutAPipelineTheDemoIsRefusedInOneLineAndNothingIsLeftRunning() {
    SettingsException refused = assertThrows(SettingsException.class, () -> MeshHubServer.start(Env.of(env()),
        MeshHubServer.Options.defaults().withDemo(20, 5).withPipeline((system, db, e) -> Optional.empty())));
    assertEquals("--demo", refused.variable());
    assertFalse(refused.getMessage().contains("\n"));
    // The SQLite file is free again: a server without the demo starts on it.
    MeshHubServer plain = MeshHubServer.start(Env.of(env()));
    try {
      assertTrue(plain.demo().isEmpty());
    } finally {
      plain.close();
    }
  }
}
