package org.meshhub.projections.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.projections.TableNames;

/**
 * The shadow copies of a read model's tables that a rebuild fills: same columns, keys and indexes as the live
 * table, named {@code <table>_rebuild}. On PostgreSQL {@code CREATE TABLE ... (LIKE ... INCLUDING ALL)}; on SQLite
 * the live table's own DDL from {@code sqlite_master}, renamed. Triggers (the SQLite full-text index) are not
 * copied: they fire when the rows are copied into the live table at the swap.
 */
final class ShadowTables {
  private static final Pattern CREATE_TABLE =
      Pattern.compile("^CREATE TABLE (?:IF NOT EXISTS )?\"?(\\w+)\"?", Pattern.CASE_INSENSITIVE);
  private static final Pattern CREATE_INDEX = Pattern.compile(
      "^CREATE (UNIQUE )?INDEX (?:IF NOT EXISTS )?\"?(\\w+)\"? ON \"?(\\w+)\"?", Pattern.CASE_INSENSITIVE);

  private final Dialect dialect;
  private final TableNames shadow = TableNames.shadow();

  ShadowTables(Dialect dialect) {
    this.dialect = dialect;
  }

  String name(String table) {
    return shadow.of(table);
  }

  boolean exist(Connection c, List<String> tables) throws SQLException {
    for (String t : tables) {
      if (!SchemaMigrations.tableExists(c, name(t))) {
        return false;
      }
    }
    return true;
  }

  void drop(Connection c, List<String> tables) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String t : tables) {
        st.execute("DROP TABLE IF EXISTS " + name(t));
      }
    }
  }

  void create(Connection c, List<String> tables) throws SQLException {
    for (String t : tables) {
      if (dialect == Dialect.POSTGRESQL) {
        try (Statement st = c.createStatement()) {
          st.execute("CREATE TABLE IF NOT EXISTS " + name(t) + " (LIKE " + t + " INCLUDING ALL)");
        }
      } else {
        for (String ddl : sqliteDdl(c, t)) {
          try (Statement st = c.createStatement()) {
            st.execute(ddl);
          }
        }
      }
    }
  }

  /** The live table's CREATE TABLE and CREATE INDEX statements, rewritten for its shadow. */
  private List<String> sqliteDdl(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT type, sql FROM sqlite_master WHERE tbl_name = ?"
        + " AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String sql = rs.getString(2).trim();
          if ("table".equals(rs.getString(1))) {
            Matcher m = CREATE_TABLE.matcher(sql);
            if (!m.find() || !m.group(1).equals(table)) {
              throw new IllegalStateException("unexpected DDL of table " + table + ": " + sql);
            }
            out.add("CREATE TABLE IF NOT EXISTS " + name(table) + sql.substring(m.end()));
          } else {
            Matcher m = CREATE_INDEX.matcher(sql);
            if (!m.find() || !m.group(3).equals(table)) {
              throw new IllegalStateException("unexpected DDL of an index on " + table + ": " + sql);
            }
            out.add("CREATE " + (m.group(1) == null ? "" : m.group(1)) + "INDEX IF NOT EXISTS "
                + name(m.group(2)) + " ON " + name(table) + sql.substring(m.end()));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("table " + table + " does not exist; run 'meshhub db upgrade'");
    }
    return out;
  }

  /** The columns a copy carries (not PostgreSQL's generated ones, which the target computes itself). */
  List<String> columns(Connection c, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
          + " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
          + " ORDER BY ordinal_position")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
    } else {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
        while (rs.next()) {
          out.add(rs.getString("name"));
        }
      }
    }
    return out;
  }

  /** Replaces the live table's rows by the shadow's, inside the caller's transaction. */
  void copyIntoLive(Connection c, String table) throws SQLException {
    String columns = String.join(", ", columns(c, table));
    try (Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM " + table);
      st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + name(table));
    }
  }
}
