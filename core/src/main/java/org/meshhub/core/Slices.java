package org.meshhub.core;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Every entity type tags its events into a fixed number of slices, so that each projection runs one instance per
 * slice. The count is part of the journal's contract: changing it re-partitions the events already written.
 */
public final class Slices {

  public static final int COUNT = 4;

  private Slices() {}

  /** All slice tags of an entity type: {@code [prefix-0, ..., prefix-(COUNT-1)]}. */
  public static List<String> tags(String prefix) {
    return IntStream.range(0, COUNT).mapToObj(slice -> prefix + "-" + slice).toList();
  }

  /** The slice tag of one entity. */
  public static String tagFor(String prefix, String entityId) {
    return prefix + "-" + Math.abs(entityId.hashCode() % COUNT);
  }
}
