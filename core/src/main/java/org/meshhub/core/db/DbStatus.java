package org.meshhub.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * @param tables row counts of the other tables that exist
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
    tables = Map.copyOf(tables);
  }

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

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
