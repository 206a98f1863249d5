package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.app.http.Json;
import org.meshhub.core.config.Env;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.PacketEncoder;
import org.meshhub.core.decoder.RouteType;
import org.meshhub.core.ingest.IngestResult;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.TestDatabases;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; nothing is
 * downloaded), against an in-process MeshHub fed by the synthetic mesh, with a read key set. Map tiles point at a
 * closed local port, so the map must work without them. Screenshots of every page go to
 * {@code app/target/dashboard/}.
 */
class DashboardBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final String READ_KEY = "browser-test-read-key";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Path SHOTS = Path.of("target", "dashboard");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataHome;
  static MeshHubServer server;
  static ChromeDriver driver;
  static String tileOrigin;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    tileOrigin = "http://127.0.0.1:" + closedPort;
    Map<String, String> env = LocalServers.env(TestDatabases.sqliteEnvMap(dataHome), "API_READ_KEY", READ_KEY,
        "MAP_TILE_URL", tileOrigin + "/{z}/{x}/{y}.png");
    server = MeshHubServer.start(MeshHubSettings.load(Env.of(env), Optional.of(new MeshHubSettings.Demo(40, 40))));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (api("/api/v1/nodes?limit=1").get("total").asInt() < 43 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(43, api("/api/v1/nodes?limit=1").get("total").asInt(), "the demo mesh's nodes all advertised");
    Files.createDirectories(SHOTS);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("meshhub-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void desktopAndNoLeftovers() {
    driver.manage().window().setSize(new Dimension(1280, 900));
    // Requests of the previous test's page end with it; what they logged is not this test's.
    driver.get("about:blank");
    consoleErrors();
  }

  static JsonNode api(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
        .header("Authorization", "Bearer " + READ_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  static WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Opens a page; answers the key prompt if this tab has no key yet; waits until the page shows its data. */
  static void open(String path, String loaded) {
    driver.get(url(path));
    waiting().until(d -> isKeyPromptOpen() || Boolean.TRUE.equals(js("return document.body.dataset." + loaded
        + " === 'true'")));
    if (isKeyPromptOpen()) {
      enterKey(READ_KEY);
    }
    waiting().until(d -> Boolean.TRUE.equals(js("return document.body.dataset." + loaded + " === 'true'")));
    waiting().until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
  }

  /** Waits until the map's clusters have finished animating, so a screenshot shows where they end up. */
  static void settled() {
    waiting().until(d -> Boolean.TRUE.equals(js("return document.querySelector('.leaflet-cluster-anim') === null")));
  }

  static boolean isKeyPromptOpen() {
    Object open = js("const d = document.getElementById('key-dialog'); return d ? d.open : 'no dialog'");
    if ("no dialog".equals(open)) {
      throw new AssertionError(driver.getCurrentUrl() + " is not a dashboard page: "
          + driver.getPageSource().substring(0, Math.min(600, driver.getPageSource().length())));
    }
    return Boolean.TRUE.equals(open);
  }

  static void enterKey(String key) {
    WebElement input = driver.findElement(By.id("key-input"));
    input.clear();
    input.sendKeys(key);
    driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
  }

  /** Console errors since the last call, except failed tile loads (the tile server is a closed port by design). */
  static List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !entry.getMessage().contains(tileOrigin)) {
        errors.add(entry.getMessage());
      }
    }
    return errors;
  }

  static void screenshot(String name) throws Exception {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  static void darkMode(boolean dark) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  @Test
  void everyPageLoadsWithoutConsoleErrorsInLightAndDarkOnDesktopAndPhone() throws Exception {
    String observer = api("/api/v1/nodes?observer=true&limit=1").get("items").get(0).get("public_key").asText();
    String[][] pages = {{"overview", "/", "statsLoaded"}, {"map", "/map", "mapLoaded"},
        {"nodes", "/nodes", "nodesLoaded"}, {"node", "/nodes/" + observer, "nodeLoaded"},
        {"messages", "/messages", "messagesLoaded"}, {"observers", "/observers", "observersLoaded"}};
    consoleErrors();
    for (boolean dark : new boolean[] {false, true}) {
      darkMode(dark);
      for (String[] page : pages) {
        open(page[1], page[2]);
        if (page[0].equals("overview")) {
          waiting().until(d -> Boolean.TRUE.equals(js("return document.body.dataset.activityLoaded === 'true'")));
        }
        settled();
        screenshot(page[0] + (dark ? "-dark" : ""));
        assertEquals(List.of(), consoleErrors(), page[1] + (dark ? " (dark)" : ""));
      }
    }
    driver.manage().window().setSize(new Dimension(390, 844));
    for (boolean dark : new boolean[] {false, true}) {
      darkMode(dark);
      for (String[] page : pages) {
        open(page[1], page[2]);
        settled();
        screenshot(page[0] + "-phone" + (dark ? "-dark" : ""));
        long overflow = (Long) js("return document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow <= 0, page[1] + " is wider than a phone's screen by " + overflow + " px");
      }
    }
    darkMode(false);
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  void theMapShowsAMarkerForANodeWithAPositionWithoutTiles() throws Exception {
    JsonNode positioned = api("/api/v1/dashboard/map");
    JsonNode node = positioned.get("items").get(0);
    String name = node.get("name").asText();
    open("/map?node=" + node.get("public_key").asText(), "mapLoaded");
    assertEquals(positioned.get("total").asInt(), Integer.parseInt(
        driver.findElement(By.id("map")).getAttribute("data-markers")), "a marker for each positioned node");
    waiting().until(d -> d.findElement(By.id("tile-notice")).isDisplayed());
    WebElement popup = waiting().until(d -> d.findElements(By.cssSelector(".leaflet-popup-content")).stream()
        .filter(WebElement::isDisplayed).findFirst().orElse(null));
    assertTrue(popup.getText().contains(name), popup.getText());
    assertTrue(popup.findElement(By.tagName("a")).getAttribute("href").endsWith("/nodes/"
        + node.get("public_key").asText()));
    WebElement marker = driver.findElement(By.cssSelector(".leaflet-marker-icon[title=\"" + name.replace("\"", "\\\"")
        + "\"]"));
    assertTrue(marker.isDisplayed());
    screenshot("map-focused");
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  void theNodesTablePagesSortsAndSearches() throws Exception {
    open("/nodes", "nodesLoaded");
    assertEquals(25, rows().size());
    assertEquals("1–25 of 43", text("page-info"));
    driver.findElement(By.id("next")).click();
    waiting().until(d -> text("page-info").equals("26–43 of 43"));
    assertEquals(18, rows().size());

    js("window.scrollTo(0, 0)");
    driver.findElement(By.cssSelector("th[data-sort=name] button")).click();
    waiting().until(d -> "ascending".equals(d.findElement(By.cssSelector("th[data-sort=name]"))
        .getAttribute("aria-sort")) && text("page-info").startsWith("1–25"));
    List<String> names = rows().stream().map(r -> r.findElement(By.cssSelector("td a")).getText()).toList();
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(Comparator.comparing(s -> s.toLowerCase(Locale.ROOT)));
    assertEquals(sorted.size(), names.size());
    assertEquals(api("/api/v1/nodes?sort=name&order=asc&limit=1").get("items").get(0).get("name").asText(),
        names.get(0), "the first row is the API's first by name");

    String wanted = api("/api/v1/nodes?adv_type=room&limit=1").get("items").get(0).get("name").asText();
    WebElement search = driver.findElement(By.id("search"));
    search.sendKeys(wanted);
    waiting().until(d -> rows().size() >= 1 && rows().stream()
        .allMatch(r -> r.getText().toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT))));
    assertTrue(driver.getCurrentUrl().contains("search="), "the view is kept in the URL");
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  void theObserversPageListsEachObserverByNameAndOnlineAsTheOverviewCountsThem() throws Exception {
    open("/observers", "observersLoaded");
    List<WebElement> rows = driver.findElements(By.cssSelector("#observers tr"));
    JsonNode byName = api("/api/v1/observers?sort=name&limit=500");
    assertEquals(byName.get("total").asInt(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(byName.get("items").get(i).get("name").asText(),
          rows.get(i).findElement(By.cssSelector("td a")).getText(), "row " + i);
    }
    long online = rows.stream().filter(r -> !r.findElements(By.cssSelector(".badge.online")).isEmpty()).count();
    assertEquals(api("/api/v1/dashboard/stats").get("observers_online").asLong(), online);
    long heard = 0;
    for (WebElement row : rows) {
      String cell = row.findElements(By.tagName("td")).get(3).getText().replaceAll("\\D", "");
      assertFalse(cell.isEmpty(), "receptions in the last hour: " + row.getText());
      heard += Long.parseLong(cell);
    }
    assertTrue(heard > 0, "the demo mesh's observers uploaded receptions within the hour");
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  void aChannelMessagePublishedAfterThePageLoadedAppearsWithoutReload() throws Exception {
    open("/messages", "messagesLoaded");
    js("window.loadedOnce = 'still the same page'");
    String text = "browser test " + Long.toHexString(System.nanoTime());
    String observer = api("/api/v1/nodes?observer=true&limit=1").get("items").get(0).get("public_key").asText();
    byte[] raw = new PacketEncoder().groupText(ChannelKey.PUBLIC, Instant.now().getEpochSecond(), "Tester: " + text,
        RouteType.FLOOD, List.of(), 1);
    IngestResult result = server.ingest().submit(LetsMesh.topic("meshcore", observer, "packets"),
        LetsMesh.bytes(LetsMesh.packet(raw, null, Instant.now(), "6.5", "-91"))).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertEquals(IngestResult.Status.ACCEPTED, result.status(), result.toString());
    WebElement item = waiting().until(d -> d.findElements(By.cssSelector("#messages li")).stream()
        .filter(li -> li.getText().contains(text)).findFirst().orElse(null));
    assertTrue(item.getText().contains("Tester"), item.getText());
    assertEquals("still the same page", js("return window.loadedOnce"), "no reload happened");
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  void aBadReadKeyShowsTheKeyPromptAgain() throws Exception {
    open("/", "statsLoaded");
    js("sessionStorage.setItem('meshhub.readKey', 'not-the-key')");
    driver.navigate().refresh();
    waiting().until(d -> isKeyPromptOpen());
    assertTrue(driver.findElement(By.id("key-reason")).getText().contains("not accepted"),
        driver.findElement(By.id("key-reason")).getText());
    screenshot("key-prompt");
    enterKey("still-wrong");
    waiting().until(d -> isKeyPromptOpen() && d.findElement(By.id("key-input")).getAttribute("value").isEmpty());
    enterKey(READ_KEY);
    waiting().until(d -> Boolean.TRUE.equals(js("return document.body.dataset.statsLoaded === 'true'")));
    assertFalse(isKeyPromptOpen());
    assertEquals("43", driver.findElement(By.cssSelector("[data-stat=total_nodes]")).getText());
    assertFalse(driver.getCurrentUrl().contains(READ_KEY), "the key is never in the URL");
    // The wrong keys made 401s, which the browser logs as failed requests; nothing else went wrong.
    List<String> errors = consoleErrors();
    assertTrue(errors.stream().allMatch(e -> e.contains("401")), errors.toString());
  }

  static List<WebElement> rows() {
    return driver.findElements(By.cssSelector("#nodes tr[data-key]"));
  }

  static String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }
}
