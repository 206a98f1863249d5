package org.meshhub.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the source looked like when the copy began: its schema version, a digest of its table definitions, and per
 * table the row count and the highest key. MeshHub only ever appends to its tables, so a source that was written to
 * since (new events, a newer MeshHub that upgraded it) has a different fingerprint, and resuming the copy on it would
 * mix two states; the command refuses that.
 *
 * @param tables per table: rows and highest key
 */
public record Fingerprint(int schemaVersion, String schemaDigest, Map<String, Mark> tables) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Fingerprint {
    tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /** A table's size and high-water mark. */
  public record Mark(long rows, String maxKey) {}

  /** Digest of the {@code CREATE TABLE} statements of the copied tables. */
  static String digest(List<SourceDatabase.Table> tables) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (SourceDatabase.Table t : tables) {
        md.update(t.name().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(t.sql().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", schemaVersion);
    m.put("schema_digest", schemaDigest);
    Map<String, Object> t = new LinkedHashMap<>();
    tables.forEach((name, mark) -> t.put(name, List.of(mark.rows(), mark.maxKey() == null ? "" : mark.maxKey())));
    m.put("tables", t);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@link #toJson()}; an unreadable fingerprint reads as one that matches nothing. */
  public static Fingerprint fromJson(String json) {
    try {
      Map<String, Object> m = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      Map<String, Mark> tables = new LinkedHashMap<>();
      @SuppressWarnings("unchecked")
      Map<String, List<Object>> t = (Map<String, List<Object>>) m.get("tables");
      t.forEach((name, v) -> {
        String key = String.valueOf(v.get(1));
        tables.put(name, new Mark(((Number) v.get(0)).longValue(), key.isEmpty() ? null : key));
      });
      return new Fingerprint(((Number) m.get("schema_version")).intValue(), (String) m.get("schema_digest"), tables);
    } catch (JsonProcessingException | RuntimeException e) {
      return new Fingerprint(-1, "unreadable", Map.of());
    }
  }

  /** What differs between the fingerprint taken then ({@code this}) and now, for people; empty when nothing does. */
  public List<String> differences(Fingerprint now) {
    List<String> out = new ArrayList<>();
    if (schemaVersion != now.schemaVersion) {
      out.add("schema version " + schemaVersion + " then, " + now.schemaVersion + " now");
    } else if (!schemaDigest.equals(now.schemaDigest)) {
      out.add("the table definitions differ");
    }
    TreeSet<String> names = new TreeSet<>(tables.keySet());
    names.addAll(now.tables.keySet());
    for (String name : names) {
      Mark then = tables.get(name);
      Mark current = now.tables.get(name);
      if (then == null) {
        out.add("table " + name + " is new");
      } else if (current == null) {
        out.add("table " + name + " is gone");
      } else if (then.rows() != current.rows() || !Objects.equals(then.maxKey(), current.maxKey())) {
        out.add(name + " had " + then.rows() + " rows then, " + current.rows() + " now");
      }
    }
    return out;
  }
}
