package org.meshhub.projections.message;

import java.time.Instant;
import java.util.List;
import org.meshhub.projections.query.QueryException;

/**
 * The filters of {@code GET /api/v1/messages}; {@code null} means "not filtered".
 *
 * @param messageType {@code channel} or {@code contact}
 * @param channelIdx the channel hash byte, 0-255
 * @param pubkeyPrefix the sender's public key or a prefix of it (contact messages carry the first byte of it)
 * @param observedBy only messages this observer heard
 * @param since first heard at or after
 * @param until first heard before
 * @param search words that must all appear in the text or the sender's name
 */
public record MessageFilter(
    String messageType,
    Integer channelIdx,
    String pubkeyPrefix,
    String observedBy,
    Instant since,
    Instant until,
    String search) {

  public static final List<String> TYPES = List.of("channel", "contact");

  public MessageFilter {
    if (messageType != null && !TYPES.contains(messageType)) {
      throw new QueryException("message_type", "must be channel or contact, got [" + messageType + "]");
    }
    if (channelIdx != null && (channelIdx < 0 || channelIdx > 255)) {
      throw new QueryException("channel_idx", "must be between 0 and 255, got " + channelIdx);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new QueryException("until", "must be after since");
    }
    if (search != null) {
      TextSearch.words(search);
    }
  }

  public static MessageFilter none() {
    return new MessageFilter(null, null, null, null, null, null, null);
  }
}
