package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Reception;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.TableNames;
import org.meshhub.projections.message.MessageProjectionHandler;
import org.meshhub.projections.node.NodeProjectionHandler;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * How soon the dashboard's overview shows its first figures on a large network: the read models of N nodes and M
 * messages (1 to 3 receptions each, over the last 30 days) are written with the projections' own writers, then a
 * MeshHub serves them and headless Chromium opens the overview, cold (a new browser, empty cache) and warm
 * (reloads). The figure is the page's own {@code performance.now()} when its first figures were on screen.
 *
 * <p>Not part of the suite: run it with {@code bench/dashboard-overview.sh} (which documents the properties).
 */
class DashboardOverviewBenchmark {
  static final int NODES = Integer.getInteger("meshhub.bench.nodes", 10_000);
  static final int MESSAGES = Integer.getInteger("meshhub.bench.messages", 1_000_000);
  static final int COLD = Integer.getInteger("meshhub.bench.cold", 5);
  static final int WARM = Integer.getInteger("meshhub.bench.warm", 10);
  static final String BACKEND = System.getProperty("meshhub.bench.backend", "sqlite");
  static final int BATCH = 5_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void overviewFirstData() throws Exception {
    Path dataHome = Files.createTempDirectory("meshhub-dashboard-bench");
    String schema = TestDatabases.uniqueSchema(DashboardOverviewBenchmark.class);
    Map<String, String> dbEnv = BACKEND.equals("postgres") ? TestDatabases.postgresEnvMap(schema)
        : TestDatabases.sqliteEnvMap(dataHome);
    try {
      long loadStart = System.nanoTime();
      try (Database db = Storage.prepare(DatabaseSettings.fromEnv(Env.of(dbEnv)), 2)) {
        load(db);
      }
      System.out.printf("loaded %d nodes and %d messages in %.1f s%n", NODES, MESSAGES,
          (System.nanoTime() - loadStart) / 1e9);
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
          assertTrue(r.body().contains("\"total_nodes\":" + NODES), r.body());
        }
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < COLD; i++) {
          ChromeDriver browser = browser();
          try {
            cold.add(firstData(browser, base + "/", false));
          } finally {
            browser.quit();
          }
        }
        List<Long> warm = new ArrayList<>();
        ChromeDriver browser = browser();
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
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** The read models, through the projections' writers: nodes with an advert each, messages over 30 days. */
  static void load(Database db) throws Exception {
    Instant now = Instant.now();
    List<String> observers = List.of(Samples.publicKey(1), Samples.publicKey(2), Samples.publicKey(3));
    List<NodeEntity.Event> nodeEvents = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      Instant at = now.minusSeconds((long) (Math.random() * 30 * 86_400));
      nodeEvents.add(new NodeEntity.AdvertRecorded(Samples.publicKey(10 + i), new NodeEntity.Advert(
          at.getEpochSecond(), "Node " + i, i % 4 == 0 ? "repeater" : "chat", 0x81, 47 + i % 100 / 100.0,
          -122 - i % 97 / 100.0, true, null, null), new Reception(observers.get(i % 3), at, 5.0, -100, 1, null)));
    }
    write(db, (c, batch) -> new NodeProjectionHandler("node-0", TableNames.live()).write(c, batch), nodeEvents);
    List<MessageEntity.Event> batch = new ArrayList<>(BATCH);
    MessageProjectionHandler messages = new MessageProjectionHandler("message-0", TableNames.live());
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < MESSAGES; i++) {
        Instant at = now.minusMillis((long) (Math.random() * 30 * 86_400_000L));
        String hash = Samples.packetHash(1_000_000L + i);
        batch.add(new MessageEntity.MessageRecorded(hash, new MessageEntity.MessageContent("channel", 5,
            i % 5 == 0 ? 0x22 : 0x11, i % 5 == 0 ? "#test" : "Public", true, "Sender " + i % 500,
            "message number " + i + " about the weather", at.getEpochSecond(), 0, null, null), null,
            new Reception(observers.get(i % 3), at, 4.0, -101, 2, null)));
        for (int k = 1; k <= i % 3; k++) {
          batch.add(new MessageEntity.ReceptionAdded(hash, MessageEntity.KIND_MESSAGE,
              new Reception(observers.get((i + k) % 3), at.plusMillis(100 * k), 3.0, -105, 3, null)));
        }
        if (batch.size() >= BATCH) {
          messages.write(c, batch);
          c.commit();
          batch.clear();
        }
      }
      messages.write(c, batch);
      c.commit();
    }
  }

  @FunctionalInterface
  interface Writer<E> {
    void write(Connection c, List<E> batch) throws Exception;
  }

  static <E> void write(Database db, Writer<E> writer, List<E> events) throws Exception {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < events.size(); i += BATCH) {
        writer.write(c, events.subList(i, Math.min(events.size(), i + BATCH)));
        c.commit();
      }
    }
  }

  static ChromeDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserTest.CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("meshhub-bench-chromium"));
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
