package org.meshhub.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code meshhub db status} and {@code GET /api/v1/db/status} report.
 *
 * @param configured settings were read and are valid
 * @param initialized the schema exists and is at the latest version
 * @param dialect {@code sqlite} or {@code postgresql}
 * @param schema PostgreSQL schema, or {@code main} for SQLite
 * @param location file path or masked URL
 * @param version schema version recorded in the database (0 when none)
 * @param latestVersion schema version this MeshHub ships
 * @param events journal rows
 * @param tables rows of the read tables (nodes, messages, advertisements, receptions, advert_receptions: from the
 *     counters the projections keep, so that a status costs the same whatever their size), then of the other tables
 *     that exist, in that order
 */
public record DbStatus(
    boolean configured,
    boolean initialized,
    String dialect,
    String schema,
    String location,
    int version,
    int latestVersion,
    long events,
    Map<String, Long> tables) {

  public DbStatus {
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /** A read table and the projection counter that holds its row count: {@code metric} summed in {@code stats}. */
  private record Counted(String table, String stats, String metric) {}

  /** The read tables reported first, in this order, from the projections' counters. */
  private static final List<Counted> READ_TABLES = List.of(
      new Counted("nodes", "node_stats", "nodes_total"),
      new Counted("messages", "message_stats", "messages_total"),
      new Counted("advertisements", "node_stats", "adverts_total"),
      new Counted("receptions", "message_stats", "receptions_total"),
      new Counted("advert_receptions", "node_stats", "advert_receptions_total"));

  /** Tables whose row counts are reported besides the journal, when present. */
  public static final List<String> COUNTED_TABLES = List.of("event_tag", "snapshot", "pekko_projection_offset_store",
      "rejected_messages");

  public static DbStatus read(Database database) {
    DatabaseSettings s = database.settings();
    try (Connection c = database.connection()) {
      int version = SchemaMigrations.currentVersion(c).orElse(0);
      int latest = SchemaMigrations.latestVersion(database.dialect());
      boolean current = SchemaMigrations.pending(c, database.dialect()).isEmpty();
      long events = SchemaMigrations.tableExists(c, "event_journal") ? count(c, "event_journal") : 0;
      Map<String, Long> tables = new LinkedHashMap<>();
      for (Counted t : READ_TABLES) {
        if (SchemaMigrations.tableExists(c, t.table()) && SchemaMigrations.tableExists(c, t.stats())) {
          tables.put(t.table(), counter(c, t.stats(), t.metric()));
        }
      }
      for (String t : COUNTED_TABLES) {
        if (SchemaMigrations.tableExists(c, t)) {
          tables.put(t, count(c, t));
        }
      }
      return new DbStatus(true, current, s.dialect().id(), s.effectiveSchema(),
          s.displayLocation(), version, latest, events, tables);
    } catch (SQLException e) {
      throw StorageException.failed("cannot read the database status from " + s.endpoint() + ": "
          + Database.rootMessage(e), e);
    }
  }

  private static long counter(Connection c, String stats, String metric) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(value), 0) FROM " + stats
        + " WHERE metric = ? AND bucket = 0")) {
      ps.setString(1, metric);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
