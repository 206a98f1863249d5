package org.meshhub.projections.query;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code total} of a list. Without filters it is a counter the projections keep (exact, one row read); with
 * filters the matching rows are counted, but at most {@link #cap(PageRequest)} of them, so that a filter matching a
 * million rows does not cost a million index entries on every request.
 *
 * @param capped true when there are more matches than {@code value}
 */
public record Total(long value, boolean capped) {
  /** Matches counted at most, past the end of the requested page. */
  public static final int COUNT_CAP = 1_000;

  public static Total exact(long value) {
    return new Total(value, false);
  }

  /** How far a count goes for this page: {@value #COUNT_CAP}, or the end of the page when it lies further. */
  public static long cap(PageRequest page) {
    return Math.max(COUNT_CAP, (long) page.offset() + page.limit());
  }

  /**
   * Counts the rows of {@code fromWhere} ({@code "FROM t x WHERE ..."}), stopping after the cap.
   */
  public static Total count(Connection c, String fromWhere, List<Object> params, PageRequest page)
      throws SQLException {
    long cap = cap(page);
    List<Object> p = new ArrayList<>(params);
    p.add(cap + 1);
    long n = Rows.count(c, "SELECT COUNT(*) FROM (SELECT 1 " + fromWhere + " LIMIT ?) capped", p);
    return n > cap ? new Total(cap, true) : exact(n);
  }

  /** The sum of two totals; capped when either is. */
  public Total plus(Total other) {
    return new Total(value + other.value, capped || other.capped);
  }
}
