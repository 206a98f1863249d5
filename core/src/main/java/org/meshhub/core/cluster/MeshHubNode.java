package org.meshhub.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.meshhub.core.EntitySettings;
import org.meshhub.core.config.MeshHubConfig;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.PersistenceConfig;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * A MeshHub cluster member's actor system: its configuration (database, cluster, Pekko overrides) and the sharded
 * node and message entities. {@code meshhub serve} builds its system from {@link #config} and registers the entities
 * with {@link #initEntities}; tools and tests that need only the entities use {@link #start}.
 */
public final class MeshHubNode {
  private MeshHubNode() {}

  /** The settings of the two entity types, read once from the node's configuration. */
  public record Entities(EntitySettings nodes, EntitySettings messages) {
    public static Entities fromConfig(Config config) {
      return new Entities(EntitySettings.fromConfig(config, NodeEntity.TAG_PREFIX),
          EntitySettings.fromConfig(config, MessageEntity.TAG_PREFIX));
    }
  }

  /** The node's configuration; {@code overrides} win over everything else (tests use it to tune timeouts). */
  public static Config config(DatabaseSettings database, ClusterSettings cluster, Config overrides) {
    return MeshHubConfig.load(overrides
        .withFallback(PersistenceConfig.forDatabase(database))
        .withFallback(cluster.toConfig()));
  }

  /** Registers the node and message entities with cluster sharding. */
  public static void initEntities(ActorSystem<?> system, Entities entities) {
    NodeEntity.init(system, entities.nodes());
    MessageEntity.init(system, entities.messages());
  }

  public static ActorSystem<Void> start(DatabaseSettings database, ClusterSettings cluster) {
    return start(database, cluster, ConfigFactory.empty());
  }

  /**
   * An actor system with the entities and nothing else, on a prepared database: it joins the cluster (itself, unless
   * seed nodes are configured) and registers the entities before returning, so that callers can send to them at once.
   */
  public static ActorSystem<Void> start(DatabaseSettings database, ClusterSettings cluster, Config overrides) {
    Config config = config(database, cluster, overrides);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
    try {
      Cluster c = Cluster.get(system);
      if (cluster.selfJoin()) {
        c.manager().tell(Join.create(c.selfMember().address()));
      }
      initEntities(system, Entities.fromConfig(config));
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
