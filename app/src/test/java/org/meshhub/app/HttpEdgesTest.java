package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.http.Cors;
import org.meshhub.app.http.Json;
import org.meshhub.app.http.RouteTemplates;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.testing.TestDatabases;

/** What a client meets at the edges of HTTP, through a real socket: HEAD, wrong methods, oversized requests, CORS. */
class HttpEdgesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ORIGIN = "https://map.example";
  @TempDir
  static Path dataHome;
  private static MeshHubServer server;

  @BeforeAll
  static void start() {
    server = MeshHubServer.start(Env.of(LocalServers.env(TestDatabases.sqliteEnvMap(dataHome),
        "MQTT_ENABLED", "false", "API_CORS_ORIGINS", ORIGIN + ", http://localhost:3000")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Status, content type and body of an answer; an event stream (which never ends) is read no further. */
  record Headed(int status, java.util.Optional<String> contentType, String body) {}

  static Headed sendHeaded(String method, String path) throws Exception {
    HttpResponse<java.io.InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    java.util.Optional<String> type = r.headers().firstValue("Content-Type");
    try (java.io.InputStream body = r.body()) {
      boolean stream = type.orElse("").startsWith("text/event-stream") && !method.equals("HEAD");
      return new Headed(r.statusCode(), type,
          stream ? "" : new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  static String concrete(String template) {
    return template.replace("observers/{key}", "observers/" + "ab".repeat(32)).replace("{public_key}",
        "ab".repeat(32)).replace("{key}", "owner").replace("{prefix}", "ab").replace("{file}", "swagger-ui.css")
        .replaceAll("\\{[a-z_]+}", "x");
  }

  @Test
  void headOnEveryGetRouteAnswersLikeGetWithoutABody() throws Exception {
    for (RouteTemplates.Template t : RouteTemplates.ALL) {
      if (!t.method().equals("GET")) {
        continue;
      }
      String path = concrete(t.path());
      Headed get = sendHeaded("GET", path);
      Headed head = sendHeaded("HEAD", path);
      assertEquals(get.status(), head.status(), "HEAD " + path);
      assertEquals(get.contentType(), head.contentType(), path);
      assertEquals("", head.body(), "HEAD " + path + " has no body");
    }
  }

  @Test
  void aWrongMethodOnAnExistingRouteIs405WithAllow() throws Exception {
    Map<String, String> cases = Map.of(
        "POST /api/v1/nodes", "GET, HEAD",
        "DELETE /health", "GET, HEAD",
        "GET /api/v1/ingest", "POST",
        "POST /api/v1/nodes/" + "ab".repeat(32) + "/tags/owner", "GET, HEAD, PUT, DELETE",
        "PUT /api/v1/observers", "GET, HEAD");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String[] request = c.getKey().split(" ");
      HttpResponse<String> r = send(request[0], request[1], Map.of());
      assertEquals(405, r.statusCode(), c.getKey() + ": " + r.body());
      assertEquals(Set.of(c.getValue().split(", ")), Set.of(r.headers().firstValue("Allow").orElse("")
          .split(", ")), c.getKey());
      assertEquals("method_not_allowed", Json.MAPPER.readTree(r.body()).get("error").asText());
    }
    HttpResponse<String> unknown = send("POST", "/api/v1/nothing-here", Map.of());
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", Json.MAPPER.readTree(unknown.body()).get("error").asText());
  }

  @Test
  void aTooLongUriOrHeaderIsAJsonErrorLikeEveryOtherError() throws Exception {
    HttpResponse<String> uri = send("GET", "/api/v1/nodes?search=" + "a".repeat(5000), Map.of());
    assertEquals(414, uri.statusCode(), uri.body());
    assertTrue(uri.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = Json.MAPPER.readTree(uri.body());
    assertEquals("uri_too_long", body.get("error").asText());
    assertTrue(body.get("detail").asText().contains("URI"), body.toString());

    HttpResponse<String> header = send("GET", "/health", Map.of("X-Padding", "b".repeat(20_000)));
    assertEquals(431, header.statusCode(), header.body());
    assertEquals("header_too_large", Json.MAPPER.readTree(header.body()).get("error").asText());
    assertFalse(header.body().contains("bbbbbbbb"), "the header's value is not echoed");
  }

  @Test
  void aPreflightFromAnAllowedOriginNamesTheMethodsAndHeadersTheApiTakes() throws Exception {
    HttpResponse<String> ok = send("OPTIONS", "/api/v1/nodes", Map.of("Origin", ORIGIN,
        "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
    assertEquals(204, ok.statusCode(), ok.body());
    assertEquals(ORIGIN, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(ok.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
    assertTrue(ok.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
    assertTrue(ok.headers().firstValue("Access-Control-Max-Age").isPresent());

    HttpResponse<String> other = send("OPTIONS", "/api/v1/nodes", Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "GET"));
    assertEquals(403, other.statusCode());
    assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    assertEquals("forbidden", Json.MAPPER.readTree(other.body()).get("error").asText());
  }

  @Test
  void responsesToAnAllowedOriginCarryTheCorsHeaderAndOthersDoNot() throws Exception {
    HttpResponse<String> allowed = send("GET", "/api/v1/nodes", Map.of("Origin", "http://localhost:3000"));
    assertEquals(200, allowed.statusCode());
    assertEquals("http://localhost:3000", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("Origin", allowed.headers().firstValue("Vary").orElse(""));
    HttpResponse<String> error = send("GET", "/api/v1/nodes?limit=0", Map.of("Origin", ORIGIN));
    assertEquals(400, error.statusCode());
    assertEquals(ORIGIN, error.headers().firstValue("Access-Control-Allow-Origin").orElse(""),
        "errors too, so that the page can read them");
    HttpResponse<String> other = send("GET", "/api/v1/nodes", Map.of("Origin", "https://evil.example"));
    assertEquals(200, other.statusCode());
    assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void corsOriginsMustBeOrigins() {
    for (String bad : List.of("map.example", "https://map.example/path", "ftp://map.example", " , ")) {
      SettingsException e = assertThrows(SettingsException.class,
          () -> Cors.fromEnv(Env.of(Map.of(Cors.API_CORS_ORIGINS, bad))), bad);
      assertTrue(e.getMessage().contains(Cors.API_CORS_ORIGINS), e.getMessage());
    }
    assertFalse(Cors.fromEnv(Env.of(Map.of())).enabled(), "off unless set");
    assertTrue(Cors.fromEnv(Env.of(Map.of(Cors.API_CORS_ORIGINS, "*"))).enabled());
  }

  @Test
  void theApiPageIsSwaggerUiServedFromTheJar() throws Exception {
    HttpResponse<String> page = send("GET", "/api/docs", Map.of());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing from another site");
    for (String asset : List.of("/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js",
        "/api/docs/initializer.js")) {
      assertTrue(page.body().contains(asset), asset);
      HttpResponse<String> r = send("GET", asset, Map.of());
      assertEquals(200, r.statusCode(), asset);
      assertTrue(r.body().length() > 50, asset);
    }
    assertTrue(send("GET", "/api/docs/initializer.js", Map.of()).body().contains("/api/openapi.json"));
    assertEquals(404, send("GET", "/api/docs/..%2Fpom.properties", Map.of()).statusCode());
  }
}
