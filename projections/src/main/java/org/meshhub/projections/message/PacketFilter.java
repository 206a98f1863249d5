package org.meshhub.projections.message;

import java.time.Instant;
import java.util.List;
import org.meshhub.projections.query.QueryException;

/**
 * The filters of {@code GET /api/v1/packets}; {@code null} means "not filtered".
 *
 * @param packetHash one packet (16 upper-case hex)
 * @param observedBy receptions by this observer
 * @param publicKey receptions of this node's adverts
 * @param kind {@code advert}, {@code message}, {@code trace} or {@code packet}
 * @param since received at or after
 * @param until received before
 */
public record PacketFilter(String packetHash, String observedBy, String publicKey, String kind, Instant since,
    Instant until) {
  public static final String ADVERT = "advert";
  public static final List<String> KINDS = List.of(ADVERT, "message", "trace", "packet");

  public PacketFilter {
    if (kind != null && !KINDS.contains(kind)) {
      throw new QueryException("kind", "must be one of " + String.join(", ", KINDS) + ", got [" + kind + "]");
    }
    if (publicKey != null && kind != null && !ADVERT.equals(kind)) {
      throw new QueryException("public_key", "selects advert receptions; it cannot be combined with kind=" + kind);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new QueryException("until", "must be after since");
    }
  }

  /** Whether advert receptions (node read model) can match. */
  boolean adverts() {
    return kind == null || ADVERT.equals(kind);
  }

  /** Whether message, trace and packet receptions (message read model) can match. */
  boolean others() {
    return publicKey == null && !ADVERT.equals(kind);
  }
}
