package org.meshhub.projections.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The dashboard's views besides its figures and activity. */
public final class DashboardViews {
  private DashboardViews() {}

  /** A node with a position, as the map draws it. */
  public record MapNode(String publicKey, String name, String advType, double lat, double lon, Instant lastSeen,
      @JsonProperty("is_observer") boolean observer) {}
}
