package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;

/** Keys and metrics through a real socket on an in-process MeshHub. */
class ApiAuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  static Path dataHome;
  private static MeshHubServer server;

  @BeforeAll
  static void start() {
    server = MeshHubServer.start(Env.of(LocalServers.env(TestDatabases.sqliteEnvMap(dataHome),
        "API_READ_KEY", "reader-key-for-tests", "API_ADMIN_KEY", "admin-key-for-tests", "MQTT_ENABLED", "false")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readsNeedTheReadKeyOrTheAdminKey() throws Exception {
    assertEquals(401, get("/api/v1/db/status", null).statusCode());
    HttpResponse<String> wrong = get("/api/v1/db/status", "nope");
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body().contains("\"error\":\"unauthorized\""), wrong.body());
    assertEquals(200, get("/api/v1/db/status", "reader-key-for-tests").statusCode());
    assertEquals(200, get("/api/v1/db/status", "admin-key-for-tests").statusCode());
  }

  @Test
  void healthAndMetricsStayOpen() throws Exception {
    assertEquals(200, get("/health", null).statusCode());
    HttpResponse<String> metrics = get("/metrics", null);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
  }
}
