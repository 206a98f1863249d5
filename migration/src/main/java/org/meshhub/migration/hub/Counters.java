package org.meshhub.migration.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counts of one source table's import: rows read, mapped and not mapped (by {@link Unmapped} reason), the
 * read rows the mapped rows must become, and what the entities answered. Kept in the table's checkpoint, so they
 * survive an interrupted run exactly as far as the checkpoint does.
 */
final class Counters {
  static final String ROWS = "rows";
  static final String MAPPED = "mapped";
  /** Source rows of {@code event_observers} read with the table's events. */
  static final String OBSERVERS = "observers";
  /** Of those, the ones that became a reception (offered to an entity). */
  static final String OBSERVERS_MAPPED = "observers.mapped";
  static final String EVENTS = "events";
  static final String RECORDED = "recorded";
  static final String RECEPTIONS_ADDED = "receptions_added";
  static final String DUPLICATES = "duplicates";
  /** Prefix of the read rows a table is expected to leave: {@code expect.<read table>}. */
  static final String EXPECT = "expect.";
  /** Prefix of rows mapped with a note (a time or an id derived as MeshHub derives it). */
  static final String NOTE = "note.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Long> values = new TreeMap<>();

  void add(String name, long n) {
    if (n != 0) {
      values.merge(name, n, Long::sum);
    }
  }

  void increment(String name) {
    add(name, 1);
  }

  void unmapped(Unmapped reason) {
    increment(reason.counter());
  }

  void unmapped(Unmapped reason, long n) {
    add(reason.counter(), n);
  }

  long get(String name) {
    return values.getOrDefault(name, 0L);
  }

  void addAll(Counters other) {
    other.values.forEach(this::add);
  }

  Map<String, Long> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  Counters copy() {
    Counters c = new Counters();
    c.addAll(this);
    return c;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Counters fromJson(String json) {
    Counters c = new Counters();
    if (json == null || json.isBlank()) {
      return c;
    }
    try {
      Map<String, Long> m = JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
      m.forEach(c::add);
      return c;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint's counters cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
