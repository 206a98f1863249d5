package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.rebuild.Rebuild;
import org.meshhub.projections.testing.ReadSideData;
import org.meshhub.projections.testing.ReadSideTesting;

class PostgresRebuildTest extends RebuildContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresRebuildTest.class);
  private static final String LIVE_SCHEMA = SCHEMA + "_live";

  @AfterAll
  static void drop() {
    TestDatabases.dropSchema(SCHEMA);
    TestDatabases.dropSchema(LIVE_SCHEMA);
  }

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA));
  }

  @Test
  void aRebuildWhileTheServerKeepsIngestingEndsWithTheRowsOfAnOfflineRebuild() throws Exception {
    DatabaseSettings settings = DatabaseSettings.fromEnv(TestDatabases.postgresEnv(LIVE_SCHEMA));
    try (Database db = Storage.prepare(settings, ReadSide.poolSize(settings.dialect()))) {
      ActorSystem<Void> system = ReadSideTesting.startNode(settings, db);
      Map<String, List<String>> afterLiveRebuild;
      AtomicInteger sent = new AtomicInteger();
      try {
        ReadSideData.send(system, Instant.now());
        ReadSideTesting.awaitCaughtUp(db, CATCH_UP);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
          try {
            while (!stop.get() || sent.get() < 60) {
              sendMore(system, sent.getAndIncrement());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        ActorSystem<Void> reader = JournalReader.start(settings);
        try {
          Rebuild rebuild = new Rebuild(reader, db, 2, new Recorder());
          while (sent.get() < 10) {
            Thread.sleep(20);
          }
          assertTrue(rebuild.run(ReadModel.NODES, false).complete());
          assertTrue(rebuild.run(ReadModel.MESSAGES, false).complete());
        } finally {
          stop.set(true);
          MeshHubNode.stop(reader);
        }
        traffic.get(2, TimeUnit.MINUTES);
        ReadSideTesting.awaitCaughtUp(db, CATCH_UP);
        afterLiveRebuild = ReadSideTesting.snapshot(db);
      } finally {
        MeshHubNode.stop(system);
      }
      assertTrue(sent.get() >= 60, "traffic kept flowing during the rebuild");

      ActorSystem<Void> reader = JournalReader.start(settings);
      try {
        Rebuild rebuild = new Rebuild(reader, db, 500, new Recorder());
        rebuild.run(ReadModel.NODES, true);
        rebuild.run(ReadModel.MESSAGES, true);
      } finally {
        MeshHubNode.stop(reader);
      }
      assertEquals(ReadSideTesting.snapshot(db), afterLiveRebuild);
    }
  }

  /** A new message heard by two observers, and an advert of a new node heard by two observers. */
  private static void sendMore(ActorSystem<?> system, int i) throws Exception {
    String hash = Samples.packetHash(50_000 + i);
    MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", 5, ReadSideData.PUBLIC,
        "Public", true, "Load", "load message " + i, Instant.now().getEpochSecond(), 0, null, null);
    for (String observer : List.of(ReadSideData.O1, ReadSideData.O2)) {
      Outcome o = ClusterSharding.get(system).entityRefFor(MessageEntity.ENTITY_KEY, hash)
          .<Outcome>askWithStatus(r -> new MessageEntity.RecordMessage(content, null,
              new Reception(observer, Instant.now(), 5.0, -90, 1, null), r), Duration.ofSeconds(30))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(o != Outcome.DUPLICATE);
    }
    String key = Samples.publicKey(50_000 + i);
    NodeEntity.Advert advert = Samples.advert(Instant.now().getEpochSecond(), "Load " + i);
    for (String observer : List.of(ReadSideData.O2, ReadSideData.O3)) {
      ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, key)
          .<Outcome>askWithStatus(r -> new NodeEntity.RecordAdvert(advert, Samples.reception(observer, Instant.now()),
              r), Duration.ofSeconds(30))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
