package org.meshhub.projections.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A WHERE clause assembled from optional filters, with its parameters in order. */
public final class Where {
  private final List<String> clauses = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();

  public Where add(String clause, Object... values) {
    clauses.add(clause);
    Collections.addAll(params, values);
    return this;
  }

  public boolean isEmpty() {
    return clauses.isEmpty();
  }

  /** {@code ""} or {@code " WHERE a AND b"}. */
  public String sql() {
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  public List<Object> params() {
    return List.copyOf(params);
  }

  /**
   * A time range over a column of epoch milliseconds: {@code column >= since} and {@code column < until}, each only
   * when given.
   */
  public Where timeRange(String column, Instant since, Instant until) {
    if (since != null) {
      add(column + " >= ?", since.toEpochMilli());
    }
    if (until != null) {
      add(column + " < ?", until.toEpochMilli());
    }
    return this;
  }

  /**
   * A lower-case hex prefix as an index range: {@code column >= prefix AND column < prefix + 'g'} (every hex digit
   * sorts below {@code g}; PostgreSQL columns holding hex use the C collation).
   */
  public Where hexPrefix(String column, String prefix) {
    return add(column + " >= ? AND " + column + " < ?", prefix, prefix + "g");
  }
}
