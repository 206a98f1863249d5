package org.meshhub.projections.node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.db.Database;
import org.meshhub.projections.Sql;
import org.meshhub.projections.query.Observation;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Rows;
import org.meshhub.projections.query.Total;
import org.meshhub.projections.query.Where;

/** Reads of the node read model: the node list, one node in detail, and the advertisement list. */
public final class NodeQueries {
  /** How many adverts and telemetry readings a node's detail shows. */
  public static final int DETAIL_RECENT = 10;

  private static final String NODE_COLUMNS = "n.public_key, n.name, n.adv_type, n.flags, n.lat, n.lon,"
      + " n.last_advert_timestamp, n.first_seen, n.last_seen, n.is_observer, n.advert_count, n.reception_count";

  private final Database database;

  public NodeQueries(Database database) {
    this.database = database;
  }

  public Page<NodeViews.Node> list(NodeFilter filter, PageRequest page) throws SQLException {
    Where where = new Where();
    if (filter.search() != null && !filter.search().isBlank()) {
      String term = filter.search().trim().toLowerCase(java.util.Locale.ROOT);
      if (term.matches("[0-9a-f]{1,64}")) {
        where.add("(LOWER(n.name) LIKE ? ESCAPE '\\' OR (n.public_key >= ? AND n.public_key < ?))",
            "%" + Rows.likeEscape(term) + "%", term, term + "g");
      } else {
        where.add("LOWER(n.name) LIKE ? ESCAPE '\\'", "%" + Rows.likeEscape(term) + "%");
      }
    }
    if (filter.pubkeyPrefix() != null) {
      where.hexPrefix("n.public_key", filter.pubkeyPrefix());
    }
    if (filter.advType() != null) {
      where.add("n.adv_type = ?", filter.advType());
    }
    if (filter.observer() != null) {
      where.add("n.is_observer = ?", filter.observer());
    }
    if (filter.observedBy() != null) {
      where.add("n.public_key IN (SELECT o.public_key FROM node_observers o WHERE o.observer = ?)",
          filter.observedBy());
    }
    String direction = filter.ascending() ? "ASC" : "DESC";
    String order = " ORDER BY n." + filter.sort() + " " + direction + " NULLS LAST, n.public_key " + direction;
    try (Connection c = database.connection()) {
      Total total = where.isEmpty()
          ? Total.exact(counter(c, "node_stats", NodeProjectionHandler.NODES_TOTAL))
          : Total.count(c, "FROM nodes n" + where.sql(), where.params(), page);
      List<Object> params = new ArrayList<>(where.params());
      params.add(page.limit());
      params.add(page.offset());
      List<NodeViews.Node> nodes = Rows.list(c, "SELECT " + NODE_COLUMNS + " FROM nodes n" + where.sql() + order
          + " LIMIT ? OFFSET ?", params, NodeQueries::node);
      List<String> keys = nodes.stream().map(NodeViews.Node::publicKey).toList();
      Map<String, List<NodeViews.Tag>> tags = tags(c, keys);
      Map<String, Long> observers = observerCounts(c, keys);
      List<NodeViews.Node> withTags = new ArrayList<>();
      for (NodeViews.Node n : nodes) {
        withTags.add(n.with(tags.getOrDefault(n.publicKey(), List.of()), observers.getOrDefault(n.publicKey(), 0L)));
      }
      return new Page<>(withTags, total, page);
    }
  }

