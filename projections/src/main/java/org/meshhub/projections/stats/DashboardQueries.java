package org.meshhub.projections.stats;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshhub.core.db.Database;
import org.meshhub.projections.Sql;
import org.meshhub.projections.StatDeltas;
import org.meshhub.projections.message.MessageProjectionHandler;
import org.meshhub.projections.node.NodeProjectionHandler;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.node.ObserverQueries;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.Rows;

/** The dashboard's figures, read from the counters the projections keep rather than counted over whole tables. */
public final class DashboardQueries {
  public static final int RECENT_ADVERTS = 10;
  /** Positioned nodes the map gets at most. */
  public static final int MAP_LIMIT = 50_000;

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
      long observers = Rows.count(c, "SELECT COUNT(*) FROM nodes WHERE is_observer = ?", List.of(true));
      long online = Rows.count(c, "SELECT COUNT(*) FROM nodes WHERE is_observer = ? AND " + ObserverQueries.ONLINE,
          List.of(true, now.toEpochMilli() - ObserverQueries.ONLINE_WITHIN_MS));
      return new DashboardStats(nodes, active, messages, messagesToday, messages7d, adverts, adverts24h,
          adverts7d, counts, channels, recent, observers, online, now);
    }
  }

  /**
   * Activity per hour or per UTC day over the last {@code days} days (the current hour or day included), from the
   * hourly counters: the rows read grow with the buckets asked for, never with the traffic.
   */
  public Activity activity(int days, String bucket) throws SQLException {
    if (days < 1 || days > Activity.MAX_DAYS) {
      throw new IllegalArgumentException("days must be between 1 and " + Activity.MAX_DAYS);
    }
    boolean daily = Activity.DAY.equals(bucket);
    Instant now = clock.instant();
    long hour = StatDeltas.hourOf(now.toEpochMilli());
    long firstHour = daily ? (Math.floorDiv(hour, 24) - days + 1) * 24 : hour - 24L * days + 1;
    long width = daily ? 24 : 1;
    int count = (int) ((hour - firstHour) / width + 1);
    long[][] sums = new long[count][5];
    try (Connection c = database.connection()) {
      add(c, "node_stats", List.of(NodeProjectionHandler.ADVERTS_HOUR, NodeProjectionHandler.ADVERT_RECEPTIONS_HOUR),
          firstHour, hour, width, sums);
      add(c, "message_stats", List.of(MessageProjectionHandler.CHANNEL_MESSAGES_HOUR,
          MessageProjectionHandler.MESSAGES_HOUR, MessageProjectionHandler.RECEPTIONS_HOUR), firstHour, hour, width,
          sums);
    }
    List<Activity.Bucket> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long[] s = sums[i];
      items.add(new Activity.Bucket(Instant.ofEpochMilli((firstHour + i * width) * 3_600_000L), s[0], s[2], s[3],
          s[1] + s[4]));
    }
    return new Activity(daily ? Activity.DAY : Activity.HOUR, days, Instant.ofEpochMilli(firstHour * 3_600_000L),
        now, items);
  }

  /** Column of each metric in the sums: adverts, advert receptions, channel messages, messages, receptions. */
  private static int column(String metric) {
    return switch (metric) {
      case NodeProjectionHandler.ADVERTS_HOUR -> 0;
      case NodeProjectionHandler.ADVERT_RECEPTIONS_HOUR -> 1;
      case MessageProjectionHandler.CHANNEL_MESSAGES_HOUR -> 2;
      case MessageProjectionHandler.MESSAGES_HOUR -> 3;
      case MessageProjectionHandler.RECEPTIONS_HOUR -> 4;
      default -> throw new IllegalArgumentException(metric);
    };
  }

  private static void add(Connection c, String table, List<String> metrics, long firstHour, long lastHour,
      long width, long[][] sums) throws SQLException {
    List<Object> params = new ArrayList<>(metrics);
    params.add(firstHour);
    params.add(lastHour);
    Rows.list(c, "SELECT metric, bucket, SUM(value) AS n FROM " + table + " WHERE metric IN ("
        + Rows.placeholders(metrics.size()) + ") AND bucket >= ? AND bucket <= ? GROUP BY metric, bucket", params,
        rs -> {
          int i = (int) ((rs.getLong("bucket") - firstHour) / width);
          sums[i][column(rs.getString("metric"))] += rs.getLong("n");
          return null;
        });
  }

  /** Every node with a position (not 0, 0), at most {@value #MAP_LIMIT}, most recently heard first. */
  public Page<DashboardViews.MapNode> mapNodes() throws SQLException {
    try (Connection c = database.connection()) {
      String where = " FROM nodes WHERE lat IS NOT NULL AND lon IS NOT NULL AND NOT (lat = 0 AND lon = 0)";
      long total = Rows.count(c, "SELECT COUNT(*)" + where, List.of());
      List<DashboardViews.MapNode> nodes = Rows.list(c, "SELECT public_key, name, adv_type, lat, lon, last_seen,"
          + " is_observer" + where + " ORDER BY last_seen DESC, public_key LIMIT " + MAP_LIMIT, List.of(),
          rs -> new DashboardViews.MapNode(rs.getString("public_key"), rs.getString("name"),
              rs.getString("adv_type"), rs.getDouble("lat"), rs.getDouble("lon"), Sql.getInstant(rs, "last_seen"),
              rs.getBoolean("is_observer")));
      return new Page<>(nodes, total, MAP_LIMIT, 0);
    }
  }

  private static long hourly(Connection c, String table, String metric, long fromHour) throws SQLException {
    return Rows.count(c, "SELECT COALESCE(SUM(value), 0) FROM " + table + " WHERE metric = ? AND bucket >= ?",
        List.of(metric, fromHour));
  }
}
