package org.meshhub.projections.query;

import java.util.List;

/**
 * One page of a list, the shape of every list the API answers: {@code {items, total, limit, offset}}, plus
 * {@code total_capped}: {@code true} when {@code total} is not the exact count but the {@link Total#cap cap} it
 * stopped at (there are more).
 */
public record Page<T>(List<T> items, long total, int limit, int offset, boolean totalCapped) {
  public Page {
    items = List.copyOf(items);
  }

  /** A page whose total is exact. */
  public Page(List<T> items, long total, int limit, int offset) {
    this(items, total, limit, offset, false);
  }

  public Page(List<T> items, Total total, PageRequest page) {
    this(items, total.value(), page.limit(), page.offset(), total.capped());
  }
}
