package org.meshhub.core.ingest;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.decoder.ChannelKeys;

/**
 * What the ingest pipeline reads from the environment and from {@code meshhub.ingest} in the configuration.
 *
 * @param channelKeys the built-in Public channel plus {@code CHANNEL_KEYS}: comma-separated {@code name=hex} (16- or
 *     32-byte keys) or {@code #hashtag} channels, whose key is derived from the name
 * @param rejectedRetentionRows {@code REJECTED_RETENTION}: how many of the newest rejected messages are kept
 *     (default 10000)
 * @param rejectedRetentionAge {@code REJECTED_RETENTION_DAYS}: rejected messages older than this are pruned
 *     (default 30 days; 0 keeps them until the row limit prunes them)
 * @param askTimeout {@code meshhub.ingest.ask-timeout}: how long one message waits for its entity to persist
 * @param rejectedPruneInterval {@code meshhub.ingest.rejected-prune-interval}: how often rejected messages are pruned
 */
public record IngestSettings(ChannelKeys channelKeys, int rejectedRetentionRows, Duration rejectedRetentionAge,
    Duration askTimeout, Duration rejectedPruneInterval) {
  public static final String CHANNEL_KEYS = "CHANNEL_KEYS";
  public static final String REJECTED_RETENTION = "REJECTED_RETENTION";
  public static final String REJECTED_RETENTION_DAYS = "REJECTED_RETENTION_DAYS";

  /** A payload over this many bytes is rejected before it is parsed; also the most of one kept as rejected. */
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  public IngestSettings {
    Objects.requireNonNull(channelKeys, "channelKeys");
    if (rejectedRetentionRows < 1) {
      throw new IllegalArgumentException("rejectedRetentionRows must be positive");
    }
    Objects.requireNonNull(rejectedRetentionAge, "rejectedRetentionAge");
    positive(askTimeout, "askTimeout");
    positive(rejectedPruneInterval, "rejectedPruneInterval");
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /** Every setting at its default: what an empty environment and reference.conf give. */
  public static IngestSettings defaults() {
    return new IngestSettings(ChannelKeys.defaults(), 10_000, Duration.ofDays(30), Duration.ofSeconds(30),
        Duration.ofMinutes(1));
  }

  public static IngestSettings from(Env env, Config config) {
    ChannelKeys extra;
    try {
      extra = ChannelKeys.parse(env.get(CHANNEL_KEYS).orElse(null));
    } catch (IllegalArgumentException e) {
      // The parser's message names the entry by position and name, never the key material.
      throw new SettingsException(CHANNEL_KEYS, e.getMessage().replaceFirst("^CHANNEL_KEYS ", ""));
    }
    int rows = env.getInt(REJECTED_RETENTION, 10_000, 1, 100_000_000);
    int days = env.getInt(REJECTED_RETENTION_DAYS, 30, 0, 36_500);
    Config ingest = config.getConfig("meshhub.ingest");
    return new IngestSettings(ChannelKeys.defaults().plus(extra), rows, Duration.ofDays(days),
        ingest.getDuration("ask-timeout"), ingest.getDuration("rejected-prune-interval"));
  }

  /** Whether rejected messages are also pruned by age. */
  public boolean prunesByAge() {
    return !rejectedRetentionAge.isZero();
  }
}
