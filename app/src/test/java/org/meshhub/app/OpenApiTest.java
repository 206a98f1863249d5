package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.http.Json;
import org.meshhub.app.http.RouteTemplates;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;

/** {@code /api/openapi.json} describes exactly the routes the server has, and each of them answers. */
class OpenApiTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  static Path dataHome;
  private static MeshHubServer server;

  @BeforeAll
  static void start() {
    server = MeshHubServer.start(Env.of(LocalServers.env(TestDatabases.sqliteEnvMap(dataHome))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> post(String path, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Set<String> described() throws Exception {
    HttpResponse<String> r = get("/api/openapi.json");
    assertEquals(200, r.statusCode());
    JsonNode doc = Json.MAPPER.readTree(r.body());
    assertTrue(doc.get("openapi").asText().startsWith("3."));
    Set<String> out = new HashSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    return out;
  }

  @Test
  void everyRouteIsDescribedAndNothingElse() throws Exception {
    Set<String> routes = new HashSet<>();
    RouteTemplates.ALL.forEach(t -> routes.add(t.method() + " " + t.path()));
    assertEquals(routes, described());
  }

  /** Status and body; an event stream (which never ends) is answered by its status and headers alone. */
  record Answer(int statusCode, String body) {}

  static Answer getOnce(String path) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      boolean stream = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
      return new Answer(r.statusCode(), stream ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void everyDescribedPathIsServed() throws Exception {
    for (String route : described()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replace("{public_key}", "ab".repeat(32))
          .replace("observers/{key}", "observers/" + "ab".repeat(32)).replace("{key}", "owner")
          .replace("{prefix}", "ab").replace("{file}", "swagger-ui.css").replaceAll("\\{[a-z_]+}", "x");
      Answer r;
      if (method.equals("GET")) {
        r = getOnce(path);
      } else {
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + path)).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(
            method.equals("POST") ? "[]" : "{\"value\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        r = new Answer(sent.statusCode(), sent.body());
      }
      assertNotEquals(405, r.statusCode(), route);
      assertTrue(r.statusCode() != 404 || r.body().contains("\"not_found\"") && !r.body().contains("no such endpoint"),
          route + " answered " + r.statusCode() + " " + r.body());
    }
  }

  @Test
  void requestMetricsAreLabelledByTemplateAndUnknownPathsShareOneLabel() throws Exception {
    assertEquals(404, get("/no/such/" + "x".repeat(20)).statusCode());
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("route=\"unmatched\",status=\"404\""), metrics);
    assertTrue(!metrics.contains("x".repeat(20)), "raw paths never become labels");
  }
}