  /** One node in detail, or empty when no event ever named it. */
  public Optional<NodeViews.NodeDetail> get(String publicKey) throws SQLException {
    try (Connection c = database.connection()) {
      List<NodeViews.NodeDetail> found = Rows.list(c, "SELECT " + NODE_COLUMNS + ", n.observer_status, n.model,"
          + " n.firmware_version, n.radio, n.client_version, n.stats_json, n.status_reported_at"
          + " FROM nodes n WHERE n.public_key = ?", List.of(publicKey), rs -> {
            NodeViews.Node n = node(rs);
            Long reported = Sql.getLong(rs, "status_reported_at");
            NodeViews.ObserverStatus status = reported == null ? null : new NodeViews.ObserverStatus(
                rs.getString("observer_status"), rs.getString("model"), rs.getString("firmware_version"),
                rs.getString("radio"), rs.getString("client_version"), Rows.json(rs.getString("stats_json")),
                java.time.Instant.ofEpochMilli(reported));
            return new NodeViews.NodeDetail(n.publicKey(), n.name(), n.advType(), n.flags(), n.lat(), n.lon(),
                n.lastAdvertAt(), n.firstSeen(), n.lastSeen(), n.observer(), n.advertCount(), n.receptionCount(),
                List.of(), status, List.of(), List.of(), List.of());
          });
      if (found.isEmpty()) {
        return Optional.empty();
      }
      NodeViews.NodeDetail d = found.get(0);
      List<NodeViews.Tag> tags = tags(c, List.of(publicKey)).getOrDefault(publicKey, List.of());
      List<NodeViews.Advert> adverts = adverts(c, new AdvertFilter(publicKey, null, null, null),
          new PageRequest(DETAIL_RECENT, 0), false).items();
      List<NodeViews.HeardBy> heardBy = Rows.list(c, "SELECT o.observer, n.name AS observer_name, o.first_heard,"
          + " o.last_heard, o.reception_count, o.last_snr, o.last_rssi, o.last_path_len FROM node_observers o"
          + " LEFT JOIN nodes n ON n.public_key = o.observer WHERE o.public_key = ?"
          + " ORDER BY o.last_heard DESC, o.observer", List.of(publicKey), rs -> new NodeViews.HeardBy(
              rs.getString("observer"), rs.getString("observer_name"), Sql.getInstant(rs, "first_heard"),
              Sql.getInstant(rs, "last_heard"), rs.getLong("reception_count"), Sql.getDouble(rs, "last_snr"),
              Sql.getInt(rs, "last_rssi"), Sql.getInt(rs, "last_path_len")));
      List<NodeViews.Telemetry> telemetry = Rows.list(c, "SELECT observer, received_at, data_json FROM telemetry"
          + " WHERE public_key = ? ORDER BY received_at DESC, reading_key LIMIT " + DETAIL_RECENT,
          List.of(publicKey), rs -> new NodeViews.Telemetry(rs.getString("observer"),
              Sql.getInstant(rs, "received_at"), Rows.json(rs.getString("data_json"))));
      return Optional.of(new NodeViews.NodeDetail(d.publicKey(), d.name(), d.advType(), d.flags(), d.lat(),
          d.lon(), d.lastAdvertAt(), d.firstSeen(), d.lastSeen(), d.observer(), d.advertCount(),
          d.receptionCount(), tags, d.observerStatus(), adverts, heardBy, telemetry));
    }
  }

  public Page<NodeViews.Advert> adverts(AdvertFilter filter, PageRequest page) throws SQLException {
    try (Connection c = database.connection()) {
      return adverts(c, filter, page, true);
    }
  }

