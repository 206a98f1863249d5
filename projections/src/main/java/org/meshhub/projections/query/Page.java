package org.meshhub.projections.query;

import java.util.List;

/** One page of a list, the shape of every list the API answers: {@code {items, total, limit, offset}}. */
public record Page<T>(List<T> items, long total, int limit, int offset) {
  public Page {
    items = List.copyOf(items);
  }
}
