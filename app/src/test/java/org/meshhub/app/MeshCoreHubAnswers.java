package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshhub.migration.testing.MeshCoreHubFixture.ALPHA;
import static org.meshhub.migration.testing.MeshCoreHubFixture.BRAVO;
import static org.meshhub.migration.testing.MeshCoreHubFixture.CHARLIE;
import static org.meshhub.migration.testing.MeshCoreHubFixture.DELTA;
import static org.meshhub.migration.testing.MeshCoreHubFixture.ECHO;
import static org.meshhub.migration.testing.MeshCoreHubFixture.GONE;
import static org.meshhub.migration.testing.MeshCoreHubFixture.OBS1;
import static org.meshhub.migration.testing.MeshCoreHubFixture.OBS2;
import static org.meshhub.migration.testing.MeshCoreHubFixture.OBS3;
import static org.meshhub.migration.testing.MeshCoreHubFixture.T;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshhub.app.http.Json;
import org.meshhub.core.ingest.DerivedHash;
import org.meshhub.migration.testing.MeshCoreHubFixture;

/**
 * What MeshHub's API answers, over a real socket, for the history of {@link MeshCoreHubFixture}'s mesh once it is
 * imported: every node, advert, message, trace and reading, field by field, with who heard each and how well.
 */
final class MeshCoreHubAnswers {
  private MeshCoreHubAnswers() {}

  /** One observer hearing something: who, when, SNR (null when unknown), path length. */
  record Heard(String observer, Instant at, Double snr, int pathLen) {}

  static void check(int port) throws Exception {
    nodes(port);
    adverts(port);
    messages(port);
    traces(port);
    telemetry(port);
    observers(port);
  }

  private static JsonNode json(int port, String path) throws Exception {
    HttpResponse<String> r = ChildProcess.get(port, path);
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private static Map<String, JsonNode> byKey(JsonNode items, String field) {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode item : items) {
      out.put(item.get(field).asText(), item);
    }
    return out;
  }

  private static Instant at(long secondsAfterT) {
    return T.plusSeconds(secondsAfterT);
  }

  private static void time(JsonNode node, String field, Instant expected, String what) {
    if (expected == null) {
      assertTrue(node.get(field).isNull(), what + " " + field + " is null: " + node);
    } else {
      assertEquals(expected, Instant.parse(node.get(field).asText()), what + " " + field);
    }
  }

  private static void text(JsonNode node, String field, String expected, String what) {
    if (expected == null) {
      assertTrue(node.get(field).isNull(), what + " " + field + " is null: " + node);
    } else {
      assertEquals(expected, node.get(field).asText(), what + " " + field);
    }
  }

  private static void heard(JsonNode observers, List<Heard> expected, String what) {
    List<Heard> actual = new ArrayList<>();
    for (JsonNode o : observers) {
      actual.add(new Heard(o.get("observer").asText(), Instant.parse(o.get("received_at").asText()),
          o.get("snr").isNull() ? null : o.get("snr").asDouble(), o.get("path_len").asInt()));
    }
    actual.sort(java.util.Comparator.comparing(Heard::at));
    assertEquals(expected, actual, what + ": who heard it");
  }