  private Page<NodeViews.Advert> adverts(Connection c, AdvertFilter filter, PageRequest page, boolean countTotal)
      throws SQLException {
    Where where = new Where();
    if (filter.publicKey() != null) {
      where.add("a.public_key = ?", filter.publicKey());
    }
    if (filter.observedBy() != null) {
      where.add("(a.public_key, a.advert_timestamp) IN"
          + " (SELECT r.public_key, r.advert_timestamp FROM advert_receptions r WHERE r.observer = ?)",
          filter.observedBy());
    }
    where.timeRange("a.received_at", filter.since(), filter.until());
    Total total = !countTotal ? null : where.isEmpty()
        ? Total.exact(counter(c, "node_stats", NodeProjectionHandler.ADVERTS_TOTAL))
        : Total.count(c, "FROM advertisements a" + where.sql(), where.params(), page);
    List<Object> params = new ArrayList<>(where.params());
    params.add(page.limit());
    params.add(page.offset());
    List<NodeViews.Advert> adverts = Rows.list(c, "SELECT a.*, n.name AS node_name FROM advertisements a"
        + " LEFT JOIN nodes n ON n.public_key = a.public_key" + where.sql()
        + " ORDER BY a.received_at DESC, a.public_key DESC, a.advert_timestamp DESC LIMIT ? OFFSET ?", params,
        rs -> new NodeViews.Advert(rs.getString("public_key"), rs.getString("name"), rs.getString("adv_type"),
            rs.getInt("flags"), Sql.getDouble(rs, "lat"), Sql.getDouble(rs, "lon"),
            Sql.getEpochSecond(rs, "advert_timestamp"), rs.getBoolean("signature_valid"),
            rs.getString("packet_hash"), Sql.getInstant(rs, "received_at"), rs.getString("observer"), 0,
            rs.getString("node_name"), List.of()));
    List<NodeViews.Advert> out = withObservers(c, adverts);
    return new Page<>(out, countTotal ? total : Total.exact(out.size()), page);
  }

  private static List<NodeViews.Advert> withObservers(Connection c, List<NodeViews.Advert> adverts)
      throws SQLException {
    if (adverts.isEmpty()) {
      return adverts;
    }
    // One primary-key lookup per advert. A row-value IN (VALUES ...) list looks the same but is not an index
    // lookup on SQLite: it scanned every advert reception, so the page cost grew with the table.
    StringBuilder keys = new StringBuilder();
    List<Object> params = new ArrayList<>();
    for (NodeViews.Advert a : adverts) {
      keys.append(keys.length() == 0 ? "" : " OR ").append("(r.public_key = ? AND r.advert_timestamp = ?)");
      params.add(a.publicKey());
      params.add(a.advertTimestamp().getEpochSecond());
    }
    Map<String, List<Observation>> byAdvert = new HashMap<>();
    Rows.list(c, "SELECT r.public_key, r.advert_timestamp, r.observer, n.name AS observer_name, r.received_at,"
        + " r.snr, r.rssi, r.path_len, r.path FROM advert_receptions r LEFT JOIN nodes n ON n.public_key = r.observer"
        + " WHERE " + keys
        + " ORDER BY r.received_at, r.observer", params, rs -> {
          byAdvert.computeIfAbsent(rs.getString("public_key") + "/" + rs.getLong("advert_timestamp"),
              k -> new ArrayList<>()).add(observation(rs));
          return null;
        });
    List<NodeViews.Advert> out = new ArrayList<>();
    for (NodeViews.Advert a : adverts) {
      out.add(a.withObservers(byAdvert.getOrDefault(a.publicKey() + "/" + a.advertTimestamp().getEpochSecond(),
          List.of())));
    }
    return out;
  }

  /** Telemetry readings, newest first, with the node's name. */
  public Page<NodeViews.TelemetryReading> telemetry(TelemetryFilter filter, PageRequest page) throws SQLException {
    Where where = new Where();
    if (filter.publicKey() != null) {
      where.add("t.public_key = ?", filter.publicKey());
    }
    if (filter.observedBy() != null) {
      where.add("t.observer = ?", filter.observedBy());
    }
    where.timeRange("t.received_at", filter.since(), filter.until());
    try (Connection c = database.connection()) {
      Total total = where.isEmpty()
          ? Total.exact(counter(c, "node_stats", NodeProjectionHandler.TELEMETRY_TOTAL))
          : Total.count(c, "FROM telemetry t" + where.sql(), where.params(), page);
      List<Object> params = new ArrayList<>(where.params());
      params.add(page.limit());
      params.add(page.offset());
      List<NodeViews.TelemetryReading> items = Rows.list(c, "SELECT t.public_key, n.name AS node_name, t.observer,"
          + " t.received_at, t.data_json FROM telemetry t LEFT JOIN nodes n ON n.public_key = t.public_key"
          + where.sql() + " ORDER BY t.received_at DESC, t.public_key DESC, t.reading_key DESC LIMIT ? OFFSET ?", params,
          rs -> new NodeViews.TelemetryReading(rs.getString("public_key"), rs.getString("node_name"),
              rs.getString("observer"), Sql.getInstant(rs, "received_at"), Rows.json(rs.getString("data_json"))));
      return new Page<>(items, total, page);
    }
  }

