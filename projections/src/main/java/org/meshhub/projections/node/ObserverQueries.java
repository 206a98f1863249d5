package org.meshhub.projections.node;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.db.Database;
import org.meshhub.projections.Sql;
import org.meshhub.projections.StatDeltas;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Rows;
import org.meshhub.projections.query.Total;

/**
 * Reads of the observers: nodes with a status feed, whether they are online, their latest status reports, and their
 * receptions per hour from the hourly counters of both read models ({@code advert_reception_hours},
 * {@code reception_hours}). Every part is an index lookup per observer, whatever the number of receptions.
 */
public final class ObserverQueries {
  /** Status reports shown per observer in the list, and in one observer's detail. */
  public static final int LIST_HISTORY = 5;
  public static final int DETAIL_HISTORY = 50;
  /** Hours of reception counts: the current one and the 23 before. */
  public static final int HOURS = 24;
  /** How recently an online observer was heard. */
  public static final long ONLINE_WITHIN_MS = 3_600_000L;
  /**
   * What online means wherever it is shown (each observer here, the count of {@code dashboard/stats}): heard within
   * the last hour and its last status not {@code offline}. A condition over {@code nodes} whose one parameter is now
   * minus {@link #ONLINE_WITHIN_MS}.
   */
  public static final String ONLINE = "last_seen >= ? AND (observer_status IS NULL OR observer_status <> 'offline')";
  /** The orders of {@link #list}: most recently seen first, or by name (unnamed last). */
  public static final List<String> SORTS = List.of("last_seen", "name");

  private static final String COLUMNS = "n.public_key, n.name, n.observer_status, n.model, n.firmware_version,"
      + " n.radio, n.client_version, n.status_reported_at, n.first_seen, n.last_seen,"
      + " CASE WHEN " + ONLINE + " THEN 1 ELSE 0 END AS online,"
      + " (SELECT MAX(r.received_at) FROM receptions r WHERE r.observer = n.public_key) AS last_packet,"
      + " (SELECT MAX(a.received_at) FROM advert_receptions a WHERE a.observer = n.public_key) AS last_advert";

  private final Database database;
  private final Clock clock;

