package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.ingest.MqttIngestSourceTest.Recorder;
import org.meshhub.core.testing.PrivateMosquitto;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestMqtt;

/**
 * What the installed Mosquitto does with a shared subscription ({@code $share/<group>/<filter>}, MQTT 3.1.1,
 * persistent sessions, as MeshHub's cluster members subscribe) when a member dies with messages in flight, and while
 * it stays dead: it neither hands the dead member's messages to the other members nor stops dealing it its share.
 * Its in-flight messages and its share of what follows wait in its session, and the member drains them when it
 * comes back under the same client id. Nothing is lost; docs/cluster.md describes this, and this test keeps it true.
 */
class MqttSharedSubscriptionTest {
  static final String PREFIX = TestMqtt.uniquePrefix(MqttSharedSubscriptionTest.class);
  static final String TOPIC = PREFIX + "/SEA/" + Samples.publicKey(41) + "/packets";

  @TempDir
  Path dir;

  static MqttSettings member(int port, String clientId) {
    return new MqttSettings(true, "127.0.0.1", port, null, null, PREFIX, false, clientId, 30, 100, Optional.empty())
        .withSharedGroup("g" + Math.abs(PREFIX.hashCode()));
  }

  @Test
  void aDeadMembersShareWaitsInItsSessionUntilItComesBackAndDrainsIt() throws Exception {
    try (PrivateMosquitto broker = PrivateMosquitto.start(dir)) {
      String idA = TestMqtt.uniqueClientId(MqttSharedSubscriptionTest.class) + "-a";
      String idB = TestMqtt.uniqueClientId(MqttSharedSubscriptionTest.class) + "-b";
      MqttClient publisher = TestMqtt.publisher(broker.serverUri());
      // Member A takes its messages and never finishes them: they stay in flight, unacknowledged, when it dies.
      Recorder stuck = new Recorder(payload -> new CompletableFuture<>());
      Recorder b = new Recorder(MqttIngestSourceTest::ok);
      FreezableProxy pathToA = new FreezableProxy("127.0.0.1", broker.port());
      MqttIngestSource a = MqttIngestSourceTest.connected(member(pathToA.port(), idA), stuck);
      MqttIngestSource sourceB = MqttIngestSourceTest.connected(member(broker.port(), idB), b);
      try {
        List<String> before = publish(publisher, "m", 20);
        MqttIngestSourceTest.await("all 20 offered to one member or the other",
            () -> stuck.offered.size() + b.offered.size() == 20, 60);
        assertFalse(stuck.offered.isEmpty(), "A gets a share");
        assertFalse(b.offered.isEmpty(), "B gets a share");
        Set<String> inFlightAtA = new HashSet<>(stuck.offered);

        // A dies: its connection drops without a DISCONNECT, its messages unacknowledged.
        pathToA.close();
        MqttIngestSourceTest.await("A sees its connection gone", () -> !a.isConnected(), 60);
        a.stop(Duration.ZERO);

        List<String> after = publish(publisher, "n", 20);
        // Round robin over two members: of two markers one is B's, and B gets its messages in publishing order.
        publish(publisher, "x", 2);
        MqttIngestSourceTest.await("a marker reached B", () -> b.offered.stream().anyMatch(p -> p.startsWith("x")),
            60);
        Set<String> atB = new HashSet<>(b.offered);
        for (String m : inFlightAtA) {
          assertFalse(atB.contains(m), "a message in flight to the dead member is not handed to B: " + m);
        }
        long afterAtB = after.stream().filter(atB::contains).count();
        assertTrue(afterAtB > 0 && afterAtB < after.size(),
            "the dead member keeps its share of new messages: B got " + afterAtB + " of " + after.size());

        // A comes back under its client id: its session hands it what was in flight and what queued meanwhile.
        Recorder again = new Recorder(MqttIngestSourceTest::ok);
        MqttIngestSource restarted = MqttIngestSourceTest.connected(member(broker.port(), idA), again);
        try {
          List<String> all = new ArrayList<>(before);
          all.addAll(after);
          all.addAll(List.of("x0", "x1"));
          MqttIngestSourceTest.await("every message reached a member", () -> {
            Set<String> seen = new HashSet<>(b.offered);
            seen.addAll(again.offered);
            return seen.containsAll(all);
          }, 60);
          assertTrue(again.offered.containsAll(inFlightAtA), "the restarted member gets its in-flight messages");
          for (String n : after) {
            assertEquals(1, (atB.contains(n) ? 1 : 0) + again.count(n), "each new message reached one member: " + n);
          }
        } finally {
          restarted.stop(Duration.ofSeconds(5));
        }
      } finally {
        sourceB.stop(Duration.ofSeconds(5));
        TestMqtt.disconnect(publisher);
        TestMqtt.forgetSession(broker.serverUri(), idA);
        TestMqtt.forgetSession(broker.serverUri(), idB);
      }
    }
  }

  @Test
  void aMemberThatLeavesTheGroupFinishesItsMessagesAndTheOthersGetEverythingAfter() throws Exception {
    try (PrivateMosquitto broker = PrivateMosquitto.start(dir)) {
      String idA = TestMqtt.uniqueClientId(MqttSharedSubscriptionTest.class) + "-a";
      String idB = TestMqtt.uniqueClientId(MqttSharedSubscriptionTest.class) + "-b";
      MqttClient publisher = TestMqtt.publisher(broker.serverUri());
      Recorder a = new Recorder(MqttIngestSourceTest::ok);
      Recorder b = new Recorder(MqttIngestSourceTest::ok);
      MqttIngestSource sourceA = MqttIngestSourceTest.connected(member(broker.port(), idA), a);
      MqttIngestSource sourceB = MqttIngestSourceTest.connected(member(broker.port(), idB), b);
      try {
        List<String> before = publish(publisher, "m", 20);
        MqttIngestSourceTest.await("all 20 offered", () -> a.offered.size() + b.offered.size() == 20, 60);
        sourceA.leave(Duration.ofSeconds(10));
        List<String> after = publish(publisher, "n", 20);
        MqttIngestSourceTest.await("B got every message published after A left",
            () -> b.offered.containsAll(after), 60);
        assertTrue(after.stream().noneMatch(a.offered::contains), "nothing after leaving went to A");
        Set<String> seen = new HashSet<>(a.offered);
        seen.addAll(b.offered);
        assertTrue(seen.containsAll(before));
      } finally {
        sourceA.stop(Duration.ZERO);
        sourceB.stop(Duration.ofSeconds(5));
        TestMqtt.disconnect(publisher);
        TestMqtt.forgetSession(broker.serverUri(), idA);
        TestMqtt.forgetSession(broker.serverUri(), idB);
      }
    }
  }

  private static List<String> publish(MqttClient publisher, String stem, int count) {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      payloads.add(stem + i);
      TestMqtt.publish(publisher, TOPIC, stem + i);
    }
    return payloads;
  }
}