  private static void nodes(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/nodes?limit=100");
    Map<String, JsonNode> nodes = byKey(page.get("items"), "public_key");
    assertEquals(java.util.Set.of(OBS1, OBS2, OBS3, ALPHA, BRAVO, DELTA, ECHO), nodes.keySet(),
        "every node with something MeshHub records, and no other (not Charlie, with nothing left; not Gone,"
            + " deleted; not the row without a valid key)");
    assertFalse(nodes.containsKey(CHARLIE));
    assertFalse(nodes.containsKey(GONE));

    node(nodes.get(OBS1), "Observer One", null, null, null, null, true, at(-86_400), at(7_300), 0, 0);
    node(nodes.get(OBS2), "Observer Two", null, null, null, null, true, at(-3_600), at(7_250), 0, 0);
    node(nodes.get(OBS3), null, null, null, null, null, true, at(-600), at(7_000), 0, 0);
    node(nodes.get(ALPHA), "Alpha Repeater", "repeater", 146, MeshCoreHubFixture.ALPHA_LAT, at(7_190), false, at(0),
        at(7_200), 3, 6);
    assertEquals(MeshCoreHubFixture.ALPHA_LON, nodes.get(ALPHA).get("lon").asDouble(), "Alpha's longitude");
    node(nodes.get(BRAVO), "Bravo", "chat", 129, null, at(600), false, T.plusMillis(600_500), T.plusMillis(600_500),
        1, 1);
    node(nodes.get(DELTA), null, null, null, null, null, false, at(900), at(901), 0, 0);
    node(nodes.get(ECHO), null, null, null, null, null, false, null, null, 0, 0);

    tags(nodes.get(ALPHA), Map.of("role", "infra@" + at(10), "elevation", "120@" + at(20)));
    tags(nodes.get(BRAVO), Map.of("owner", "@" + at(40)));
    tags(nodes.get(ECHO), Map.of("site", "hill@" + at(60)));
    tags(nodes.get(OBS1), Map.of());

    JsonNode alpha = json(port, "/api/v1/nodes/" + ALPHA);
    assertEquals(3, alpha.get("recent_adverts").size());
    Map<String, JsonNode> heardBy = byKey(alpha.get("heard_by"), "observer");
    assertEquals(java.util.Set.of(OBS1, OBS2, OBS3), heardBy.keySet());
    assertEquals(3, heardBy.get(OBS1).get("reception_count").asInt(), "Observer One heard 3 of Alpha's adverts");
    assertEquals("Observer One", heardBy.get(OBS1).get("observer_name").asText());
    assertEquals(404, ChildProcess.get(port, "/api/v1/nodes/" + CHARLIE).statusCode(), "Charlie is not a node");
  }

  private static void node(JsonNode n, String name, String advType, Integer flags, Double lat, Instant lastAdvert,
      boolean observer, Instant firstSeen, Instant lastSeen, int adverts, int receptions) {
    String what = "node " + n.get("public_key").asText().substring(0, 8) + " (" + name + ")";
    text(n, "name", name, what);
    text(n, "adv_type", advType, what);
    if (flags == null) {
      assertTrue(n.get("flags").isNull(), what + " flags");
    } else {
      assertEquals(flags.intValue(), n.get("flags").asInt(), what + " flags");
    }
    if (lat == null) {
      assertTrue(n.get("lat").isNull() && n.get("lon").isNull(), what + " has no location: " + n);
    } else {
      assertEquals(lat, n.get("lat").asDouble(), what + " lat");
    }
    time(n, "last_advert_at", lastAdvert, what);
    assertEquals(observer, n.get("is_observer").asBoolean(), what + " is_observer");
    time(n, "first_seen", firstSeen, what);
    time(n, "last_seen", lastSeen, what);
    assertEquals(adverts, n.get("advert_count").asInt(), what + " advert_count");
    assertEquals(receptions, n.get("reception_count").asInt(), what + " reception_count");
  }

  /** Tags as key -> "value@updated_at". */
  private static void tags(JsonNode node, Map<String, String> expected) {
    Map<String, String> actual = new HashMap<>();
    for (JsonNode t : node.get("tags")) {
      actual.put(t.get("key").asText(), t.get("value").asText() + "@" + Instant.parse(t.get("updated_at").asText()));
    }
    assertEquals(expected, actual, "tags of " + node.get("public_key").asText().substring(0, 8));
  }

