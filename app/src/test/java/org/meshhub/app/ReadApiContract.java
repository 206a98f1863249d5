package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.meshhub.app.http.Json;
import org.meshhub.core.config.Env;
import org.meshhub.projections.testing.ReadSideData;
import org.meshhub.projections.testing.ReadSideTesting;

/**
 * The read API over a real socket on an in-process MeshHub, with data sent to the real entities and projected by
 * the real projections: filters, paging, search, errors and keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReadApiContract {
  static final String READ_KEY = "reader-key-for-tests";
  static final String ADMIN_KEY = "admin-key-for-tests";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  MeshHubServer server;
  ReadSideData data;

  abstract Map<String, String> databaseEnv();

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = LocalServers.env(databaseEnv());
    env.put("API_READ_KEY", READ_KEY);
    env.put("API_ADMIN_KEY", ADMIN_KEY);
    server = MeshHubServer.start(Env.of(env));
    data = ReadSideData.send(server.system(), Instant.now());
    ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(90));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  /** Clean-up that must wait until the server is gone. */
  void afterServerStopped() {}

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path, READ_KEY);
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return Json.MAPPER.readTree(r.body());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Set<String> field(JsonNode page, String name) {
    Set<String> out = new HashSet<>();
    page.get("items").forEach(i -> out.add(i.get(name).asText()));
    return out;
  }

  @Test
  void nodeListsPageWithTotals() throws Exception {
    JsonNode first = json("/api/v1/nodes?limit=3");
    assertEquals(ReadSideData.NODES.size(), first.get("total").asInt());
    assertEquals(3, first.get("limit").asInt());
    assertEquals(0, first.get("offset").asInt());
    assertEquals(3, first.get("items").size());
    Set<String> all = new HashSet<>();
    for (int offset = 0; offset < 9; offset += 3) {
      all.addAll(field(json("/api/v1/nodes?limit=3&offset=" + offset), "public_key"));
    }
    assertEquals(Set.copyOf(ReadSideData.NODES), all);
    assertEquals(2, json("/api/v1/nodes?limit=3&offset=6").get("items").size());
    assertEquals(0, json("/api/v1/nodes?offset=100").get("items").size());
  }

  @Test
  void nodesFilterByNamePrefixTypeAndObserver() throws Exception {
    assertEquals(Set.of(ReadSideData.ALPHA), field(json("/api/v1/nodes?search=ALPHA"), "public_key"));
    assertEquals(Set.of(ReadSideData.BRAVO),
        field(json("/api/v1/nodes?pubkey_prefix=" + ReadSideData.BRAVO.substring(0, 10)), "public_key"));
    assertEquals(Set.of(ReadSideData.CHARLIE), field(json("/api/v1/nodes?adv_type=room"), "public_key"));
    assertEquals(Set.of(ReadSideData.O1, ReadSideData.O2, ReadSideData.O3),
        field(json("/api/v1/nodes?observer=true"), "public_key"));
    assertEquals(5, json("/api/v1/nodes?observer=false").get("total").asInt());
    assertEquals(Set.of(ReadSideData.ALPHA, ReadSideData.MALLORY),
        field(json("/api/v1/nodes?observed_by=" + ReadSideData.O3), "public_key"));
    JsonNode byName = json("/api/v1/nodes?sort=name&order=asc");
    List<String> names = new ArrayList<>();
    byName.get("items").forEach(n -> names.add(n.get("name").isNull() ? null : n.get("name").asText()));
    assertEquals(List.of("Alpha Prime", "Bravo", "Charlie Room", "Echo Sensor", "Observer 1", "Observer 2",
        "Observer 3"), names.subList(0, 7));
    assertEquals(null, names.get(7), "the node without a signed advert has no name and sorts last");
    JsonNode recent = json("/api/v1/nodes?sort=last_seen");
    assertEquals(ReadSideData.ECHO, recent.get("items").get(7).get("public_key").asText(),
        "the node heard longest ago comes last");
  }

  @Test
  void aNodeComesWithTagsAdvertsObserversTelemetryAndStatus() throws Exception {
    JsonNode alpha = json("/api/v1/nodes/" + ReadSideData.ALPHA);
    assertEquals("Alpha Prime", alpha.get("name").asText(), "the newer signed advert renamed it");
    assertEquals("repeater", alpha.get("adv_type").asText());
    assertEquals(1, alpha.get("tags").size(), "the removed tag is gone");
    assertEquals("owner", alpha.get("tags").get(0).get("key").asText());
    assertEquals("alice", alpha.get("tags").get(0).get("value").asText());
    assertEquals(2, alpha.get("recent_adverts").size());
    assertEquals(2, alpha.get("advert_count").asInt());
    assertEquals(4, alpha.get("reception_count").asInt());
    assertEquals(3, alpha.get("heard_by").size());
    Set<String> observerNames = new HashSet<>();
    alpha.get("heard_by").forEach(h -> observerNames.add(h.get("observer_name").asText()));
    assertEquals(Set.of("Observer 1", "Observer 2", "Observer 3"), observerNames);
    assertIsoUtc(alpha.get("last_seen").asText());
    assertIsoUtc(alpha.get("last_advert_at").asText());

    JsonNode observer = json("/api/v1/nodes/" + ReadSideData.O1.toUpperCase());
    assertTrue(observer.get("is_observer").asBoolean());
    assertEquals("Heltec V3", observer.get("observer_status").get("model").asText());
    assertEquals(100, observer.get("observer_status").get("stats").get("uptime").asInt());

    JsonNode echo = json("/api/v1/nodes/" + ReadSideData.ECHO);
    assertEquals(1, echo.get("telemetry").size());
    assertEquals(21.5, echo.get("telemetry").get(0).get("data").get("temperature").asDouble());

    JsonNode mallory = json("/api/v1/nodes/" + ReadSideData.MALLORY);
    assertTrue(mallory.get("name").isNull(), "an advert with a bad signature does not name the node");
    assertFalse(mallory.get("recent_adverts").get(0).get("signature_valid").asBoolean());
  }

  @Test
  void anUnknownNodeIs404AndAMalformedKeyIs400() throws Exception {
    HttpResponse<String> unknown = get("/api/v1/nodes/" + "ab".repeat(32), READ_KEY);
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", Json.MAPPER.readTree(unknown.body()).get("error").asText());
    HttpResponse<String> malformed = get("/api/v1/nodes/not-a-key", READ_KEY);
    assertEquals(400, malformed.statusCode());
    assertTrue(Json.MAPPER.readTree(malformed.body()).get("detail").asText().startsWith("public_key:"));
  }

  @Test
  void advertisementsFilterByNodeObserverAndTime() throws Exception {
    JsonNode all = json("/api/v1/advertisements");
    assertEquals(ReadSideData.ADVERTS, all.get("total").asInt());
    assertEquals(ReadSideData.ADVERTS, all.get("items").size());
    assertEquals(2, json("/api/v1/advertisements?public_key=" + ReadSideData.ALPHA).get("total").asInt());
    JsonNode byO1 = json("/api/v1/advertisements?observed_by=" + ReadSideData.O1);
    assertEquals(5, byO1.get("total").asInt());
    String dayAgo = q(data.now().minus(Duration.ofDays(1)).toString());
    assertEquals(ReadSideData.ADVERTS - ReadSideData.ADVERTS_OLDER_THAN_A_DAY,
        json("/api/v1/advertisements?since=" + dayAgo).get("total").asInt());
    assertEquals(ReadSideData.ADVERTS_OLDER_THAN_A_DAY,
        json("/api/v1/advertisements?until=" + dayAgo).get("total").asInt());
    JsonNode alphaFirst = null;
    for (JsonNode a : json("/api/v1/advertisements?public_key=" + ReadSideData.ALPHA).get("items")) {
      if (a.get("name").asText().equals("Alpha Repeater")) {
        alphaFirst = a;
      }
    }
    assertEquals(3, alphaFirst.get("observers").size());
    assertEquals(3, alphaFirst.get("reception_count").asInt());
    assertEquals("Alpha Prime", alphaFirst.get("node_name").asText());
    assertEquals(ReadSideData.O1, alphaFirst.get("received_by").asText());
    assertIsoUtc(alphaFirst.get("received_at").asText());
  }

  @Test
  void messagesFilterByTypeChannelSenderObserverAndTime() throws Exception {
    JsonNode all = json("/api/v1/messages?limit=500");
    assertEquals(ReadSideData.MESSAGES, all.get("total").asInt());
    assertEquals(3, json("/api/v1/messages?message_type=contact").get("total").asInt());
    assertEquals(ReadSideData.PUBLIC_MESSAGES + ReadSideData.TEST_MESSAGES,
        json("/api/v1/messages?message_type=channel").get("total").asInt());
    assertEquals(ReadSideData.TEST_MESSAGES,
        json("/api/v1/messages?channel_idx=" + ReadSideData.TEST_CHANNEL).get("total").asInt());
    assertEquals(2, json("/api/v1/messages?pubkey_prefix=ab").get("total").asInt());
    assertEquals(2, json("/api/v1/messages?pubkey_prefix=AB12cd").get("total").asInt(),
        "a longer key finds the messages that carry only its first byte");
    assertEquals(4, json("/api/v1/messages?observed_by=" + ReadSideData.O3).get("total").asInt());
    String dayAgo = q(data.now().minus(Duration.ofDays(1)).toString());
    assertEquals(ReadSideData.MESSAGES - ReadSideData.MESSAGES_OLDER_THAN_A_DAY,
        json("/api/v1/messages?since=" + dayAgo).get("total").asInt());
    assertEquals(1, json("/api/v1/messages?channel_idx=" + ReadSideData.TEST_CHANNEL + "&since=" + dayAgo)
        .get("total").asInt());
    JsonNode page = json("/api/v1/messages?limit=5&offset=10");
    assertEquals(2, page.get("items").size());
    assertEquals(ReadSideData.MESSAGES, page.get("total").asInt());

    JsonNode hello = json("/api/v1/messages?search=" + q("hello mesh"));
    assertEquals(1, hello.get("total").asInt());
    JsonNode first = hello.get("items").get(0);
    assertEquals("hello mesh world", first.get("text").asText());
    assertEquals(3, first.get("reception_count").asInt(), "the redelivery by the same observer was not counted");
    assertEquals(3, first.get("observers").size());
    assertEquals(ReadSideData.O1, first.get("received_by").asText());
    assertEquals("Public", first.get("channel_name").asText());
    assertIsoUtc(first.get("received_at").asText());
    assertIsoUtc(first.get("sender_timestamp").asText());
  }

  @Test
  void searchMatchesWholeWordsOfTextAndSender() throws Exception {
    assertEquals(3, json("/api/v1/messages?search=HELLO").get("total").asInt());
    assertEquals(1, json("/api/v1/messages?search=" + q("köln")).get("total").asInt());
    assertEquals(1, json("/api/v1/messages?search=probe&until=" + q(data.now().minus(Duration.ofDays(5))
        .toString())).get("total").asInt(), "search combines with the other filters");
    assertEquals(0, json("/api/v1/messages?search=hel").get("total").asInt(), "whole words only");
    assertEquals(1, json("/api/v1/messages?search=" + q("weather, fine!")).get("total").asInt());
  }

  @Test
  void dashboardStatsComeFromTheCounters() throws Exception {
    JsonNode s = json("/api/v1/dashboard/stats");
    assertEquals(ReadSideData.NODES.size(), s.get("total_nodes").asInt());
    assertEquals(6, s.get("active_nodes").asInt());
    assertEquals(ReadSideData.MESSAGES, s.get("total_messages").asInt());
    assertEquals(ReadSideData.MESSAGES - ReadSideData.MESSAGES_OLDER_THAN_7_DAYS, s.get("messages_7d").asInt());
    Instant midnight = LocalDate.ofInstant(data.now(), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (data.now().minus(Duration.ofMinutes(2)).isAfter(midnight)) {
      assertEquals(ReadSideData.MESSAGES - ReadSideData.MESSAGES_OLDER_THAN_A_DAY, s.get("messages_today").asInt());
    }
    assertEquals(ReadSideData.ADVERTS, s.get("total_advertisements").asInt());
    assertEquals(ReadSideData.ADVERTS - ReadSideData.ADVERTS_OLDER_THAN_A_DAY, s.get("advertisements_24h").asInt());
    assertEquals(ReadSideData.ADVERTS - ReadSideData.ADVERTS_OLDER_THAN_7_DAYS,
        s.get("advertisements_7d").asInt());
    assertEquals(ReadSideData.PUBLIC_MESSAGES,
        s.get("channel_message_counts").get(Integer.toString(ReadSideData.PUBLIC)).asInt());
    assertEquals(ReadSideData.TEST_MESSAGES,
        s.get("channel_message_counts").get(Integer.toString(ReadSideData.TEST_CHANNEL)).asInt());
    assertEquals("Public", s.get("channels").get(0).get("channel_name").asText());
    assertEquals(ReadSideData.ADVERTS, s.get("recent_advertisements").size());
    assertEquals(3, s.get("observers_total").asInt());
    assertEquals(3, s.get("observers_online").asInt());
  }

  @Test
  void activityCountsAdvertsChannelMessagesAndReceptionsPerBucket() throws Exception {
    JsonNode month = json("/api/v1/dashboard/activity?days=30&bucket=day");
    assertEquals("day", month.get("bucket").asText());
    assertEquals(30, month.get("items").size());
    Instant today = LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    assertEquals(today.toString(), month.get("items").get(29).get("start").asText(), "the last bucket is today");
    assertEquals(ReadSideData.ADVERTS, sum(month, "adverts"));
    assertEquals(ReadSideData.PUBLIC_MESSAGES + ReadSideData.TEST_MESSAGES, sum(month, "channel_messages"));
    assertEquals(ReadSideData.MESSAGES, sum(month, "messages"));
    assertEquals(RECEPTIONS, sum(month, "receptions"));

    JsonNode week = json("/api/v1/dashboard/activity?days=7&bucket=day");
    assertEquals(7, week.get("items").size());
    assertEquals(ReadSideData.ADVERTS - ReadSideData.ADVERTS_OLDER_THAN_7_DAYS, sum(week, "adverts"));

    JsonNode day = json("/api/v1/dashboard/activity?days=1");
    assertEquals("hour", day.get("bucket").asText(), "hourly by default for a short range");
    assertEquals(24, day.get("items").size());
    assertEquals(ReadSideData.ADVERTS - ReadSideData.ADVERTS_OLDER_THAN_A_DAY, sum(day, "adverts"));
    // Older than a day: one advert reception each of Charlie and Echo, and two #test messages.
    assertEquals(RECEPTIONS - 4, sum(day, "receptions"));
  }

  /** Receptions in ReadSideData: 19 of messages, traces and packets, 11 of adverts. */
  static final int RECEPTIONS = 30;

  static long sum(JsonNode activity, String field) {
    long total = 0;
    for (JsonNode bucket : activity.get("items")) {
      total += bucket.get(field).asLong();
    }
    return total;
  }

  @Test
  void theMapGetsEveryNodeWithAPosition() throws Exception {
    JsonNode map = json("/api/v1/dashboard/map");
    assertEquals(7, map.get("total").asInt(), "every node named by a signed advert has a position: " + map);
    Set<String> keys = field(map, "public_key");
    assertTrue(keys.contains(ReadSideData.ALPHA) && !keys.contains(ReadSideData.MALLORY), keys.toString());
    JsonNode alpha = null;
    for (JsonNode n : map.get("items")) {
      if (n.get("public_key").asText().equals(ReadSideData.ALPHA)) {
        alpha = n;
      }
    }
    assertEquals("repeater", alpha.get("adv_type").asText());
    assertEquals(-122.1, alpha.get("lon").asDouble());
  }

  @Test
  void nodesSortByTypeAndAdvertsAndCountTheirObservers() throws Exception {
    JsonNode byAdverts = json("/api/v1/nodes?sort=advert_count&order=desc&limit=1");
    assertEquals(ReadSideData.ALPHA, byAdverts.get("items").get(0).get("public_key").asText());
    assertEquals(3, byAdverts.get("items").get(0).get("observer_count").asInt());
    JsonNode byType = json("/api/v1/nodes?sort=adv_type&order=asc&observer=false");
    assertEquals("chat", byType.get("items").get(0).get("adv_type").asText());
    assertEquals("sensor", byType.get("items").get(3).get("adv_type").asText());
    assertTrue(byType.get("items").get(4).get("adv_type").isNull(), "a node without a signed advert comes last");
  }

  @Test
  void badParametersAre400sNamingTheParameter() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("/api/v1/nodes?limit=0", "limit");
    cases.put("/api/v1/nodes?limit=501", "limit");
    cases.put("/api/v1/nodes?limit=ten", "limit");
    cases.put("/api/v1/nodes?offset=-1", "offset");
    cases.put("/api/v1/nodes?sort=size", "sort");
    cases.put("/api/v1/nodes?order=up", "order");
    cases.put("/api/v1/nodes?observer=maybe", "observer");
    cases.put("/api/v1/nodes?pubkey_prefix=xyz", "pubkey_prefix");
    cases.put("/api/v1/nodes?adv_type=" + q("a b"), "adv_type");
    cases.put("/api/v1/nodes?observed_by=1234", "observed_by");
    cases.put("/api/v1/advertisements?since=yesterday", "since");
    cases.put("/api/v1/advertisements?since=2025-02-01&until=2025-01-01", "until");
    cases.put("/api/v1/advertisements?public_key=abc", "public_key");
    cases.put("/api/v1/messages?message_type=shout", "message_type");
    cases.put("/api/v1/messages?channel_idx=300", "channel_idx");
    cases.put("/api/v1/messages?search=" + q("!!! ???"), "search");
    cases.put("/api/v1/messages?search=" + "x".repeat(201), "search");
    cases.put("/api/v1/messages?until=2025-13-01", "until");
    cases.put("/api/v1/nodes?adv_type=toaster", "adv_type");
    cases.put("/api/v1/nodes/prefix/xyz", "prefix");
    cases.put("/api/v1/nodes/prefix/" + "a".repeat(65), "prefix");
    cases.put("/api/v1/trace-paths?observed_by=zz", "observed_by");
    cases.put("/api/v1/trace-paths?since=2025-02-01&until=2025-01-01", "until");
    cases.put("/api/v1/telemetry?public_key=12", "public_key");
    cases.put("/api/v1/telemetry?limit=0", "limit");
    cases.put("/api/v1/observers?offset=x", "offset");
    cases.put("/api/v1/observers?sort=size", "sort");
    cases.put("/api/v1/observers/not-a-key", "key");
    cases.put("/api/v1/packets?packet_hash=12", "packet_hash");
    cases.put("/api/v1/packets?kind=shout", "kind");
    cases.put("/api/v1/packets?kind=message&public_key=" + ReadSideData.ALPHA, "public_key");
    cases.put("/api/v1/channels?limit=1000", "limit");
    cases.put("/api/v1/nodes/" + ReadSideData.ALPHA + "/tags/" + q("bad key!"), "key");
    cases.put("/api/v1/nodes/nope/tags", "public_key");
    cases.put("/api/v1/dashboard/activity?days=0", "days");
    cases.put("/api/v1/dashboard/activity?days=91", "days");
    cases.put("/api/v1/dashboard/activity?bucket=week", "bucket");
    cases.put("/api/v1/dashboard/activity?days=60&bucket=hour", "bucket");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = get(c.getKey(), READ_KEY);
      assertEquals(400, r.statusCode(), c.getKey() + " answered " + r.body());
      JsonNode body = Json.MAPPER.readTree(r.body());
      assertEquals("bad_request", body.get("error").asText());
      assertTrue(body.get("detail").asText().startsWith(c.getValue() + ":"), c.getKey() + ": " + body);
    }
  }

  @Test
  void readsNeedAKeyWhenAReadKeyIsSet() throws Exception {
    for (String path : List.of("/api/v1/nodes", "/api/v1/nodes/" + ReadSideData.ALPHA, "/api/v1/advertisements",
        "/api/v1/messages", "/api/v1/dashboard/stats", "/api/v1/trace-paths", "/api/v1/telemetry",
        "/api/v1/observers", "/api/v1/observers/" + ReadSideData.O1, "/api/v1/packets", "/api/v1/channels",
        "/api/v1/nodes/prefix/ab", "/api/v1/nodes/" + ReadSideData.ALPHA + "/tags", "/api/v1/dashboard/activity",
        "/api/v1/dashboard/map")) {
      assertEquals(401, get(path, null).statusCode(), path);
      assertEquals(401, get(path, "wrong").statusCode(), path);
      assertEquals(200, get(path, READ_KEY).statusCode(), path);
      assertEquals(200, get(path, ADMIN_KEY).statusCode(), path);
    }
    assertEquals(200, get("/api/openapi.json", null).statusCode());
    assertEquals(401, get("/api/v1/stream", null).statusCode(), "the live stream too");
    assertEquals(401, get("/api/v1/stream", "wrong").statusCode());
    assertEquals(200, get("/", null).statusCode(), "the pages hold no data: they ask for the key themselves");
  }

  @Test
  void metricsShowRequestsByRouteTemplateAndProjectionLag() throws Exception {
    json("/api/v1/nodes/" + ReadSideData.BRAVO);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String metrics = "";
    while (System.nanoTime() < deadline) {
      metrics = get("/metrics", null).body();
      if (metrics.contains("meshhub_projection_lag_events{")) {
        break;
      }
      Thread.sleep(200);
    }
    assertTrue(metrics.contains("meshhub_http_requests_seconds_count{method=\"GET\","
        + "route=\"/api/v1/nodes/{public_key}\",status=\"200\"}"), metrics);
    assertFalse(metrics.contains(ReadSideData.BRAVO), "raw paths never become labels");
    assertTrue(metrics.contains("meshhub_projection_lag_events{projection=\"nodes\",slice=\"node-0\"}"), metrics);
    assertTrue(metrics.contains("meshhub_projection_lag_seconds{projection=\"messages\",slice=\"message-3\"}"),
        metrics);
    assertTrue(metrics.contains("meshhub_journal_events "), metrics);
  }

  @Test
  void listsCarryTheirShapeAndSayWhenTheTotalIsExact() throws Exception {
    for (String path : List.of("/api/v1/nodes", "/api/v1/nodes?search=a", "/api/v1/advertisements",
        "/api/v1/messages?search=hello", "/api/v1/trace-paths", "/api/v1/telemetry", "/api/v1/observers",
        "/api/v1/packets", "/api/v1/channels", "/api/v1/nodes/prefix/a", "/api/v1/nodes/" + ReadSideData.ALPHA
            + "/tags")) {
      JsonNode page = json(path);
      assertTrue(page.get("items").isArray(), path);
      assertTrue(page.get("total").isIntegralNumber(), path);
      assertEquals(50, page.get("limit").asInt(), path);
      assertEquals(0, page.get("offset").asInt(), path);
      assertFalse(page.get("total_capped").asBoolean(), path + ": a few rows are counted exactly");
    }
  }

  @Test
  void tracePathsComeWithTheirRouteAndEveryObserver() throws Exception {
    JsonNode page = json("/api/v1/trace-paths");
    assertEquals(1, page.get("total").asInt());
    JsonNode trace = page.get("items").get(0);
    assertEquals(ReadSideData.TRACE_HASH, trace.get("packet_hash").asText());
    assertEquals(123_456, trace.get("trace_tag").asLong());
    assertEquals(List.of("a1", "b2", "c3"), texts(trace.get("path_hashes")));
    assertEquals(5.25, trace.get("snr_values").get(0).asDouble());
    assertEquals(3, trace.get("hop_count").asInt());
    assertEquals(2, trace.get("reception_count").asInt());
    assertEquals(ReadSideData.O1, trace.get("received_by").asText());
    assertEquals("Observer 1", trace.get("observers").get(0).get("observer_name").asText());
    assertEquals(1, json("/api/v1/trace-paths?observed_by=" + ReadSideData.O2).get("total").asInt());
    assertEquals(0, json("/api/v1/trace-paths?observed_by=" + ReadSideData.O3).get("total").asInt());
    assertEquals(0, json("/api/v1/trace-paths?until=" + q(data.now().minus(Duration.ofHours(1)).toString()))
        .get("total").asInt());
  }

  @Test
  void telemetryFiltersByNodeObserverAndTime() throws Exception {
    JsonNode all = json("/api/v1/telemetry");
    assertEquals(1, all.get("total").asInt());
    JsonNode reading = all.get("items").get(0);
    assertEquals(ReadSideData.ECHO, reading.get("public_key").asText());
    assertEquals("Echo Sensor", reading.get("node_name").asText());
    assertEquals(21.5, reading.get("data").get("temperature").asDouble());
    assertIsoUtc(reading.get("received_at").asText());
    assertEquals(1, json("/api/v1/telemetry?public_key=" + ReadSideData.ECHO.toUpperCase()).get("total").asInt());
    assertEquals(0, json("/api/v1/telemetry?public_key=" + ReadSideData.ALPHA).get("total").asInt());
    assertEquals(1, json("/api/v1/telemetry?observed_by=" + ReadSideData.O2).get("total").asInt());
    assertEquals(0, json("/api/v1/telemetry?since=" + q(data.now().minus(Duration.ofDays(1)).toString()))
        .get("total").asInt());
  }

  @Test
  void observersShowTheirStatusHistoryAndReceptionsPerHour() throws Exception {
    JsonNode page = json("/api/v1/observers");
    assertEquals(3, page.get("total").asInt());
    assertEquals(Set.of(ReadSideData.O1, ReadSideData.O2, ReadSideData.O3), field(page, "public_key"));
    JsonNode o1 = json("/api/v1/observers/" + ReadSideData.O1);
    assertEquals("Observer 1", o1.get("name").asText());
    assertEquals("online", o1.get("status").asText());
    assertEquals("Heltec V3", o1.get("model").asText());
    assertEquals(2, o1.get("status_history").size(), "the earlier offline report is kept");
    assertEquals("online", o1.get("status_history").get(0).get("status").asText(), "newest first");
    assertEquals("offline", o1.get("status_history").get(1).get("status").asText());
    assertEquals(100, o1.get("status_history").get(0).get("stats").get("uptime").asInt());
    assertEquals(24, o1.get("receptions_per_hour").size());
    long sum = 0;
    for (JsonNode h : o1.get("receptions_per_hour")) {
      assertIsoUtc(h.get("hour").asText());
      sum += h.get("receptions").asLong();
    }
    assertEquals(sum, o1.get("receptions_24h").asLong());
    // Within 24 h O1 heard 2 observers' adverts, Alpha twice, Bravo; 6 Public messages, the trace and the ack.
    assertEquals(5 + 6 + 1 + 1, o1.get("receptions_24h").asLong());
    assertIsoUtc(o1.get("last_heard").asText());
    HttpResponse<String> notObserver = get("/api/v1/observers/" + ReadSideData.ALPHA, READ_KEY);
    assertEquals(404, notObserver.statusCode());
    assertEquals("not_found", Json.MAPPER.readTree(notObserver.body()).get("error").asText());
  }

  @Test
  void observersSortByNameAndAreOnlineAsTheDashboardFiguresCountThem() throws Exception {
    JsonNode byName = json("/api/v1/observers?sort=name");
    assertEquals(3, byName.get("total").asInt());
    List<String> names = new ArrayList<>();
    byName.get("items").forEach(o -> names.add(o.get("name").asText()));
    assertEquals(List.of("Observer 1", "Observer 2", "Observer 3"), names);
    JsonNode o2 = byName.get("items").get(1);
    assertEquals(ReadSideData.O2, o2.get("public_key").asText());
    assertTrue(o2.get("online").asBoolean());
    assertEquals("online", o2.get("status").asText());
    // O2 in the last hour: 3 public, 1 #test, 1 trace reception; adverts of O1, Alpha.
    assertEquals(7, o2.get("receptions_last_hour").asInt());
    int online = 0;
    for (JsonNode o : byName.get("items")) {
      online += o.get("online").asBoolean() ? 1 : 0;
    }
    JsonNode stats = json("/api/v1/dashboard/stats");
    assertEquals(stats.get("observers_online").asInt(), online, "one definition of online");
    assertEquals(stats.get("observers_total").asInt(), byName.get("total").asInt());
  }

  @Test
  void packetsListEveryReceptionOfEveryKindNewestFirst() throws Exception {
    JsonNode all = json("/api/v1/packets?limit=500");
    assertEquals(ReadSideData.ADVERT_RECEPTIONS + ReadSideData.PACKET_RECEPTIONS, all.get("total").asInt());
    assertEquals(all.get("total").asInt(), all.get("items").size());
    Instant previous = Instant.MAX;
    for (JsonNode r : all.get("items")) {
      Instant at = Instant.parse(r.get("received_at").asText());
      assertFalse(at.isAfter(previous), "newest first");
      previous = at;
    }
    Set<String> pages = new HashSet<>();
    for (int offset = 0; offset < all.get("total").asInt(); offset += 7) {
      json("/api/v1/packets?limit=7&offset=" + offset).get("items").forEach(r -> pages.add(r.toString()));
    }
    assertEquals(all.get("total").asInt(), pages.size(), "pages neither skip nor repeat a reception");
    JsonNode hello = json("/api/v1/packets?packet_hash=" + ReadSideData.HELLO_HASH.toLowerCase());
    assertEquals(3, hello.get("total").asInt(), "heard by three observers, the redelivery not counted");
    assertEquals("message", hello.get("items").get(0).get("kind").asText());
    assertTrue(hello.get("items").get(0).get("snr").isNumber());
    assertEquals(4, json("/api/v1/packets?public_key=" + ReadSideData.ALPHA).get("total").asInt());
    assertEquals("advert", json("/api/v1/packets?public_key=" + ReadSideData.ALPHA).get("items").get(0)
        .get("kind").asText());
    assertEquals(ReadSideData.ADVERT_RECEPTIONS, json("/api/v1/packets?kind=advert").get("total").asInt());
    assertEquals(2, json("/api/v1/packets?kind=trace").get("total").asInt());
    assertEquals(1, json("/api/v1/packets?kind=packet").get("total").asInt());
    JsonNode byO3 = json("/api/v1/packets?observed_by=" + ReadSideData.O3);
    assertEquals(Set.of(ReadSideData.O3), field(byO3, "observer"));
    assertEquals("Observer 3", byO3.get("items").get(0).get("observer_name").asText());
  }

  @Test
  void nodesByPrefixAreThoseWhoseKeyStartsWithIt() throws Exception {
    String prefix = ReadSideData.BRAVO.substring(0, 6);
    JsonNode page = json("/api/v1/nodes/prefix/" + prefix.toUpperCase());
    assertEquals(Set.of(ReadSideData.BRAVO), field(page, "public_key"));
    String first = ReadSideData.BRAVO.substring(0, 1);
    assertEquals(ReadSideData.NODES.stream().filter(k -> k.startsWith(first)).count(),
        json("/api/v1/nodes/prefix/" + first + "?limit=1").get("total").asLong());
  }

  @Test
  void channelsCountTheirMessages() throws Exception {
    JsonNode page = json("/api/v1/channels");
    assertEquals(2, page.get("total").asInt());
    JsonNode busiest = page.get("items").get(0);
    assertEquals(ReadSideData.PUBLIC, busiest.get("channel_idx").asInt());
    assertEquals("Public", busiest.get("channel_name").asText());
    assertEquals(ReadSideData.PUBLIC_MESSAGES, busiest.get("message_count").asInt());
    assertIsoUtc(busiest.get("last_message_at").asText());
    assertEquals(ReadSideData.TEST_MESSAGES, page.get("items").get(1).get("message_count").asInt());
  }

  @Test
  void tagsAreReadFromTheNodeAndWrittenWithTheAdminKeyAsEvents() throws Exception {
    String tags = "/api/v1/nodes/" + ReadSideData.CHARLIE + "/tags";
    assertEquals(0, json(tags).get("total").asInt());
    assertEquals(401, send("PUT", tags + "/room", READ_KEY, "{\"value\":\"kitchen\"}").statusCode(),
        "the read key cannot write");
    HttpResponse<String> bad = send("PUT", tags + "/room", ADMIN_KEY, "{\"value\": 7}");
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(Json.MAPPER.readTree(bad.body()).get("detail").asText().startsWith("value:"), bad.body());
    assertEquals(400, send("PUT", tags + "/room", ADMIN_KEY, "not json").statusCode());
    assertEquals(400, send("PUT", tags + "/room", ADMIN_KEY, "{\"value\":\"" + "x".repeat(1025) + "\"}")
        .statusCode());
    HttpResponse<String> set = send("PUT", tags + "/room", ADMIN_KEY, "{\"value\":\"kitchen\"}");
    assertEquals(200, set.statusCode(), set.body());
    assertTrue(Json.MAPPER.readTree(set.body()).get("changed").asBoolean());
    HttpResponse<String> again = send("PUT", tags + "/room", ADMIN_KEY, "{\"value\":\"kitchen\"}");
    assertFalse(Json.MAPPER.readTree(again.body()).get("changed").asBoolean(), "the same value changes nothing");
    ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(60));
    JsonNode tag = json(tags + "/room");
    assertEquals("kitchen", tag.get("value").asText());
    assertIsoUtc(tag.get("updated_at").asText());
    assertEquals(1, json("/api/v1/nodes/" + ReadSideData.CHARLIE).get("tags").size());
    assertEquals(204, send("DELETE", tags + "/room", ADMIN_KEY, null).statusCode());
    assertEquals(404, send("DELETE", tags + "/room", ADMIN_KEY, null).statusCode(), "already gone");
    ReadSideTesting.awaitCaughtUp(server.database(), Duration.ofSeconds(60));
    assertEquals(404, get(tags + "/room", READ_KEY).statusCode());
    assertEquals(0, json(tags).get("total").asInt());
    String unknown = "/api/v1/nodes/" + "cd".repeat(32) + "/tags";
    assertEquals(404, get(unknown, READ_KEY).statusCode());
    assertEquals(404, send("PUT", unknown + "/x", ADMIN_KEY, "{\"value\":\"y\"}").statusCode(),
        "no tag is put on a node never heard");
  }

  @Test
  void rejectedMessagesArePagedForTheAdminOnly() throws Exception {
    HttpResponse<String> ingest = send("POST", "/api/v1/ingest", ADMIN_KEY,
        "{\"topic\":\"meshcore/XYZ/" + ReadSideData.O1 + "/packets\",\"payload\":\"{not json\"}");
    assertEquals(200, ingest.statusCode(), ingest.body());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode page = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v1/admin/rejected?reason=invalid_json", ADMIN_KEY);
      assertEquals(200, r.statusCode(), r.body());
      page = Json.MAPPER.readTree(r.body());
      if (page.get("total").asInt() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(1, page.get("total").asInt(), page.toString());
    JsonNode row = page.get("items").get(0);
    assertEquals("invalid_json", row.get("reason").asText());
    assertEquals("{not json", row.get("payload").asText());
    assertTrue(row.get("topic").asText().endsWith("/packets"));
    assertIsoUtc(row.get("received_at").asText());
    assertEquals(401, get("/api/v1/admin/rejected", READ_KEY).statusCode(), "the read key is not enough");
    HttpResponse<String> badReason = get("/api/v1/admin/rejected?reason=boredom", ADMIN_KEY);
    assertEquals(400, badReason.statusCode());
    assertTrue(Json.MAPPER.readTree(badReason.body()).get("detail").asText().startsWith("reason:"));
  }

  HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static void assertIsoUtc(String value) {
    assertTrue(value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"), value);
  }
}
