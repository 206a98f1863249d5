package org.meshhub.projections.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.meshhub.projections.query.Observation;

/** What the node queries answer (serialized to JSON by the API with snake_case names). */
public final class NodeViews {
  private NodeViews() {}

  public record Tag(String key, String value, Instant updatedAt) {}

  /**
   * A node in a list.
   *
   * @param lastAdvertAt the signed timestamp of the advert that named the node
   * @param observerCount how many observers have heard its adverts
   */
  public record Node(
      String publicKey,
      String name,
      String advType,
      Integer flags,
      Double lat,
      Double lon,
      Instant lastAdvertAt,
      Instant firstSeen,
      Instant lastSeen,
      @JsonProperty("is_observer") boolean observer,
      long advertCount,
      long receptionCount,
      long observerCount,
      List<Tag> tags) {

    public Node {
      tags = List.copyOf(tags);
    }

    Node with(List<Tag> newTags, long observers) {
      return new Node(publicKey, name, advType, flags, lat, lon, lastAdvertAt, firstSeen, lastSeen, observer,
          advertCount, receptionCount, observers, newTags);
    }
  }

  /** The latest report of an observer's status feed. */
  public record ObserverStatus(
      String status,
      String model,
      String firmwareVersion,
      String radio,
      String clientVersion,
      JsonNode stats,
      Instant reportedAt) {}

  /** An observer that heard the node's adverts. */
  public record HeardBy(
      String observer,
      String observerName,
      Instant firstHeard,
      Instant lastHeard,
      long receptionCount,
      Double lastSnr,
      Integer lastRssi,
      Integer lastPathLen) {}

  public record Telemetry(String observer, Instant receivedAt, JsonNode data) {}

  /** A telemetry reading in {@code GET /api/v1/telemetry}. */
  public record TelemetryReading(String publicKey, String nodeName, String observer, Instant receivedAt,
      JsonNode data) {}

  /**
   * An advertisement with everyone who heard it.
   *
   * @param advertTimestamp the advert's own signed timestamp
   * @param receivedAt when it was first heard
   * @param receivedBy the observer that heard it first
   * @param receptionCount how many observers heard it: the size of {@code observers}
   * @param nodeName the node's current name
   */
  public record Advert(
      String publicKey,
      String name,
      String advType,
      int flags,
      Double lat,
      Double lon,
      Instant advertTimestamp,
      boolean signatureValid,
      String packetHash,
      Instant receivedAt,
      String receivedBy,
      int receptionCount,
      String nodeName,
      List<Observation> observers) {

    public Advert {
      observers = List.copyOf(observers);
    }

    Advert withObservers(List<Observation> list) {
      return new Advert(publicKey, name, advType, flags, lat, lon, advertTimestamp, signatureValid, packetHash,
          receivedAt, receivedBy, list.size(), nodeName, list);
    }
  }

  /** One node with its tags, latest adverts, who hears it, its latest telemetry and, for observers, its status. */
  public record NodeDetail(
      String publicKey,
      String name,
      String advType,
      Integer flags,
      Double lat,
      Double lon,
      Instant lastAdvertAt,
      Instant firstSeen,
      Instant lastSeen,
      @JsonProperty("is_observer") boolean observer,
      long advertCount,
      long receptionCount,
      List<Tag> tags,
      ObserverStatus observerStatus,
      List<Advert> recentAdverts,
      List<HeardBy> heardBy,
      List<Telemetry> telemetry) {

    public NodeDetail {
      tags = List.copyOf(tags);
      recentAdverts = List.copyOf(recentAdverts);
      heardBy = List.copyOf(heardBy);
      telemetry = List.copyOf(telemetry);
    }
  }
}
