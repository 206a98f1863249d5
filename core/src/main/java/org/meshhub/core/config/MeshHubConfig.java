package org.meshhub.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The configuration of a MeshHub actor system: {@code -D} system properties first, then the generated settings (database, cluster), then the
 * overrides of Pekko's defaults in {@code cluster.conf}, then {@code application.conf} and every
 * {@code reference.conf}. Overrides of Pekko settings cannot live in a library's reference.conf: once the shaded jar
 * merges them, which one wins depends on the order of the jars.
 */
public final class MeshHubConfig {
  private MeshHubConfig() {}

  public static Config load(Config generated) {
    ConfigFactory.invalidateCaches();
    Config defaults = ConfigFactory.load();
    // -D system properties win, so that an operator can tune any Pekko setting without a rebuild.
    return ConfigFactory.systemProperties()
        .withFallback(generated)
        .withFallback(ConfigFactory.parseResources("cluster.conf"))
        .withFallback(defaults)
        .resolve();
  }
}
