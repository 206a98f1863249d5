package org.meshhub.projections.node;

import java.time.Instant;
import org.meshhub.projections.query.QueryException;

/**
 * The filters of {@code GET /api/v1/telemetry}; {@code null} means "not filtered".
 *
 * @param publicKey the node the readings are of
 * @param observedBy the observer that received them
 * @param since received at or after
 * @param until received before
 */
public record TelemetryFilter(String publicKey, String observedBy, Instant since, Instant until) {
  public TelemetryFilter {
    if (since != null && until != null && !since.isBefore(until)) {
      throw new QueryException("until", "must be after since");
    }
  }
}
