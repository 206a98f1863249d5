package org.meshhub.projections.query;

/**
 * Which page of a list: at most {@value #MAX_LIMIT} items ({@value #DEFAULT_LIMIT} by default), from
 * {@code offset}.
 */
public record PageRequest(int limit, int offset) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final int MAX_OFFSET = 10_000_000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new QueryException("limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new QueryException("offset", "must be between 0 and " + MAX_OFFSET + ", got " + offset);
    }
  }

  public static PageRequest first() {
    return new PageRequest(DEFAULT_LIMIT, 0);
  }
}
