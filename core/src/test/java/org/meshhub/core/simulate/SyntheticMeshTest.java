package org.meshhub.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.decoder.Advert;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.GroupText;
import org.meshhub.core.decoder.Hex;
import org.meshhub.core.decoder.Packet;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.decoder.RouteType;
import org.meshhub.core.decoder.Trace;

class SyntheticMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private static final SyntheticMesh.Settings SETTINGS = SyntheticMesh.Settings.of(42, 30, 3, 20, START)
      .withPrefix("sim/test");
  private static final PacketDecoder DECODER =
      new PacketDecoder(ChannelKeys.defaults().with(SyntheticMesh.HASHTAG_CHANNEL));
  private static final List<String> PACKET_FIELDS = List.of("origin", "origin_id", "timestamp", "type", "direction",
      "time", "date", "len", "packet_type", "route", "payload_len", "raw", "SNR", "RSSI", "score", "hash");

  /** The first 3,000 receptions (150 s) of the test mesh, with the statuses in between. */
  private static List<Publication> sample;
  private static SyntheticMesh mesh;

  @BeforeAll
  static void generate() {
    mesh = new SyntheticMesh(SETTINGS);
    sample = take(mesh, 3_000);
  }

  private static List<Publication> take(Iterator<Publication> source, int receptions) {
    List<Publication> out = new ArrayList<>();
    int seen = 0;
    while (seen < receptions) {
      Publication p = source.next();
      out.add(p);
      if (p.isReception()) {
        seen++;
      }
    }
    return out;
  }

  private static JsonNode json(Publication p) throws Exception {
    return JSON.readTree(p.payload());
  }

  private static Packet decode(String rawHex) {
    DecodeResult result = DECODER.decodeHex(rawHex);
    return assertInstanceOf(DecodeResult.Decoded.class, result, () -> rawHex + " -> " + result).packet();
  }

  @Test
  void everyReceptionIsALetsMeshPacketDocumentWhoseRawDecodesToItsOwnTypeLengthsAndHash() throws Exception {
    Map<String, Observer> observersByKey = mesh.observers().stream()
        .collect(Collectors.toMap(Observer::publicKey, o -> o));
    for (Publication p : sample) {
      if (!p.isReception()) {
        continue;
      }
      String[] topic = p.topic().split("/");
      assertEquals(5, topic.length, p.topic());
      assertEquals("sim", topic[0]);
      assertEquals("test", topic[1]);
      Observer observer = observersByKey.get(topic[3]);
      assertNotNull(observer, "topic names a known observer by its lower-case key: " + p.topic());
      assertEquals(observer.iata(), topic[2]);

      JsonNode doc = json(p);
      List<String> fields = new ArrayList<>();
      doc.fieldNames().forEachRemaining(fields::add);
      assertEquals(PACKET_FIELDS, fields);
      doc.properties().forEach(f -> assertTrue(f.getValue().isTextual(), f.getKey() + " is a string"));
      assertEquals(observer.name(), doc.get("origin").asText());
      assertEquals(observer.publicKey().toUpperCase(Locale.ROOT), doc.get("origin_id").asText());
      assertEquals("PACKET", doc.get("type").asText());
      assertEquals("rx", doc.get("direction").asText());
      assertEquals(p.at(), OffsetDateTime.parse(doc.get("timestamp").asText()).toInstant());
      assertTrue(doc.get("timestamp").asText().endsWith("+00:00"));

      String raw = doc.get("raw").asText();
      assertEquals(raw.toUpperCase(Locale.ROOT), raw, "raw is upper-case hex");
      Packet packet = decode(raw);
      assertEquals(Integer.toString(Hex.decode(raw).length), doc.get("len").asText());
      assertEquals(Integer.toString(packet.payloadType().value()), doc.get("packet_type").asText());
      assertEquals(packet.routeType().isFlood() ? "F" : "D", doc.get("route").asText());
      assertEquals(Integer.toString(packet.payloadLength()), doc.get("payload_len").asText());
      assertEquals(packet.hash(), doc.get("hash").asText());
      double snr = Double.parseDouble(doc.get("SNR").asText());
      assertEquals(0, snr * 4 % 1, 1e-9, "SNR in quarter dB");
      int rssi = Integer.parseInt(doc.get("RSSI").asText());
      assertTrue(rssi <= -40 && rssi >= -125, "RSSI " + rssi);
      Integer.parseInt(doc.get("score").asText());
    }
  }

  @Test
  void advertsAreSignedByMembersOfTheMeshAndCarryTheirNamesTypesAndLocations() throws Exception {
    Map<String, MeshNode> members = new HashMap<>();
    mesh.nodes().forEach(n -> members.put(n.publicKey(), n));
    mesh.observers().forEach(o -> members.put(o.publicKey(), o.node()));
    int adverts = 0;
    Map<String, Integer> perNode = new HashMap<>();
    for (Publication p : sample) {
      if (!p.isReception()) {
        continue;
      }
      Packet packet = decode(json(p).get("raw").asText());
      if (packet.payload() instanceof Advert advert) {
        adverts++;
        perNode.merge(advert.publicKey() + "@" + advert.timestamp(), 1, (a, b) -> a);
        assertTrue(advert.signatureValid(), "signature verifies");
        MeshNode node = members.get(advert.publicKey());
        assertNotNull(node, "advert from a member of the mesh");
        assertEquals(node.name(), advert.name());
        assertEquals(node.nodeType(), advert.nodeType());
        assertEquals(node.lat(), advert.lat());
        assertEquals(node.lon(), advert.lon());
        assertNotEquals(advert.publicKey(), p.topic().split("/")[3], "an observer never hears its own advert");
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(node.pathHashSize(), packet.pathHashSize());
      }
    }
    assertTrue(adverts > 100, "adverts: " + adverts);
    long distinct = perNode.size();
    assertTrue(distinct > 2 * members.size(), "each member adverts again as time goes on: " + distinct);
  }

  @Test
  void channelMessagesDecryptWithThePublicKeyOrTheHashtagKeyAndNameTheirSender() throws Exception {
    Set<String> talkers = mesh.nodes().stream().map(MeshNode::name).collect(Collectors.toSet());
    Map<String, Integer> byChannel = new HashMap<>();
    int scoped = 0;
    for (Publication p : sample) {
      if (!p.isReception()) {
        continue;
      }
      Packet packet = decode(json(p).get("raw").asText());
      if (packet.payload() instanceof GroupText text) {
        assertTrue(text.decrypted(), "decrypts: " + p);
        byChannel.merge(text.channelName(), 1, Integer::sum);
        assertTrue(talkers.contains(text.sender()), "sender is a node: " + text.text());
        assertFalse(text.message().isBlank());
        if (packet.routeType() == RouteType.TRANSPORT_FLOOD) {
          scoped++;
          assertEquals(SyntheticMesh.HASHTAG_CHANNEL.name(), text.channelName());
        }
      }
    }
    assertTrue(byChannel.getOrDefault(ChannelKey.PUBLIC.name(), 0) > 500, byChannel.toString());
    assertTrue(byChannel.getOrDefault(SyntheticMesh.HASHTAG_CHANNEL.name(), 0) > 100, byChannel.toString());
    assertTrue(scoped > 0, "some hashtag messages are scoped to a region");

    // Without the hashtag key, its messages stay undecrypted while Public ones still open.
    PacketDecoder publicOnly = new PacketDecoder(ChannelKeys.defaults());
    boolean sawClosed = false;
    for (Publication p : sample) {
      if (p.isReception()) {
        DecodeResult r = publicOnly.decodeHex(json(p).get("raw").asText());
        if (r instanceof DecodeResult.Decoded d && d.packet().payload() instanceof GroupText t
            && t.channelHash() == SyntheticMesh.HASHTAG_CHANNEL.hash()) {
          assertFalse(t.decrypted());
          sawClosed = true;
        }
      }
    }
    assertTrue(sawClosed);
  }

  @Test
  void tracesAreDirectAndCarryOneSnrPerHopAlreadyMade() throws Exception {
    int traces = 0;
    for (Publication p : sample) {
      if (!p.isReception()) {
        continue;
      }
      Packet packet = decode(json(p).get("raw").asText());
      if (packet.payload() instanceof Trace trace) {
        traces++;
        assertEquals(RouteType.DIRECT, packet.routeType());
        assertEquals("D", json(p).get("route").asText());
        assertEquals(packet.hopCount(), trace.snrs().size());
        assertTrue(trace.snrs().size() <= trace.routeHashes().size());
        assertFalse(trace.routeHashes().isEmpty());
      }
    }
    assertTrue(traces > 20, "traces: " + traces);
  }

  @Test
  void everyMemberAdvertisesFirstObserversLeading() throws Exception {
    Set<String> expected = new HashSet<>();
    mesh.observers().forEach(o -> expected.add(o.publicKey()));
    mesh.nodes().forEach(n -> expected.add(n.publicKey()));
    List<String> firstAdverts = new ArrayList<>();
    for (Publication p : sample) {
      if (p.isReception()) {
        Packet packet = decode(json(p).get("raw").asText());
        if (packet.payload() instanceof Advert a && !firstAdverts.contains(a.publicKey())) {
          firstAdverts.add(a.publicKey());
        }
        if (firstAdverts.size() == expected.size()) {
          break;
        }
        assertEquals(PayloadType.ADVERT, packet.payloadType(), "only adverts until every member advertised");
      }
    }
    assertEquals(expected, new HashSet<>(firstAdverts));
    assertEquals(mesh.observers().get(0).publicKey(), firstAdverts.get(0), "observers advertise first");
  }

  @Test
  void eachFloodPacketIsHeardByDistinctObserversAndKeepsOneHashAcrossThem() throws Exception {
    // Consecutive receptions with the same hash are one packet heard by several observers.
    String hash = null;
    Set<String> heardBy = new HashSet<>();
    int multi = 0;
    for (Publication p : sample) {
      if (!p.isReception()) {
        continue;
      }
      JsonNode doc = json(p);
      if (!doc.get("hash").asText().equals(hash)) {
        hash = doc.get("hash").asText();
        heardBy.clear();
      } else {
        multi++;
      }
      assertTrue(heardBy.add(doc.get("origin_id").asText()), "an observer hears a packet once: " + hash);
    }
    assertTrue(multi > 500, "many packets are heard by more than one observer: " + multi);
  }

  @Test
  void receptionsAreEvenlySpacedAndObserversReportStatusEveryInterval() throws Exception {
    SyntheticMesh.Settings s = SyntheticMesh.Settings.of(7, 10, 4, 50, START)
        .withStatusInterval(Duration.ofSeconds(10));
    SyntheticMesh m = new SyntheticMesh(s);
    List<Publication> publications = take(m, 1_000); // 20 s of receptions: status rounds at 0, 10 s
    long receptions = 0;
    Instant last = START;
    List<Publication> statuses = new ArrayList<>();
    for (Publication p : publications) {
      assertFalse(p.at().isBefore(last), "the timeline never goes back");
      last = p.at();
      if (p.isReception()) {
        assertEquals(START.plusMillis(20 * receptions), p.at());
        receptions++;
      } else {
        statuses.add(p);
      }
    }
    assertEquals(8, statuses.size());
    assertEquals(1_000, m.receptions());
    assertEquals(8, m.statuses());
    for (int i = 0; i < statuses.size(); i++) {
      Publication p = statuses.get(i);
      assertEquals(START.plusSeconds(10L * (i / 4)), p.at());
      Observer observer = m.observers().get(i % 4);
      assertEquals("meshcore/" + observer.iata() + "/" + observer.publicKey() + "/status", p.topic());
      JsonNode doc = json(p);
      assertEquals("online", doc.get("status").asText());
      assertEquals(observer.name(), doc.get("origin").asText());
      assertEquals(observer.publicKey().toUpperCase(Locale.ROOT), doc.get("origin_id").asText());
      assertEquals(observer.model(), doc.get("model").asText());
      assertTrue(doc.get("stats").get("recv").isNumber());
      assertEquals(p.at(), OffsetDateTime.parse(doc.get("timestamp").asText()).toInstant());
    }
    assertEquals(0, json(statuses.get(0)).get("stats").get("recv").asLong());
    assertTrue(json(statuses.get(4)).get("stats").get("recv").asLong() > 0, "counters follow what was heard");
  }

  @Test
  void theSameSettingsGiveTheSameSequenceByteForByte() {
    List<Publication> again = take(new SyntheticMesh(SETTINGS), 3_000);
    assertEquals(sample, again);
    List<Publication> otherSeed = take(new SyntheticMesh(SyntheticMesh.Settings.of(43, 30, 3, 20, START)
        .withPrefix("sim/test")), 3_000);
    assertNotEquals(sample.get(5), otherSeed.get(5));
  }

  @Test
  void aNodeIsTheSameWhateverTheNodeCount() {
    SyntheticMesh small = new SyntheticMesh(SyntheticMesh.Settings.of(42, 5, 3, 100, START));
    List<MeshNode> first = mesh.nodes().subList(0, 5);
    for (int i = 0; i < 5; i++) {
      assertEquals(first.get(i).publicKey(), small.nodes().get(i).publicKey());
      assertEquals(first.get(i).name(), small.nodes().get(i).name());
    }
    Set<Integer> types = mesh.nodes().stream().map(MeshNode::nodeType).collect(Collectors.toSet());
    assertTrue(types.containsAll(Set.of(MeshNode.CHAT, MeshNode.REPEATER)), types.toString());
    for (MeshNode n : mesh.nodes()) {
      assertTrue(n.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 23, n.name());
      if (n.lat() != null) {
        assertTrue(Math.abs(n.lat() - 47.6062) < 0.5 && Math.abs(n.lon() + 122.3321) < 0.7, n.toString());
      }
    }
  }

  @Test
  void aSingleObserverMeshStillTalks() throws Exception {
    List<Publication> publications = take(new SyntheticMesh(SyntheticMesh.Settings.of(3, 4, 1, 10, START)), 200);
    assertEquals(200, publications.stream().filter(Publication::isReception).count());
    for (Publication p : publications) {
      if (p.isReception()) {
        decode(json(p).get("raw").asText());
      }
    }
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> SyntheticMesh.Settings.of(1, 0, 3, 10, START));
    assertThrows(IllegalArgumentException.class, () -> SyntheticMesh.Settings.of(1, 5, 0, 10, START));
    assertThrows(IllegalArgumentException.class, () -> SyntheticMesh.Settings.of(1, 5, 3, 0, START));
    assertThrows(IllegalArgumentException.class, () -> SyntheticMesh.Settings.of(1, 5, 3, Double.NaN, START));
    IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
        () -> SyntheticMesh.Settings.of(1, 5, 3, 10, START).withPrefix("mesh/#"));
    assertTrue(prefix.getMessage().contains("prefix"), prefix.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SyntheticMesh.Settings.of(1, 5, 3, 10, START).withPrefix("/meshcore"));
  }
}
