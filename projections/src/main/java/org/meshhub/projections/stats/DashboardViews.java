package org.meshhub.projections.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The dashboard's views besides its figures. */
public final class DashboardViews {
  private DashboardViews() {}

  /** A node with a position, as the map draws it. */
  public record MapNode(String publicKey, String name, String advType, double lat, double lon, Instant lastSeen,
      @JsonProperty("is_observer") boolean observer) {}

  /**
   * An observer with its status and recent work.
   *
   * @param online its last status did not say offline and it was heard within the last hour
   * @param lastSeen when it was last heard itself (status report, advert, telemetry)
   * @param receptionsLastHour what it uploaded in the last hour: receptions of adverts, messages and packets
   */
  public record Observer(
      String publicKey,
      String name,
      String status,
      boolean online,
      String model,
      String firmwareVersion,
      String radio,
      String clientVersion,
      Instant statusReportedAt,
      Instant firstSeen,
      Instant lastSeen,
      long receptionsLastHour) {}
}
