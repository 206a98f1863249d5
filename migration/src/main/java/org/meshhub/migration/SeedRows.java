package org.meshhub.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.SchemaMigrations;

/**
 * Tells the rows MeshHub's own schema migrations put in a schema (a read model's starting generation, say) from rows
 * something else wrote. The migrations are run in a scratch schema inside a transaction that is rolled back, and each
 * table of the target is compared with its scratch twin, row by row as text. Only rows beyond those count as data.
 */
final class SeedRows {
  private SeedRows() {}

  /** Per table of {@code tables} in the connection's schema: how many of its rows the migrations did not write. */
  static Map<String, Long> foreignRows(Connection c, String schema, Collection<String> tables) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    String probe = probeName(schema);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + SourceDatabase.quote(probe));
      st.execute("SET LOCAL search_path TO " + SourceDatabase.quote(probe));
      for (SchemaMigrations.Migration m : SchemaMigrations.available(Dialect.POSTGRESQL)) {
        for (String sql : SchemaMigrations.splitStatements(m.sql())) {
          st.execute(sql);
        }
      }
      st.execute("SET LOCAL search_path TO " + SourceDatabase.quote(schema));
      for (String table : tables) {
        String target = SourceDatabase.quote(schema) + "." + SourceDatabase.quote(table);
        String twin = SourceDatabase.quote(probe) + "." + SourceDatabase.quote(table);
        if (!SchemaMigrations.tableExists(c, table)
            || !long1(st, "SELECT COUNT(*) FROM (SELECT 1 FROM " + target + " LIMIT 1) x")) {
          out.put(table, 0L);
        } else if (!exists(st, probe, table)
            || !long1(st, "SELECT COUNT(*) FROM (SELECT 1 FROM " + twin + " LIMIT 1) x")) {
          out.put(table, count(st, "SELECT COUNT(*) FROM " + target));
        } else {
          out.put(table, count(st, "SELECT COUNT(*) FROM (SELECT t::text FROM " + target + " t EXCEPT ALL"
              + " SELECT s::text FROM " + twin + " s) x"));
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
    return out;
  }

  private static String probeName(String schema) {
    String name = "meshhub_probe_" + schema;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private static boolean exists(Statement st, String schema, String table) throws SQLException {
    return long1(st, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema
        + "' AND table_name = '" + table.replace("'", "''") + "'");
  }

  private static boolean long1(Statement st, String sql) throws SQLException {
    return count(st, sql) > 0;
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
