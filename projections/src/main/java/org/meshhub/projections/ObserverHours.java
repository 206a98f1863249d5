package org.meshhub.projections;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receptions per observer and hour, gathered over one batch and written once at its end, one row per
 * (observer, hour, slice) so that the slices of a projection never wait on each other's rows.
 */
public final class ObserverHours {
  private record Key(String observer, long hour) {}

  private final String table;
  private final String slice;
  private final Map<Key, Long> deltas = new LinkedHashMap<>();

  /** @param table the physical name of a table with columns (observer, hour, slice, receptions) */
  public ObserverHours(String table, String slice) {
    this.table = table;
    this.slice = slice;
  }

  /** One more reception by the observer at the given epoch millisecond. */
  public void add(String observer, long epochMillis) {
    deltas.merge(new Key(observer, StatDeltas.hourOf(epochMillis)), 1L, Long::sum);
  }

  public void flush(Sql sql) throws SQLException {
    String upsert = "INSERT INTO " + table + " (observer, hour, slice, receptions) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (observer, hour, slice) DO UPDATE SET receptions = " + table + ".receptions"
        + " + excluded.receptions";
    for (Map.Entry<Key, Long> e : deltas.entrySet()) {
      sql.update(upsert, e.getKey().observer(), e.getKey().hour(), slice, e.getValue());
    }
    deltas.clear();
  }
}
