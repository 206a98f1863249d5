package org.meshhub.projections;

import com.typesafe.config.Config;
import java.time.Duration;
import org.meshhub.projections.live.LiveSettings;

/**
 * The projections' settings ({@code meshhub.projections} in reference.conf).
 *
 * @param groupSize at most this many events per transaction
 * @param groupDelay a batch is written once this old even when smaller; bounds the added freshness lag
 * @param metricsInterval how often projection lag and journal size are sampled for {@code /metrics}
 * @param live the change feed the projections write for the live stream
 */
public record ReadSideSettings(int groupSize, Duration groupDelay, Duration metricsInterval, LiveSettings live) {
  public static ReadSideSettings fromConfig(Config config) {
    Config c = config.getConfig("meshhub.projections");
    return new ReadSideSettings(c.getInt("group-size"), c.getDuration("group-delay"),
        c.getDuration("metrics-interval"), LiveSettings.fromConfig(config));
  }
}
