package org.meshhub.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
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
import org.meshhub.core.message.MessageEntity.PacketInfo;

/** The entity as the application uses it: through cluster sharding on a single self-joined node. */
class MessageEntityShardingTest {

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
                meshhub.entities.message.passivate-after = 1s
                """)
            .withFallback(PersistenceTestKitPlugin.config())
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("MessageEntityShardingTest", config);
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
    MessageEntity.init(testKit.system(),
        EntitySettings.fromConfig(testKit.system().settings().config(), MessageEntity.TAG_PREFIX));
  }

  @AfterAll
  static void stopCluster() {
    testKit.shutdownTestKit();
  }

  @Test
  void aPacketSentThroughShardingIsRecordedOnceAndItsRedeliveryIsADuplicate() throws Exception {
    EntityRef<MessageEntity.Command> entity = entityRef(MessageEntityTest.randomHash());
    Reception reception = new Reception(MessageEntityTest.randomKey(), Instant.now(), 5.5, -101, 0, null);

    Outcome first = recordPacket(entity, reception);
    Outcome again = recordPacket(entity, reception);

    assertEquals(Outcome.RECORDED, first);
    assertEquals(Outcome.DUPLICATE, again);
  }

  @Test
  void anIdleMessageIsPassivatedAndRecoversItsObserversWhenNeededAgain() throws Exception {
    String hash = MessageEntityTest.randomHash();
    EntityRef<MessageEntity.Command> entity = entityRef(hash);
    Reception reception = new Reception(MessageEntityTest.randomKey(), Instant.now(), null, null, 1, "ab");
    recordPacket(entity, reception);
    assertTrue(isRunning(hash));

    testKit
        .createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertFalse(isRunning(hash), "message entity still running after passivate-after");
              return null;
            });

    MessageEntity.Summary summary =
        entity.ask(MessageEntity.Get::new, TIMEOUT).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(new MessageEntity.Summary(hash, "packet", Set.of(reception.observer())), summary);
  }

  private static EntityRef<MessageEntity.Command> entityRef(String hash) {
    return ClusterSharding.get(testKit.system()).entityRefFor(MessageEntity.ENTITY_KEY, hash);
  }

  private static Outcome recordPacket(EntityRef<MessageEntity.Command> entity, Reception reception)
      throws Exception {
    PacketInfo ack = new PacketInfo(3, "ack", 1);
    return entity
        .<Outcome>askWithStatus(replyTo -> new MessageEntity.RecordPacket(ack, null, reception, replyTo), TIMEOUT)
        .toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static boolean isRunning(String entityId) {
    TestProbe<CurrentShardRegionState> probe = testKit.createTestProbe();
    ClusterSharding.get(testKit.system())
        .shardState()
        .tell(new GetShardRegionState(MessageEntity.ENTITY_KEY, probe.ref()));
    return probe.receiveMessage(TIMEOUT).getShards().stream()
        .anyMatch(shard -> shard.getEntityIds().contains(entityId));
  }
}
