package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.core.testing.TestMqtt;

/** Every metric the Grafana dashboard queries is one a running MeshHub (with MQTT, after some ingest) exports. */
class GrafanaDashboardTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN_KEY = "admin-key-for-dashboard";

  @TempDir
  Path dataHome;

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    String dashboard = Files.readString(Path.of("..", "deploy", "grafana", "meshhub.json"));
    Set<String> queried = new TreeSet<>();
    Matcher m = Pattern.compile("meshhub_[a-z_]+").matcher(dashboard);
    while (m.find()) {
      queried.add(m.group());
    }
    assertTrue(queried.size() >= 8, queried.toString());
    String prefix = TestMqtt.uniquePrefix(GrafanaDashboardTest.class);
    String clientId = TestMqtt.uniqueClientId(GrafanaDashboardTest.class);
    java.util.Map<String, String> env = LocalServers.env(TestDatabases.sqliteEnvMap(dataHome),
        "API_ADMIN_KEY", ADMIN_KEY);
    env.putAll(TestMqtt.env(prefix, clientId));
    try (MeshHubServer server = MeshHubServer.start(Env.of(env))) {
      String base = "http://127.0.0.1:" + server.port();
      String observer = Samples.publicKey(4242);
      String body = "[{\"topic\":\"" + prefix + "/SEA/" + observer + "/status\",\"payload\":{\"origin\":\"o\","
          + "\"origin_id\":\"" + observer + "\",\"status\":\"online\"}},{\"topic\":\"" + prefix + "/SEA/" + observer
          + "/packets\",\"payload\":\"{not json\"}]";
      HttpResponse<String> ingest = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/ingest"))
          .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ingest.statusCode(), ingest.body());
      Set<String> missing = new TreeSet<>(queried);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String metrics = "";
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        String scraped = metrics;
        missing.removeIf(name -> Pattern.compile("(?m)^" + name + "[{ ]").matcher(scraped).find());
        if (!missing.isEmpty()) {
          Thread.sleep(200);
        }
      }
      assertEquals(Set.of(), missing, "queried by deploy/grafana/meshhub.json but not exported:\n" + metrics);
    } finally {
      TestMqtt.forgetSession(TestMqtt.serverUri(), clientId);
    }
    assertFalse(dashboard.contains("\"datasource\": \"Prometheus\""), "the data source is an input, not a name");
  }
}
