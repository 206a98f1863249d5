package org.meshhub.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.EntitySettings;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.node.NodeEntity.Advert;

/** The entity as the application uses it: through cluster sharding on a single self-joined node. */
class NodeEntityShardingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static ActorTestKit testKit;

  @BeforeAll
  static void startSingleNodeCluster() {
    Config config =
        ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.port = 0
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                meshhub.entities.node.passivate-after = 1s
                """)
            .withFallback(PersistenceTestKitPlugin.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("NodeEntityShardingTest", config);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertEquals(MemberStatus.up(), cluster.selfMember().status());
              return null;
            });
    NodeEntity.init(testKit.system(),
        EntitySettings.fromConfig(testKit.system().settings().config(), NodeEntity.TAG_PREFIX));
  }

  @AfterAll
  static void stopCluster() {
    testKit.shutdownTestKit();
  }

  @Test
  void anAdvertSentThroughShardingIsRecordedOnceAndItsRedeliveryIsADuplicate() throws Exception {
    String node = NodeEntityTest.randomKey();
    EntityRef<NodeEntity.Command> entity =
        ClusterSharding.get(testKit.system()).entityRefFor(NodeEntity.ENTITY_KEY, node);
    Advert advert = new Advert(1_700_000_000L, "Hilltop", "repeater", 0x92, null, null, true, null, null);
    Reception reception = new Reception(NodeEntityTest.randomKey(), Instant.now(), 5.5, -101, 0, null);

    Outcome first = recordAdvert(entity, advert, reception);
    Outcome again = recordAdvert(entity, advert, reception);

    assertEquals(Outcome.RECORDED, first);
    assertEquals(Outcome.DUPLICATE, again);
  }

  @Test
  void anIdleNodeIsPassivatedAndRecoversItsStateWhenNeededAgain() throws Exception {
    String node = NodeEntityTest.randomKey();
    EntityRef<NodeEntity.Command> entity =
        ClusterSharding.get(testKit.system()).entityRefFor(NodeEntity.ENTITY_KEY, node);
    Advert advert = new Advert(1_700_000_000L, "Valley", "chat", 0x81, null, null, true, null, null);
    recordAdvert(entity, advert, new Reception(NodeEntityTest.randomKey(), Instant.now(), null, null, 1, "ab"));
    assertTrue(isRunning(node));

    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertFalse(isRunning(node), "node entity still running after passivate-after");
              return null;
            });

    NodeEntity.Summary summary =
        entity.ask(NodeEntity.Get::new, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("Valley", summary.name());
    assertEquals(1, summary.advertCount());
  }

  private static Outcome recordAdvert(EntityRef<NodeEntity.Command> entity, Advert advert, Reception reception)
      throws Exception {
    return entity
        .<Outcome>askWithStatus(replyTo -> new NodeEntity.RecordAdvert(advert, reception, replyTo), TIMEOUT)
        .toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static boolean isRunning(String entityId) {
    TestProbe<CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .shardState()
        .tell(new GetShardRegionState(NodeEntity.ENTITY_KEY, probe.ref()));
    return probe.receiveMessage(TIMEOUT).getShards().stream()
        .anyMatch(shard -> shard.getEntityIds().contains(entityId));
  }
}
