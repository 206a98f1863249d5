package org.meshhub.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The configuration of a MeshHub actor system: the generated settings first (database, cluster), then the
 * overrides of Pekko's defaults in {@code cluster.conf}, then {@code application.conf} and every
 * {@code reference.conf}. Overrides of Pekko settings cannot live in a library's reference.conf: once the shaded jar
 * merges them, which one wins depends on the order of the jars.
 */
public final class MeshHubConfig {
  private MeshHubConfig() {}

  public static Config load(Config generated) {
    ConfigFactory.invalidateCaches();
    Config defaults = ConfigFactory.load();
    return generated
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(defaults)
        .resolve();
  }
}
