package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.NodeIdentity;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.PacketEncoder;
import org.meshhub.core.decoder.RouteType;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestMqtt;

/**
 * Real packets through the real broker into the real journal: three observers hear every packet (over different
 * paths), one of them delivers some twice, garbage is mixed in; the counts of nodes, adverts, messages and
 * receptions come out exact.
 */
abstract class MqttExactCountContract {
  static final int NODES = 8;
  static final int ADVERTS_PER_NODE = 2;
  static final int MESSAGES = 20;
  static final int TRACES = 3;
  static final int OBSERVERS = 3;

  abstract DatabaseSettings settings();

  /** One publication: topic and payload. */
  record Publish(String topic, String payload) {}

  static NodeIdentity node(int i) {
    byte[] seed = new byte[32];
    for (int b = 0; b < 32; b++) {
      seed[b] = (byte) (i * 31 + b + 1);
    }
    return NodeIdentity.fromSeed(seed);
  }

  /** Each observer hears a flood packet over a path of its own: 0, 1 or 2 hops. */
  static List<byte[]> path(int observer, NodeIdentity a, NodeIdentity b) {
    List<byte[]> path = new ArrayList<>();
    if (observer >= 1) {
      path.add(a.hash(1));
    }
    if (observer >= 2) {
      path.add(b.hash(1));
    }
    return path;
  }

  static String hashOf(byte[] raw) {
    return ((DecodeResult.Decoded) new PacketDecoder(ChannelKeys.defaults()).decode(raw)).packet().hash();
  }

  @Test
  void packetsFromThreeObserversWithDuplicatesAndRedeliveriesGiveExactCounts() throws Exception {
    String prefix = TestMqtt.uniquePrefix(getClass());
    String clientId = TestMqtt.uniqueClientId(getClass());
    PacketEncoder encoder = new PacketEncoder();
    List<String> observers = new ArrayList<>();
    for (int o = 0; o < OBSERVERS; o++) {
      observers.add(Samples.publicKey(500 + o));
    }
    List<NodeIdentity> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(node(i));
    }
    Instant at = Instant.parse("2026-01-10T12:00:00Z");
    // Each packet as each observer heard it.
    List<List<byte[]>> heard = new ArrayList<>();
    Set<String> messageHashes = new LinkedHashSet<>();
    for (int i = 0; i < NODES; i++) {
      for (int k = 0; k < ADVERTS_PER_NODE; k++) {
        List<byte[]> versions = new ArrayList<>();
        for (int o = 0; o < OBSERVERS; o++) {
          versions.add(encoder.advert(nodes.get(i), 1_760_000_000L + k * 3600L + i, 1, 47.0 + i / 100.0,
              -122.0 - i / 100.0, "Node " + i, RouteType.FLOOD, path(o, nodes.get((i + 1) % NODES),
                  nodes.get((i + 2) % NODES)), 1));
        }
        heard.add(versions);
      }
    }
    for (int j = 0; j < MESSAGES; j++) {
      List<byte[]> versions = new ArrayList<>();
      for (int o = 0; o < OBSERVERS; o++) {
        versions.add(encoder.groupText(ChannelKey.PUBLIC, 1_760_000_100L + j, "Node " + (j % NODES) + ": message " + j,
            RouteType.FLOOD, path(o, nodes.get(j % NODES), nodes.get((j + 3) % NODES)), 1));
      }
      messageHashes.add(hashOf(versions.get(0)));
      heard.add(versions);
    }
    for (int t = 0; t < TRACES; t++) {
      byte[] trace = encoder.trace(0x1000L + t, 7, 0, List.of(nodes.get(t).hash(1)), List.of(4.5));
      messageHashes.add(hashOf(trace));
      heard.add(List.of(trace, trace, trace));
    }
    for (List<byte[]> versions : heard) {
      Set<String> hashes = new LinkedHashSet<>();
      versions.forEach(v -> hashes.add(hashOf(v)));
      assertEquals(1, hashes.size(), "every observer's copy has the same packet hash");
    }