  public ObserverQueries(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Observers in one of the {@link #SORTS}: {@code last_seen} (most recently seen first) or {@code name}. */
  public Page<ObserverViews.Observer> list(String sort, PageRequest page) throws SQLException {
    String order = switch (sort) {
      case "last_seen" -> "n.last_seen DESC NULLS LAST";
      case "name" -> "n.name ASC NULLS LAST";
      default -> throw new IllegalArgumentException("sort must be one of " + SORTS + ", got " + sort);
    };
    long now = clock.millis();
    try (Connection c = database.connection()) {
      Total total = Total.count(c, "FROM nodes n WHERE n.is_observer = TRUE", List.of(), page);
      List<Row> rows = Rows.list(c, "SELECT " + COLUMNS + " FROM nodes n WHERE n.is_observer = TRUE"
          + " ORDER BY " + order + ", n.public_key LIMIT ? OFFSET ?",
          List.of(now - ONLINE_WITHIN_MS, page.limit(), page.offset()), ObserverQueries::row);
      return new Page<>(complete(c, rows, LIST_HISTORY, now), total, page);
    }
  }

  /** One observer, or empty when the key is not an observer's. */
  public Optional<ObserverViews.Observer> get(String publicKey) throws SQLException {
    long now = clock.millis();
    try (Connection c = database.connection()) {
      List<Row> rows = Rows.list(c, "SELECT " + COLUMNS + " FROM nodes n WHERE n.public_key = ?"
          + " AND n.is_observer = TRUE", List.of(now - ONLINE_WITHIN_MS, publicKey), ObserverQueries::row);
      return complete(c, rows, DETAIL_HISTORY, now).stream().findFirst();
    }
  }

  private record Row(String publicKey, String name, String status, boolean online, String model,
      String firmwareVersion, String radio, String clientVersion, Instant statusReportedAt, Instant firstSeen,
      Instant lastSeen, Instant lastHeard) {}

  private static Row row(java.sql.ResultSet rs) throws SQLException {
    Long packet = Sql.getLong(rs, "last_packet");
    Long advert = Sql.getLong(rs, "last_advert");
    Long last = packet == null ? advert : advert == null ? packet : Long.valueOf(Math.max(packet, advert));
    return new Row(rs.getString("public_key"), rs.getString("name"), rs.getString("observer_status"),
        rs.getInt("online") == 1, rs.getString("model"), rs.getString("firmware_version"), rs.getString("radio"),
        rs.getString("client_version"), Sql.getInstant(rs, "status_reported_at"), Sql.getInstant(rs, "first_seen"),
        Sql.getInstant(rs, "last_seen"), last == null ? null : Instant.ofEpochMilli(last));
  }

  private List<ObserverViews.Observer> complete(Connection c, List<Row> rows, int history, long now)
      throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Object> keys = new ArrayList<>();
    rows.forEach(r -> keys.add(r.publicKey()));
    long currentHour = StatDeltas.hourOf(now);
    // The share of the previous hour that lies within the last 60 minutes.
    double previousShare = 1 - (now - currentHour * 3_600_000L) / 3_600_000.0;
    long firstHour = currentHour - HOURS + 1;
    Map<String, Map<Long, Long>> hours = new HashMap<>();
    List<Object> params = new ArrayList<>(keys);
    params.add(firstHour);
    params.addAll(keys);
    params.add(firstHour);
    String in = Rows.placeholders(keys.size());
    Rows.list(c, "SELECT observer, hour, SUM(receptions) AS n FROM ("
        + "SELECT observer, hour, receptions FROM reception_hours WHERE observer IN (" + in + ") AND hour >= ?"
        + " UNION ALL SELECT observer, hour, receptions FROM advert_reception_hours WHERE observer IN (" + in + ")"
        + " AND hour >= ?) h GROUP BY observer, hour", params, rs -> {
          hours.computeIfAbsent(rs.getString("observer"), k -> new HashMap<>())
              .put(rs.getLong("hour"), rs.getLong("n"));
          return null;
        });
    Map<String, List<ObserverViews.StatusReport>> reports = new HashMap<>();
    StringBuilder union = new StringBuilder();
    List<Object> historyParams = new ArrayList<>();
    for (Object key : keys) {
      union.append(union.length() == 0 ? "" : " UNION ALL ").append("SELECT * FROM (SELECT public_key, reported_at,"
          + " status, model, firmware_version, radio, client_version, stats_json FROM observer_status_history"
          + " WHERE public_key = ? ORDER BY reported_at DESC LIMIT ?) h").append(historyParams.size());
      historyParams.add(key);
      historyParams.add(history);
    }
    Rows.list(c, "SELECT * FROM (" + union + ") reports ORDER BY public_key, reported_at DESC", historyParams,
        rs -> {
          reports.computeIfAbsent(rs.getString("public_key"), k -> new ArrayList<>()).add(
              new ObserverViews.StatusReport(Sql.getInstant(rs, "reported_at"), rs.getString("status"),
                  rs.getString("model"), rs.getString("firmware_version"), rs.getString("radio"),
                  rs.getString("client_version"), Rows.json(rs.getString("stats_json"))));
          return null;
        });
    List<ObserverViews.Observer> out = new ArrayList<>();
    for (Row r : rows) {
      Map<Long, Long> counts = hours.getOrDefault(r.publicKey(), Map.of());
      List<ObserverViews.HourCount> perHour = new ArrayList<>();
      long sum = 0;
      for (long h = firstHour; h <= currentHour; h++) {
        long n = counts.getOrDefault(h, 0L);
        sum += n;
        perHour.add(new ObserverViews.HourCount(Instant.ofEpochMilli(h * 3_600_000L), n));
      }
      long lastHour = counts.getOrDefault(currentHour, 0L)
          + Math.round(counts.getOrDefault(currentHour - 1, 0L) * previousShare);
      out.add(new ObserverViews.Observer(r.publicKey(), r.name(), r.status(), r.online(), r.model(),
          r.firmwareVersion(), r.radio(), r.clientVersion(), r.statusReportedAt(), r.firstSeen(), r.lastSeen(),
          r.lastHeard(), lastHour, sum, perHour, reports.getOrDefault(r.publicKey(), List.of())));
    }
    return out;
  }
}