  private static void adverts(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/advertisements?limit=100");
    assertEquals(4, page.get("total").asInt(), "adverts: a1, a2 (with its second row a2b), a3 and a5: " + page);
    Map<String, JsonNode> adverts = new HashMap<>();
    for (JsonNode a : page.get("items")) {
      adverts.put(a.get("public_key").asText() + "@" + a.get("advert_timestamp").asText(), a);
    }
    advert(adverts.get(ALPHA + "@" + at(-60)), "Alpha Repeater", "repeater", 146, false,
        MeshCoreHubFixture.A1_HASH, at(0), OBS1,
        List.of(new Heard(OBS1, at(0), 6.5, 1), new Heard(OBS2, at(2), -3.25, 3)));
    advert(adverts.get(ALPHA + "@" + at(3_570)), "Alpha Repeater", "repeater", 146, false, null, at(3_600), OBS1,
        List.of(new Heard(OBS1, at(3_600), 5.0, 1), new Heard(OBS3, at(3_601), 2.0, 2),
            new Heard(OBS2, at(3_800), 1.5, 4)));
    advert(adverts.get(ALPHA + "@" + at(7_190)), "Alpha Repeater", "repeater", 146, true, null, at(7_200), OBS1,
        List.of(new Heard(OBS1, at(7_200), 7.25, 0)));
    advert(adverts.get(BRAVO + "@" + at(600)), "Bravo", "chat", 129, false, null, T.plusMillis(600_500), OBS2,
        List.of(new Heard(OBS2, T.plusMillis(600_500), 3.0, 2)));
  }

  private static void advert(JsonNode a, String name, String advType, int flags, boolean located, String packetHash,
      Instant receivedAt, String receivedBy, List<Heard> observers) {
    assertTrue(a != null, "advert present");
    String what = "advert of " + name + " at " + a.get("advert_timestamp").asText();
    text(a, "name", name, what);
    text(a, "adv_type", advType, what);
    assertEquals(flags, a.get("flags").asInt(), what + " flags");
    assertEquals(located, !a.get("lat").isNull(), what + " carries its node's location: " + a);
    assertTrue(a.get("signature_valid").asBoolean(), what + " is taken as validly signed");
    text(a, "packet_hash", packetHash, what);
    time(a, "received_at", receivedAt, what);
    assertEquals(receivedBy, a.get("received_by").asText(), what + " first heard by");
    heard(a.get("observers"), observers, what);
  }

  private static void messages(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/messages?limit=100");
    Map<String, JsonNode> messages = byKey(page.get("items"), "packet_hash");
    String m2 = DerivedHash.of("channel", Long.toString(at(200).getEpochSecond()), "Bob: hi there");
    assertEquals(java.util.Set.of(MeshCoreHubFixture.M1_HASH, m2, MeshCoreHubFixture.M3_HASH,
        MeshCoreHubFixture.M5_HASH, MeshCoreHubFixture.M8_HASH, MeshCoreHubFixture.M9_HASH), messages.keySet(),
        "every message heard by a known observer, the two rows of one packet as one: " + page);
    message(messages.get(MeshCoreHubFixture.M1_HASH), "channel", 17, "Public", "Alice", "hello mesh", 0, null,
        at(100), List.of(new Heard(OBS1, at(101), 9.25, 2), new Heard(OBS2, T.plusMillis(101_500), 4.0, 0),
            new Heard(OBS3, at(102), null, 0)));
    message(messages.get(m2), "channel", 17, "Public", "Bob", "hi there", 0, null, at(200),
        List.of(new Heard(OBS2, at(201), 3.5, 1), new Heard(OBS3, at(202), 2.5, 3)));
    message(messages.get(MeshCoreHubFixture.M3_HASH), "contact", null, null, null, "ping", null, "a1b2c3d4e5f6",
        at(300), List.of(new Heard(OBS1, at(301), 8.0, 0)));
    message(messages.get(MeshCoreHubFixture.M5_HASH), "channel", 17, "Public", "Carol", "same packet", 0, null,
        at(500), List.of(new Heard(OBS1, at(501), 6.0, 1), new Heard(OBS2, at(502), 5.0, 2),
            new Heard(OBS3, at(504), 3.0, 3)));
    message(messages.get(MeshCoreHubFixture.M8_HASH), "channel", 17, "Public", "Erin", "from the row", 0, null,
        at(800), List.of(new Heard(OBS3, at(801), 7.5, 4)));
    message(messages.get(MeshCoreHubFixture.M9_HASH), "channel", 202, "#bot", "Frank", "bot channel", 0, null,
        at(850), List.of(new Heard(OBS1, at(851), 2.0, 0)));
    JsonNode search = json(port, "/api/v1/messages?search=mesh");
    assertEquals(1, search.get("total").asInt(), "full-text search finds the imported text: " + search);
  }

