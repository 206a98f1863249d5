package org.meshhub.projections.stats;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/dashboard/activity}: counts per hour or per UTC day, read from the hourly counters the
 * projections keep (a fixed number of counter rows per bucket, whatever the traffic).
 *
 * @param bucket {@code hour} or {@code day}
 * @param days how many days back the buckets reach (the current hour or day included)
 * @param items one per bucket, oldest first; empty buckets included with zeros
 */
public record Activity(String bucket, int days, Instant from, Instant until, List<Bucket> items) {
  public static final String HOUR = "hour";
  public static final String DAY = "day";
  public static final int MAX_DAYS = 90;
  public static final int MAX_HOURLY_DAYS = 31;

  public Activity {
    items = List.copyOf(items);
  }

  /**
   * @param start the bucket's first instant
   * @param adverts adverts first heard in it
   * @param channelMessages channel messages first heard in it
   * @param messages channel and contact messages first heard in it
   * @param receptions every reception in it: adverts, messages, traces and other packets, per observer
   */
  public record Bucket(Instant start, long adverts, long channelMessages, long messages, long receptions) {}
}
