package org.meshhub.core.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One MQTT-shaped message as an observer's uploader publishes it: the topic, the JSON payload bytes, and the moment
 * it is due on the synthetic timeline.
 *
 * @param topic {@code <prefix>/<IATA>/<observer key>/<feed>}, feed {@code packets} or {@code status}
 * @param payload the UTF-8 JSON document
 * @param at when the observer publishes it
 */
public record Publication(String topic, byte[] payload, Instant at) {
  public static final String FEED_PACKETS = "packets";
  public static final String FEED_STATUS = "status";

  public Publication {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(at, "at");
    payload = Objects.requireNonNull(payload, "payload").clone();
  }

  /** A fresh copy of the payload bytes. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The last topic level: {@code packets} or {@code status}. */
  public String feed() {
    return topic.substring(topic.lastIndexOf('/') + 1);
  }

  /** Whether this is one observer's reception of a radio packet (the {@code packets} feed). */
  public boolean isReception() {
    return FEED_PACKETS.equals(feed());
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** Equal by content: a record would compare the payload arrays by identity. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Publication p && topic.equals(p.topic) && at.equals(p.at)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, at, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "Publication[" + topic + " at " + at + ": " + payloadText() + "]";
  }
}
