package org.meshhub.projections.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.projections.ReadModel;

/**
 * Where each projection instance stands against the journal: its committed offset (an {@code ordering}), the last
 * event of its slice, how many events it is behind and how old the oldest of them is. Read by
 * {@code meshhub projections status} and sampled for {@code /metrics}.
 */
public final class ProjectionStatus {
  private ProjectionStatus() {}

  /**
   * One projection instance.
   *
   * @param projection the projection's name ({@code nodes}, or {@code nodes-rebuild} while a rebuild runs)
   * @param slice the tag it projects
   * @param offset the journal ordering of the last event it committed; {@code null} before its first
   * @param sliceEnd the ordering of the slice's last event in the journal (0 when the slice is empty)
   * @param lagEvents events of the slice after the offset
   * @param lagSeconds age of the oldest of those events (0 when caught up)
   * @param updatedAt when the offset was last committed
   */
  public record Slice(
      String projection, String slice, Long offset, long sliceEnd, long lagEvents, double lagSeconds,
      Instant updatedAt) {}

  /**
   * @param journalEnd the highest ordering in the journal: the number of events written
   * @param slices every live projection instance, then those of rebuilds in progress
   */
  public record Report(long journalEnd, List<Slice> slices) {
    public Report {
      slices = List.copyOf(slices);
    }
  }

  public static Report read(Database database, Instant now) throws SQLException {
    try (Connection c = database.connection()) {
      if (!SchemaMigrations.tableExists(c, "event_journal")) {
        return new Report(0, List.of());
      }
      long journalEnd = single(c, "SELECT COALESCE(MAX(ordering), 0) FROM event_journal");
      List<Slice> slices = new ArrayList<>();
      for (ReadModel model : ReadModel.values()) {
        for (String tag : model.tags()) {
          slices.add(slice(c, model.id(), tag, now));
        }
      }
      for (ReadModel model : ReadModel.values()) {
        for (String tag : model.tags()) {
          Slice rebuild = slice(c, model.rebuildId(), tag, now);
          if (rebuild.offset() != null) {
            slices.add(rebuild);
          }
        }
      }
      return new Report(journalEnd, slices);
    }
  }

  private static Slice slice(Connection c, String projection, String tag, Instant now) throws SQLException {
    Long offset = null;
    Instant updated = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT current_offset, last_updated FROM"
        + " pekko_projection_offset_store WHERE projection_name = ? AND projection_key = ?")) {
      ps.setString(1, projection);
      ps.setString(2, tag);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          offset = Long.parseLong(rs.getString(1));
          updated = Instant.ofEpochMilli(rs.getLong(2));
        }
      }
    }
    long from = offset == null ? 0 : offset;
    long end = single(c, "SELECT COALESCE(MAX(event_id), 0) FROM event_tag WHERE tag = ?", tag);
    long behind = end <= from ? 0 : single(c, "SELECT COUNT(*) FROM event_tag WHERE tag = ? AND event_id > ?",
        tag, from);
    double seconds = 0;
    if (behind > 0) {
      long oldest = single(c, "SELECT COALESCE(MIN(j.write_timestamp), 0) FROM event_journal j WHERE j.ordering ="
          + " (SELECT MIN(t.event_id) FROM event_tag t WHERE t.tag = ? AND t.event_id > ?)", tag, from);
      seconds = oldest == 0 ? 0 : Math.max(0, (now.toEpochMilli() - oldest) / 1000.0);
    }
    return new Slice(projection, tag, offset, end, behind, seconds, updated);
  }

  private static long single(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof Long l) {
          ps.setLong(i + 1, l);
        } else {
          ps.setString(i + 1, (String) params[i]);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
