package org.meshhub.projections;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.config.MeshHubConfig;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.PersistenceConfig;

/**
 * An actor system that only reads the journal (for rebuilds run from the command line): the persistence settings of
 * the database, no cluster membership, no entities.
 */
public final class JournalReader {
  private JournalReader() {}

  public static ActorSystem<Void> start(DatabaseSettings database) {
    return ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, MeshHubConfig.load(
        ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local"), "journal reader")
            .withFallback(PersistenceConfig.forDatabase(database))));
  }
}
