package org.meshhub.projections.stats;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshhub.core.db.Database;
import org.meshhub.projections.Sql;
import org.meshhub.projections.StatDeltas;
import org.meshhub.projections.message.MessageProjectionHandler;
import org.meshhub.projections.node.NodeProjectionHandler;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.query.Rows;

/** The dashboard's figures, read from the counters the projections keep rather than counted over whole tables. */
public final class DashboardQueries {
  public static final int RECENT_ADVERTS = 10;

  private final Database database;
  private final Clock clock;

  public DashboardQueries(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  public DashboardStats stats() throws SQLException {
    Instant now = clock.instant();
    long hour = StatDeltas.hourOf(now.toEpochMilli());
    long midnight = StatDeltas.hourOf(LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC)
        .toInstant().toEpochMilli());
    try (Connection c = database.connection()) {
      long nodes = NodeQueries.counter(c, "node_stats", NodeProjectionHandler.NODES_TOTAL);
      long active = Rows.count(c, "SELECT COUNT(*) FROM nodes WHERE last_seen >= ?",
          List.of(now.toEpochMilli() - 24 * 3_600_000L));
      long messages = NodeQueries.counter(c, "message_stats", MessageProjectionHandler.MESSAGES_TOTAL);
      long messagesToday = hourly(c, "message_stats", MessageProjectionHandler.MESSAGES_HOUR, midnight);
      long messages7d = hourly(c, "message_stats", MessageProjectionHandler.MESSAGES_HOUR, hour - 167);
      long adverts = NodeQueries.counter(c, "node_stats", NodeProjectionHandler.ADVERTS_TOTAL);
      long adverts24h = hourly(c, "node_stats", NodeProjectionHandler.ADVERTS_HOUR, hour - 23);
      long adverts7d = hourly(c, "node_stats", NodeProjectionHandler.ADVERTS_HOUR, hour - 167);
      List<DashboardStats.ChannelCount> channels = Rows.list(c, "SELECT channel_idx, MAX(channel_name) AS name,"
          + " SUM(message_count) AS n FROM channel_stats GROUP BY channel_idx ORDER BY n DESC, channel_idx",
          List.of(), rs -> new DashboardStats.ChannelCount(rs.getInt("channel_idx"), rs.getString("name"),
              rs.getLong("n")));
      Map<Integer, Long> counts = new LinkedHashMap<>();
      channels.forEach(ch -> counts.put(ch.channelIdx(), ch.count()));
      List<DashboardStats.RecentAdvert> recent = Rows.list(c, "SELECT a.public_key, COALESCE(n.name, a.name)"
          + " AS name, a.adv_type, a.received_at FROM advertisements a LEFT JOIN nodes n"
          + " ON n.public_key = a.public_key ORDER BY a.received_at DESC LIMIT " + RECENT_ADVERTS, List.of(),
          rs -> new DashboardStats.RecentAdvert(rs.getString("public_key"), rs.getString("name"),
              rs.getString("adv_type"), Sql.getInstant(rs, "received_at")));
      return new DashboardStats(nodes, active, messages, messagesToday, messages7d, adverts, adverts24h,
          adverts7d, counts, channels, recent, now);
    }
  }

  private static long hourly(Connection c, String table, String metric, long fromHour) throws SQLException {
    return Rows.count(c, "SELECT COALESCE(SUM(value), 0) FROM " + table + " WHERE metric = ? AND bucket >= ?",
        List.of(metric, fromHour));
  }
}