  private static void message(JsonNode m, String type, Integer channel, String channelName, String sender,
      String text, Integer txtType, String prefix, Instant senderTimestamp, List<Heard> observers) {
    String what = "message " + m.get("packet_hash").asText();
    text(m, "message_type", type, what);
    if (channel == null) {
      assertTrue(m.get("channel_idx").isNull(), what + " channel_idx");
    } else {
      assertEquals(channel.intValue(), m.get("channel_idx").asInt(), what + " channel_idx");
    }
    text(m, "channel_name", channelName, what);
    text(m, "sender_name", sender, what);
    text(m, "text", text, what);
    if (txtType == null) {
      assertTrue(m.get("txt_type").isNull(), what + " txt_type");
    } else {
      assertEquals(txtType.intValue(), m.get("txt_type").asInt(), what + " txt_type");
    }
    text(m, "pubkey_prefix", prefix, what);
    time(m, "sender_timestamp", senderTimestamp, what);
    assertTrue(m.get("decrypted").asBoolean(), what + " decrypted");
    Heard first = observers.get(0);
    time(m, "received_at", first.at(), what);
    assertEquals(first.observer(), m.get("received_by").asText(), what + " first heard by");
    assertEquals(first.pathLen(), m.get("path_len").asInt(), what + " path_len of the first reception");
    assertEquals(observers.size(), m.get("reception_count").asInt(), what + " reception_count");
    heard(m.get("observers"), observers, what);
  }

  private static void traces(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/trace-paths?limit=100");
    assertEquals(1, page.get("total").asInt(), "one trace (the other's tag is out of range): " + page);
    JsonNode t = page.get("items").get(0);
    assertEquals(DerivedHash.of("trace", Long.toString(MeshCoreHubFixture.TRACE_TAG), "2"),
        t.get("packet_hash").asText());
    assertEquals(MeshCoreHubFixture.TRACE_TAG, t.get("trace_tag").asLong());
    assertEquals(12_345, t.get("auth_code").asLong());
    assertEquals(List.of("aa", "bb", "cc"), List.of(t.get("path_hashes").get(0).asText(),
        t.get("path_hashes").get(1).asText(), t.get("path_hashes").get(2).asText()));
    assertEquals(2, t.get("snr_values").size());
    assertEquals(5.25, t.get("snr_values").get(0).asDouble());
    assertEquals(-3.5, t.get("snr_values").get(1).asDouble());
    time(t, "received_at", at(1_000), "trace");
    heard(t.get("observers"), List.of(new Heard(OBS1, at(1_000), null, 2), new Heard(OBS2, at(1_001), null, 2)),
        "trace");
  }

  private static void telemetry(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/telemetry?limit=100");
    assertEquals(2, page.get("total").asInt(), "one reading per observer of the one telemetry row with data: " + page);
    Map<String, JsonNode> byObserver = byKey(page.get("items"), "observer");
    for (Map.Entry<String, Instant> e : Map.of(OBS1, at(900), OBS2, at(901)).entrySet()) {
      JsonNode r = byObserver.get(e.getKey());
      assertEquals(DELTA, r.get("public_key").asText());
      time(r, "received_at", e.getValue(), "telemetry");
      assertEquals(21.5, r.get("data").get("temperature").asDouble());
      assertEquals(40, r.get("data").get("humidity").asInt());
    }
  }

  private static void observers(int port) throws Exception {
    JsonNode page = json(port, "/api/v1/observers?limit=100");
    Map<String, JsonNode> observers = byKey(page.get("items"), "public_key");
    assertEquals(java.util.Set.of(OBS1, OBS2, OBS3), observers.keySet(), "the observers: " + page);
    time(observers.get(OBS1), "status_reported_at", at(7_300), "Observer One");
    time(observers.get(OBS1), "first_seen", at(-86_400), "Observer One");
    JsonNode detail = json(port, "/api/v1/observers/" + OBS2);
    assertEquals("Observer Two", detail.get("name").asText());
  }
}
