package org.meshhub.projections.live;

/**
 * One row of the change feed.
 *
 * @param slice the journal tag of the event
 * @param ordering the event's journal ordering
 * @param kind {@value #MESSAGE}, {@value #ADVERT} or {@value #NODE}
 * @param body the JSON the stream sends as the event's data
 */
public record LiveEvent(String slice, long ordering, String kind, String body) {
  /** A new channel or contact message, shaped like an item of {@code /api/v1/messages}. */
  public static final String MESSAGE = "message";
  /** A new advert, shaped like an item of {@code /api/v1/advertisements}. */
  public static final String ADVERT = "advert";
  /** A node's status report, telemetry or tags changed: {@code {public_key, change, at}}. */
  public static final String NODE = "node";
}
