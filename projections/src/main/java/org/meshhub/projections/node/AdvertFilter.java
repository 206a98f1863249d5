package org.meshhub.projections.node;

import java.time.Instant;
import org.meshhub.projections.query.QueryException;

/**
 * The filters of {@code GET /api/v1/advertisements}; {@code null} means "not filtered".
 *
 * @param publicKey the advertising node
 * @param observedBy only adverts this observer heard
 * @param since first heard at or after
 * @param until first heard before
 */
public record AdvertFilter(String publicKey, String observedBy, Instant since, Instant until) {
  public AdvertFilter {
    if (since != null && until != null && !since.isBefore(until)) {
      throw new QueryException("until", "must be after since");
    }
  }

  public static AdvertFilter none() {
    return new AdvertFilter(null, null, null, null);
  }
}
