package org.meshhub.projections.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * A position in the change feed: per slice, the journal ordering of the last event seen, and the generation of the
 * read models it belongs to (bumped by every rebuild that swapped fresh tables in). It is the {@code id} of every
 * event of {@code GET /api/v1/stream}, so a client's {@code Last-Event-ID} says exactly where to resume, slice by
 * slice: {@code <generation>~<ordering of node-0>,...,<ordering of message-3>}.
 */
public record LiveCursor(String generation, Map<String, Long> orderings) {
  /** Every slice of the feed, in the order of the text form. */
  public static final List<String> SLICES = slices();

  public LiveCursor {
    if (!generation.matches("[0-9]+\\.[0-9]+")) {
      throw new IllegalArgumentException("bad generation " + generation);
    }
    Map<String, Long> copy = new LinkedHashMap<>();
    for (String slice : SLICES) {
      copy.put(slice, orderings.getOrDefault(slice, 0L));
    }
    orderings = Map.copyOf(copy);
  }

  private static List<String> slices() {
    List<String> all = new ArrayList<>(NodeEntity.TAGS);
    all.addAll(MessageEntity.TAGS);
    return List.copyOf(all);
  }

  /** The generation text of the two read models' generation numbers. */
  public static String generation(long nodes, long messages) {
    return nodes + "." + messages;
  }

  public long ordering(String slice) {
    return orderings.getOrDefault(slice, 0L);
  }

  /** This cursor moved to {@code ordering} in {@code slice} (never backwards). */
  public LiveCursor with(String slice, long ordering) {
    if (ordering <= ordering(slice)) {
      return this;
    }
    Map<String, Long> next = new LinkedHashMap<>(orderings);
    next.put(slice, ordering);
    return new LiveCursor(generation, next);
  }

  /** Whether an event of {@code slice} at {@code ordering} lies beyond this cursor. */
  public boolean isBefore(String slice, long ordering) {
    return ordering > ordering(slice);
  }

  /** The text form, as sent in the stream's {@code id} field. */
  public String text() {
    StringBuilder sb = new StringBuilder(generation).append('~');
    for (int i = 0; i < SLICES.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(ordering(SLICES.get(i)));
    }
    return sb.toString();
  }

  /** Parses a {@code Last-Event-ID}; empty when it is not one of ours (then the client starts over). */
  public static Optional<LiveCursor> parse(String text) {
    if (text == null || text.length() > 400) {
      return Optional.empty();
    }
    int tilde = text.indexOf('~');
    if (tilde < 0) {
      return Optional.empty();
    }
    String generation = text.substring(0, tilde);
    String[] parts = text.substring(tilde + 1).split(",", -1);
    if (!generation.matches("[0-9]{1,18}\\.[0-9]{1,18}") || parts.length != SLICES.size()) {
      return Optional.empty();
    }
    Map<String, Long> orderings = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("[0-9]{1,18}")) {
        return Optional.empty();
      }
      orderings.put(SLICES.get(i), Long.parseLong(parts[i]));
    }
    return Optional.of(new LiveCursor(generation, orderings));
  }

  @Override
  public String toString() {
    return text();
  }
}
