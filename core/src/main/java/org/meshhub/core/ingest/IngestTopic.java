package org.meshhub.core.ingest;

import java.util.Locale;
import java.util.Objects;
import org.meshhub.core.Formats;

/**
 * The two topic shapes MeshHub ingests, under the configured prefix ({@code MQTT_PREFIX}, default {@code meshcore}):
 *
 * <ul>
 *   <li>LetsMesh: {@code <prefix>/<IATA>/<observer public key>/<feed>}, feed {@code packets}, {@code status} or
 *       {@code internal};
 *   <li>the older decoded-event feed: {@code <prefix>/<public key>/event/<name>}.
 * </ul>
 *
 * The public key in the topic is the observer's identity: it is lower-cased and must be 64 hex characters.
 */
public sealed interface IngestTopic permits IngestTopic.FeedTopic, IngestTopic.EventTopic {

  /** The key of the node that uploaded the message (the observer), 64 lower-case hex. */
  String observer();

  /** The feeds of the LetsMesh topic shape. */
  enum Feed {
    PACKETS("packets"),
    STATUS("status"),
    INTERNAL("internal");

    private final String segment;

    Feed(String segment) {
      this.segment = segment;
    }

    public String segment() {
      return segment;
    }

    static Feed fromSegment(String segment) {
      for (Feed feed : values()) {
        if (feed.segment.equals(segment)) {
          return feed;
        }
      }
      return null;
    }
  }

  /** {@code <prefix>/<IATA>/<observer>/<feed>}. */
  record FeedTopic(String region, String observer, Feed feed) implements IngestTopic {
    public FeedTopic {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(feed, "feed");
      if (!Formats.isPublicKey(observer)) {
        throw new IllegalArgumentException("observer must be 64 lower-case hex");
      }
    }
  }

  /** {@code <prefix>/<observer>/event/<name>}. */
  record EventTopic(String observer, String name) implements IngestTopic {
    public EventTopic {
      Objects.requireNonNull(name, "name");
      if (!Formats.isPublicKey(observer)) {
        throw new IllegalArgumentException("observer must be 64 lower-case hex");
      }
    }
  }

  /** The MQTT subscriptions that deliver every topic {@link #parse} accepts. */
  static String[] subscriptions(String prefix) {
    return new String[] {
      prefix + "/+/+/" + Feed.PACKETS.segment(),
      prefix + "/+/+/" + Feed.STATUS.segment(),
      prefix + "/+/+/" + Feed.INTERNAL.segment(),
      prefix + "/+/event/+"
    };
  }

  /** The LetsMesh topic of a feed, for publishers (the simulator, tests). */
  static String of(String prefix, String region, String observer, Feed feed) {
    return prefix + "/" + region + "/" + observer + "/" + feed.segment();
  }

  /**
   * Reads a topic.
   *
   * @throws RejectedInput {@code unknown_topic}, {@code unknown_feed} or {@code invalid_public_key}
   */
  static IngestTopic parse(String prefix, String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new RejectedInput(IngestReason.UNKNOWN_TOPIC, "empty topic");
    }
    if (!topic.startsWith(prefix + "/")) {
      throw new RejectedInput(IngestReason.UNKNOWN_TOPIC, "topic does not start with the prefix '" + prefix + "/'");
    }
    String[] parts = topic.substring(prefix.length() + 1).split("/", -1);
    if (parts.length != 3) {
      throw new RejectedInput(IngestReason.UNKNOWN_TOPIC, "expected " + prefix + "/<IATA>/<public key>/<feed> or "
          + prefix + "/<public key>/event/<name>, got " + (parts.length + 1) + " levels");
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new RejectedInput(IngestReason.UNKNOWN_TOPIC, "empty topic level");
      }
    }
    if (parts[1].equals("event")) {
      return new EventTopic(publicKey(parts[0]), parts[2]);
    }
    Feed feed = Feed.fromSegment(parts[2]);
    if (feed == null) {
      throw new RejectedInput(IngestReason.UNKNOWN_FEED, "feed '" + abbreviate(parts[2])
          + "' is none of packets, status, internal");
    }
    return new FeedTopic(parts[0], publicKey(parts[1]), feed);
  }

  private static String publicKey(String segment) {
    String key = segment.toLowerCase(Locale.ROOT);
    if (!Formats.isPublicKey(key)) {
      throw new RejectedInput(IngestReason.INVALID_PUBLIC_KEY, "topic key '" + abbreviate(segment)
          + "' is not a public key of 64 hex characters");
    }
    return key;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
