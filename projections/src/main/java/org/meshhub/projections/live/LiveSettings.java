package org.meshhub.projections.live;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The change feed's settings ({@code meshhub.live} in reference.conf).
 *
 * @param retention how long feed rows are kept; a client away longer is told to reload ({@code reset})
 * @param pollInterval how often a node reads new feed rows while it has stream clients
 * @param clientBuffer events held for one client that reads slowly; past it its stream ends, and the client
 *     resumes from its {@code Last-Event-ID}
 * @param memory the latest events a node keeps for clients that reconnect, so most reconnects read no database
 * @param pageSize rows per query when polling or replaying
 * @param maxClients stream clients one node serves at most; more are refused (503)
 */
public record LiveSettings(Duration retention, Duration pollInterval, int clientBuffer, int memory, int pageSize,
    int maxClients) {
  public LiveSettings {
    if (retention.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("meshhub.live durations must be positive");
    }
    if (clientBuffer < 1 || memory < 1 || pageSize < 1 || maxClients < 1) {
      throw new IllegalArgumentException("meshhub.live sizes must be at least 1");
    }
  }

  public static LiveSettings fromConfig(Config config) {
    Config c = config.getConfig("meshhub.live");
    return new LiveSettings(c.getDuration("retention"), c.getDuration("poll-interval"), c.getInt("client-buffer"),
        c.getInt("memory"), c.getInt("page-size"), c.getInt("max-clients"));
  }
}
