package org.meshhub.projections.message;

import java.time.Instant;
import org.meshhub.projections.query.QueryException;

/**
 * The filters of {@code GET /api/v1/trace-paths}; {@code null} means "not filtered".
 *
 * @param observedBy only traces this observer heard
 * @param since first heard at or after
 * @param until first heard before
 */
public record TraceFilter(String observedBy, Instant since, Instant until) {
  public TraceFilter {
    if (since != null && until != null && !since.isBefore(until)) {
      throw new QueryException("until", "must be after since");
    }
  }
}
