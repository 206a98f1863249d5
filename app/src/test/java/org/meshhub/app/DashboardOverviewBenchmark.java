package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.meshhub.app.cli.ReadModelLoad;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How soon the dashboard's overview shows its first figures on a large network: the read models of N nodes (one
 * advert each) and M messages (1 to 3 receptions each, over the last 30 days) are written by the loader of
 * {@code meshhub benchmark read-model}, then a MeshHub serves them and headless Chromium opens the overview, cold (a
 * new browser, empty cache) and warm (reloads). The figure is the page's own {@code performance.now()} when its
 * first figures were on screen.
 *
 * <p>Not part of the suite: run it with {@code bench/dashboard-overview.sh} (which documents the properties).
 */
class DashboardOverviewBenchmark {
  static final int NODES = Integer.getInteger("meshhub.bench.nodes", 10_000);
  static final int MESSAGES = Integer.getInteger("meshhub.bench.messages", 1_000_000);
  static final int COLD = Integer.getInteger("meshhub.bench.cold", 5);
  static final int WARM = Integer.getInteger("meshhub.bench.warm", 10);
  static final String BACKEND = System.getProperty("meshhub.bench.backend", "sqlite");
  /** What {@code meshhub benchmark read-model} writes, with one advert per node. */
  static final ReadModelLoad.Shape SHAPE = new ReadModelLoad.Shape(NODES, NODES, MESSAGES, 20, 30, 2_000, 1);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void overviewFirstData() throws Exception {
    // The data (SQLite) and the browsers' profiles, removed at the end.
    Path scratch = Files.createTempDirectory("meshhub-dashboard-bench");
    Path dataHome = scratch.resolve("data");
    String schema = TestDatabases.uniqueSchema(DashboardOverviewBenchmark.class);
    Map<String, String> dbEnv = BACKEND.equals("postgres") ? TestDatabases.postgresEnvMap(schema)
        : TestDatabases.sqliteEnvMap(dataHome);
    try {
      long loadStart = System.nanoTime();
      long events = ReadModelLoad.fill(DatabaseSettings.fromEnv(Env.of(dbEnv)), SHAPE,
          new PrintWriter(System.out, true));
      System.out.printf("loaded %d nodes, %d observers and %d messages (%d events) in %.1f s%n", NODES,
          SHAPE.observers(), MESSAGES, events, (System.nanoTime() - loadStart) / 1e9);
      Map<String, String> env = LocalServers.env(dbEnv, "MQTT_ENABLED", "false", "MAP_TILE_URL", "none");
      try (MeshHubServer server = MeshHubServer.start(Env.of(env))) {
        String base = "http://127.0.0.1:" + server.port();
        List<Long> stats = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
          long t = System.nanoTime();
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dashboard/stats"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
          if (i > 0) {
            stats.add((System.nanoTime() - t) / 1_000_000);
          }
          assertTrue(r.body().contains("\"total_nodes\":" + (NODES + SHAPE.observers())), r.body());
        }
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < COLD; i++) {
          ChromeDriver browser = browser(scratch);
          try {
            cold.add(firstData(browser, base + "/", false));
          } finally {
            browser.quit();
          }
        }
        List<Long> warm = new ArrayList<>();
        ChromeDriver browser = browser(scratch);
        try {
          firstData(browser, base + "/", false);
          for (int i = 0; i < WARM; i++) {
            warm.add(firstData(browser, base + "/", true));
          }
        } finally {
          browser.quit();
        }
        System.out.printf("RESULT dashboard_overview backend=%s nodes=%d messages=%d first_data_cold_ms_p50=%d"
            + " first_data_cold_ms_max=%d first_data_warm_ms_p50=%d first_data_warm_ms_max=%d"
            + " stats_request_ms_p50=%d stats_request_ms_max=%d%n", BACKEND, NODES, MESSAGES, median(cold),
            Collections.max(cold), median(warm), Collections.max(warm), median(stats), Collections.max(stats));
      }
    } finally {
      if (BACKEND.equals("postgres")) {
        TestDatabases.dropSchema(schema);
      }
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static ChromeDriver browser(Path scratch) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserTest.CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium"));
    return new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DashboardBrowserTest.CHROMEDRIVER)).usingAnyFreePort().build(), options);
  }

  /** Opens (or reloads) the overview and returns when, in ms after navigation start, its first figures showed. */
  static long firstData(ChromeDriver browser, String url, boolean reload) {
    if (reload) {
      browser.navigate().refresh();
    } else {
      browser.get(url);
    }
    Object ms = new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> ((JavascriptExecutor) d)
        .executeScript("return document.body.dataset.firstDataMs || null"));
    return Long.parseLong(ms.toString());
  }
}
