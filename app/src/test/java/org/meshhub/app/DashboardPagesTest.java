package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.web.DashboardSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.testing.TestDatabases;

/** The dashboard's pages and files over a real socket: types, caching, security headers, and what is refused. */
class DashboardPagesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  static Path dataHome;
  static MeshHubServer server;

  @BeforeAll
  static void start() {
    server = MeshHubServer.start(Env.of(LocalServers.env(TestDatabases.sqliteEnvMap(dataHome), "API_READ_KEY",
        "pages-test-read-key", "MAP_TILE_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "MAP_TILE_ATTRIBUTION",
        "Tiles <Example>", "MQTT_ENABLED", "false")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyPageIsHtmlRevalidatedWithAnETagAndLockedDownByItsSecurityPolicy() throws Exception {
    for (String path : List.of("/", "/map", "/nodes", "/nodes/" + "ab".repeat(32), "/messages", "/observers")) {
      HttpResponse<String> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
      assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""), path);
      String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(policy.contains("default-src 'self'") && policy.contains("img-src 'self' data: https://*.tiles"
          + ".example.org"), policy);
      assertTrue(page.body().contains("<script type=\"module\" src=\"/static/js/"), path);
      String etag = page.headers().firstValue("ETag").orElseThrow();
      assertEquals(304, get(path, "If-None-Match", etag).statusCode(), path);
    }
    String map = get("/map").body();
    assertTrue(map.contains("content=\"https://{s}.tiles.example.org/{z}/{x}/{y}.png\""), "the tile URL is given");
    assertTrue(map.contains("Tiles &lt;Example&gt;"), "the attribution is escaped");
  }

  @Test
  void theImportMapIsTheOneInlineScriptAndThePolicyAllowsExactlyIt() throws Exception {
    HttpResponse<String> page = get("/");
    Matcher inline = Pattern.compile("<script type=\"importmap\">(.*?)</script>").matcher(page.body());
    assertTrue(inline.find());
    String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
        .digest(inline.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("'sha256-" + hash + "'"));
    Matcher uplot = Pattern.compile("/webjars/uplot/[^/]+/dist/uPlot.esm.js").matcher(inline.group(1));
    assertTrue(uplot.find());
    HttpResponse<String> library = get(uplot.group(), "Accept-Encoding", "gzip");
    assertEquals(200, library.statusCode());
    assertTrue(library.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals("public, max-age=31536000, immutable", library.headers().firstValue("Cache-Control").orElse(""));
    assertEquals("gzip", library.headers().firstValue("Content-Encoding").orElse(""));
  }

  @Test
  void ourFilesRevalidateAndMissingOrForeignFilesAre404s() throws Exception {
    HttpResponse<String> script = get("/static/js/api.js");
    assertEquals(200, script.statusCode());
    assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals("no-cache", script.headers().firstValue("Cache-Control").orElse(""));
    assertEquals(304, get("/static/js/api.js", "If-None-Match", script.headers().firstValue("ETag").orElseThrow())
        .statusCode());
    assertTrue(get("/static/app.css").headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
    for (String path : List.of("/static/js/none.js", "/static/%2e%2e/openapi.json", "/static/../layout.html",
        "/webjars/leaflet/0.0.1/dist/leaflet.js", "/webjars/jquery/3.7.1/jquery.js", "/static/js/")) {
      HttpResponse<String> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertTrue(r.body().contains("\"not_found\""), path + ": " + r.body());
    }
  }

  @Test
  void aBadTileUrlIsRefusedInOneLineNamingTheVariable() {
    for (String bad : List.of("https://tiles.example.org/tile.png", "ftp://x/{z}/{x}/{y}", "{z}/{x}/{y}")) {
      SettingsException e = assertThrows(SettingsException.class,
          () -> DashboardSettings.fromEnv(Env.of(Map.of("MAP_TILE_URL", bad))), bad);
      assertEquals("MAP_TILE_URL", e.variable());
      assertFalse(e.getMessage().contains("\n"));
    }
    assertTrue(DashboardSettings.fromEnv(Env.of(Map.of("MAP_TILE_URL", "none"))).tileUrl().isEmpty());
    DashboardSettings defaults = DashboardSettings.fromEnv(Env.of(Map.of()));
    assertEquals("https://tile.openstreetmap.org", defaults.tileOrigin().orElseThrow());
    assertTrue(defaults.tileAttribution().contains("OpenStreetMap"));
  }
}
