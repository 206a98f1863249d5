package org.meshhub.core;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one sharded entity type, read from {@code meshhub.entities.<name>}.
 *
 * @param passivateAfter how long an entity may stay idle before sharding stops it
 */
public record EntitySettings(Duration passivateAfter) {

  public EntitySettings {
    Objects.requireNonNull(passivateAfter, "passivateAfter");
    if (passivateAfter.isNegative() || passivateAfter.isZero()) {
      throw new IllegalArgumentException("passivate-after must be positive, got " + passivateAfter);
    }
  }

  /** Reads {@code meshhub.entities.<entity>}, for example {@code fromConfig(config, "node")}. */
  public static EntitySettings fromConfig(Config config, String entity) {
    Config section = config.getConfig("meshhub.entities." + entity);
    return new EntitySettings(section.getDuration("passivate-after"));
  }
}