    List<Publish> stream = new ArrayList<>();
    int redeliveries = 0;
    for (int p = 0; p < heard.size(); p++) {
      for (int o = 0; o < OBSERVERS; o++) {
        byte[] raw = heard.get(p).get(o);
        String json = LetsMesh.packet(raw, hashOf(raw), at.plusSeconds(p), Double.toString(5.0 + o), "-9" + o);
        stream.add(new Publish(LetsMesh.topic(prefix, observers.get(o), "packets"), json));
        if (o == 0 && p % 4 == 0) {
          stream.add(new Publish(LetsMesh.topic(prefix, observers.get(o), "packets"), json));
          redeliveries++;
        }
      }
      if (p % 10 == 5) {
        stream.add(new Publish(LetsMesh.topic(prefix, observers.get(p % OBSERVERS), "packets"), "{\"raw\":\"ZZ\"}"));
      }
    }
    for (int o = 0; o < OBSERVERS; o++) {
      String status = LetsMesh.status("Observer " + o, "online", at);
      stream.add(new Publish(LetsMesh.topic(prefix, observers.get(o), "status"), status));
      stream.add(new Publish(LetsMesh.topic(prefix, observers.get(o), "status"), status));
    }
    long garbage = stream.stream().filter(p -> p.payload().contains("\"ZZ\"")).count();
    int uniqueAdverts = NODES * ADVERTS_PER_NODE;
    int uniqueMessages = MESSAGES + TRACES;

    try (IngestFixture hub = IngestFixture.start(settings(), IngestSettings.defaults(), prefix)) {
      MqttSettings mqtt = new MqttSettings(true, TestMqtt.host(), TestMqtt.port(), null, null, prefix, false,
          clientId, 30, 100, java.util.Optional.empty());
      MqttIngestSource source = MqttIngestSource.start(mqtt, hub.pipeline, MeshHubMetrics.get(hub.system).registry());
      MqttClient publisher = TestMqtt.publisher();
      try {
        MqttIngestSourceTest.await("connected", source::isConnected, 60);
        for (Publish p : stream) {
          TestMqtt.publish(publisher, p.topic(), p.payload());
        }
        MqttIngestSourceTest.await("all " + stream.size() + " messages ingested", () -> handled(hub) == stream.size(),
            120);
      } finally {
        TestMqtt.disconnect(publisher);
        source.close();
        TestMqtt.forgetSession(TestMqtt.serverUri(), clientId);
      }

      assertEquals(stream.size(), handled(hub), "nothing handled twice");
      assertEquals((double) garbage, hub.metric("meshhub_ingest_messages_total{result=\"rejected\"}"));
      assertEquals(garbage, new RejectedMessages(hub.database).count());
      assertEquals(stream.size() - garbage, hub.metric("meshhub_ingest_messages_total{result=\"accepted\"}"));

      // Journal: one event per reception, one per distinct status report.
      assertEquals(uniqueAdverts * OBSERVERS + OBSERVERS, hub.events("Node"));
      assertEquals(uniqueMessages * OBSERVERS, hub.events("Message"));
      assertEquals(NODES + OBSERVERS, hub.count("SELECT COUNT(DISTINCT persistence_id) FROM event_journal"
          + " WHERE persistence_id LIKE 'Node|%'"), "one node entity per advertised node and per observer");
      assertEquals(uniqueMessages, hub.count("SELECT COUNT(DISTINCT persistence_id) FROM event_journal"
          + " WHERE persistence_id LIKE 'Message|%'"));

      for (int i = 0; i < NODES; i++) {
        NodeEntity.Summary node = hub.node(nodes.get(i).publicKeyHex());
        assertEquals("Node " + i, node.name());
        assertEquals(ADVERTS_PER_NODE, node.advertCount(), node.toString());
        assertEquals(ADVERTS_PER_NODE * OBSERVERS, node.receptionCount(), node.toString());
      }
      for (String observer : observers) {
        assertTrue(hub.node(observer).observer(), observer + " reported a status");
      }
      for (String hash : messageHashes) {
        assertEquals(Set.copyOf(observers), hub.message(hash).observers(), hash);
      }
      assertTrue(redeliveries > 0);
    }
  }

  private static long handled(IngestFixture hub) {
    return Math.round(hub.metric("meshhub_ingest_messages_total{result=\"accepted\"}")
        + hub.metric("meshhub_ingest_messages_total{result=\"rejected\"}")
        + hub.metric("meshhub_ingest_messages_total{result=\"ignored\"}"));
  }
}
