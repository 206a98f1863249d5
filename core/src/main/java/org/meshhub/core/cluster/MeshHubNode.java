package org.meshhub.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.meshhub.core.config.MeshHubConfig;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.PersistenceConfig;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * Starts the actor system of one MeshHub cluster member on a prepared database: joins the cluster (itself, unless
 * seed nodes are configured) and registers the sharded node and message entities.
 */
public final class MeshHubNode {
  private MeshHubNode() {}

  public static ActorSystem<Void> start(DatabaseSettings database, ClusterSettings cluster) {
    return start(database, cluster, ConfigFactory.empty());
  }

  /** {@code overrides} win over everything else (tests use it to tune timeouts). */
  public static ActorSystem<Void> start(DatabaseSettings database, ClusterSettings cluster, Config overrides) {
    Config config = MeshHubConfig.load(overrides
        .withFallback(PersistenceConfig.forDatabase(database))
        .withFallback(cluster.toConfig()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
    try {
      // Registered before returning, so that callers can send to the entities at once.
      Cluster c = Cluster.get(system);
      if (cluster.selfJoin()) {
        c.manager().tell(Join.create(c.selfMember().address()));
      }
      NodeEntity.init(system);
      MessageEntity.init(system);
      return system;
    } catch (RuntimeException e) {
      stop(system);
      throw e;
    }
  }

  /** Terminates the system and waits (at most a minute) until it is gone. */
  public static void stop(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("actor system did not terminate", e);
    }
  }
}
