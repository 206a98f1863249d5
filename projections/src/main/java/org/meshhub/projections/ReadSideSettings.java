package org.meshhub.projections;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The projections' settings ({@code meshhub.projections} in reference.conf).
 *
 * @param groupSize at most this many events per transaction
 * @param groupDelay a batch is written once this old even when smaller; bounds the added freshness lag
 * @param metricsInterval how often projection lag and journal size are sampled for {@code /metrics}
 */
public record ReadSideSettings(int groupSize, Duration groupDelay, Duration metricsInterval) {
  public static ReadSideSettings fromConfig(Config config) {
    Config c = config.getConfig("meshhub.projections");
    return new ReadSideSettings(c.getInt("group-size"), c.getDuration("group-delay"),
        c.getDuration("metrics-interval"));
  }
}
