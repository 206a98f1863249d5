package org.meshhub.projections;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counter increments gathered over one batch and written once at its end, one row per (metric, bucket, slice) so
 * that the slices of a projection never wait on each other's counter rows.
 */
public final class StatDeltas {
  /** Hours since the epoch: the bucket of the hourly counters. */
  public static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, 3_600_000L);
  }

  private record Key(String metric, long bucket) {}

  private final String table;
  private final String slice;
  private final Map<Key, Long> deltas = new LinkedHashMap<>();

  public StatDeltas(String table, String slice) {
    this.table = table;
    this.slice = slice;
  }

  public void add(String metric, long bucket) {
    deltas.merge(new Key(metric, bucket), 1L, Long::sum);
  }

  public void flush(Sql sql) throws SQLException {
    String upsert = "INSERT INTO " + table + " (metric, bucket, slice, value) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (metric, bucket, slice) DO UPDATE SET value = " + table + ".value + excluded.value";
    for (Map.Entry<Key, Long> e : deltas.entrySet()) {
      sql.update(upsert, e.getKey().metric(), e.getKey().bucket(), slice, e.getValue());
    }
    deltas.clear();
  }
}
