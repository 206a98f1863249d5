package org.meshhub.projections.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** What {@code GET /api/v1/observers} and {@code /api/v1/observers/{key}} answer. */
public final class ObserverViews {
  private ObserverViews() {}

  /** Receptions the observer uploaded in one hour (adverts, messages, traces and other packets). */
  public record HourCount(Instant hour, long receptions) {}

  /** One report of the observer's status feed. */
  public record StatusReport(
      Instant reportedAt,
      String status,
      String model,
      String firmwareVersion,
      String radio,
      String clientVersion,
      JsonNode stats) {}

  /**
   * An observer: a node that uploads what it hears.
   *
   * @param status its latest reported status ({@code online}, {@code offline} or null)
   * @param online heard within the last hour and its latest status not {@code offline} ({@link
   *     ObserverQueries#ONLINE})
   * @param lastSeen when it was last heard or reported itself online
   * @param lastHeard its latest upload: the newest reception it reported
   * @param receptionsLastHour receptions it uploaded in the last 60 minutes, from the hourly counters: the current
   *     hour's, plus the previous hour's in proportion to the part of that hour within the 60 minutes
   * @param receptions24h receptions it uploaded in the current hour and the 23 before
   * @param receptionsPerHour the same per hour, oldest first, one entry per hour (zeros included)
   * @param statusHistory its latest status reports, newest first
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
      Instant lastHeard,
      long receptionsLastHour,
      @JsonProperty("receptions_24h") long receptions24h,
      List<HourCount> receptionsPerHour,
      List<StatusReport> statusHistory) {

    public Observer {
      receptionsPerHour = List.copyOf(receptionsPerHour);
      statusHistory = List.copyOf(statusHistory);
    }
  }
}