  /** Whether any event ever named the node. */
  public boolean exists(String publicKey) throws SQLException {
    try (Connection c = database.connection()) {
      return Rows.count(c, "SELECT COUNT(*) FROM nodes WHERE public_key = ?", List.of(publicKey)) > 0;
    }
  }

  /** The node's tags in key order, or empty when the node is unknown. */
  public Optional<List<NodeViews.Tag>> tags(String publicKey) throws SQLException {
    try (Connection c = database.connection()) {
      if (Rows.count(c, "SELECT COUNT(*) FROM nodes WHERE public_key = ?", List.of(publicKey)) == 0) {
        return Optional.empty();
      }
      return Optional.of(tags(c, List.of(publicKey)).getOrDefault(publicKey, List.of()));
    }
  }

  static Observation observation(ResultSet rs) throws SQLException {
    return new Observation(rs.getString("observer"), rs.getString("observer_name"),
        Sql.getInstant(rs, "received_at"), Sql.getDouble(rs, "snr"), Sql.getInt(rs, "rssi"), rs.getInt("path_len"),
        rs.getString("path"));
  }

  private static Map<String, List<NodeViews.Tag>> tags(Connection c, List<String> keys) throws SQLException {
    Map<String, List<NodeViews.Tag>> out = new LinkedHashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    Rows.list(c, "SELECT public_key, tag_key, value, updated_at FROM node_tags WHERE value IS NOT NULL"
        + " AND public_key IN (" + Rows.placeholders(keys.size()) + ") ORDER BY public_key, tag_key",
        new ArrayList<>(keys), rs -> {
          out.computeIfAbsent(rs.getString("public_key"), k -> new ArrayList<>()).add(new NodeViews.Tag(
              rs.getString("tag_key"), rs.getString("value"), Sql.getInstant(rs, "updated_at")));
          return null;
        });
    return out;
  }

  /** How many observers heard each node's adverts: one index range per node. */
  private static Map<String, Long> observerCounts(Connection c, List<String> keys) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    Rows.list(c, "SELECT public_key, COUNT(*) AS n FROM node_observers WHERE public_key IN ("
        + Rows.placeholders(keys.size()) + ") GROUP BY public_key", new ArrayList<>(keys), rs -> {
          out.put(rs.getString("public_key"), rs.getLong("n"));
          return null;
        });
    return out;
  }

  private static NodeViews.Node node(ResultSet rs) throws SQLException {
    Integer flags = Sql.getInt(rs, "flags");
    return new NodeViews.Node(rs.getString("public_key"), rs.getString("name"), rs.getString("adv_type"), flags,
        Sql.getDouble(rs, "lat"), Sql.getDouble(rs, "lon"), Sql.getEpochSecond(rs, "last_advert_timestamp"),
        Sql.getInstant(rs, "first_seen"), Sql.getInstant(rs, "last_seen"), rs.getBoolean("is_observer"),
        rs.getLong("advert_count"), rs.getLong("reception_count"), 0, List.of());
  }

  /** A total kept by a projection: the sum of its slices' rows. */
  public static long counter(Connection c, String table, String metric) throws SQLException {
    return Rows.count(c, "SELECT COALESCE(SUM(value), 0) FROM " + table + " WHERE metric = ? AND bucket = 0",
        List.of(metric));
  }
}
