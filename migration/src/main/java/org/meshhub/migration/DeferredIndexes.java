package org.meshhub.migration;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Indexes, primary keys, unique constraints and foreign keys of the copied tables, set aside while the rows stream
 * in and built again at the end: one sorted build over all rows is several times faster than updating an index row
 * by row, and foreign keys are checked once, by one query, instead of by a trigger per row. The definitions are kept
 * in the target ({@code meshhub_migration_deferred}) in the same transaction as the drops, and each is restored in a
 * transaction that also deletes its row, so a run killed at any moment restores each exactly once. Restoring them
 * also proves the copy: a duplicate key or a dangling reference fails there, loudly.
 */
final class DeferredIndexes {
  static final String TABLE = "meshhub_migration_deferred";
  /** Separates the statements of one item. */
  private static final String STATEMENT_END = ";\n";

  /** What is set aside, in the order it is restored: keys first, then indexes, foreign keys last. */
  enum Kind {
    CONSTRAINT,
    INDEX,
    FOREIGN_KEY
  }

  /** One index or constraint waiting to be built again. */
  record Item(long id, String table, String name, Kind kind, String ddl) {}

  private DeferredIndexes() {}

  /** Records and drops the indexes and constraints of {@code tables}; the caller commits. */
  static void setAside(Connection c, Collection<String> tables) throws SQLException {
    List<Item> found = new ArrayList<>();
    Array names = c.createArrayOf("text", tables.toArray());
    try (PreparedStatement ps = c.prepareStatement("SELECT k.conname, src.relname, pg_get_constraintdef(k.oid)"
        + " FROM pg_constraint k JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid"
        + " JOIN pg_namespace n ON n.oid = src.relnamespace"
        + " WHERE k.contype = 'f' AND n.nspname = current_schema() AND (src.relname = ANY (?) OR dst.relname = ANY (?))"
        + " ORDER BY k.conname")) {
      ps.setArray(1, names);
      ps.setArray(2, names);
      collect(ps, Kind.FOREIGN_KEY, found);
    }
    // A primary key or unique constraint comes back as its index (built alongside the table's other indexes) and
    // then the constraint on top of it, which only takes a moment.
    try (PreparedStatement ps = c.prepareStatement("SELECT k.conname, t.relname, pg_get_indexdef(k.conindid),"
        + " CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END"
        + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
        + " WHERE k.contype IN ('p', 'u') AND n.nspname = current_schema() AND t.relname = ANY (?)"
        + " ORDER BY t.relname, k.conname")) {
      ps.setArray(1, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String table = rs.getString(2);
          found.add(new Item(0, table, name, Kind.CONSTRAINT, rs.getString(3) + STATEMENT_END + "ALTER TABLE "
              + SourceDatabase.quote(table) + " ADD CONSTRAINT " + SourceDatabase.quote(name) + " " + rs.getString(4)
              + " USING INDEX " + SourceDatabase.quote(name)));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT i.relname, t.relname, pg_get_indexdef(i.oid)"
        + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
        + " JOIN pg_namespace n ON n.oid = t.relnamespace"
        + " WHERE n.nspname = current_schema() AND t.relname = ANY (?) AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
        + " WHERE k.conindid = i.oid AND k.contype IN ('p', 'u', 'x')) ORDER BY t.relname, i.relname")) {
      ps.setArray(1, names);
      collect(ps, Kind.INDEX, found);
    }
    try (Statement st = c.createStatement();
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
            + " (table_name, name, kind, ddl) VALUES (?, ?, ?, ?)")) {
      for (Item item : found) {
        st.execute(item.kind() == Kind.INDEX ? "DROP INDEX " + SourceDatabase.quote(item.name())
            : "ALTER TABLE " + SourceDatabase.quote(item.table()) + " DROP CONSTRAINT "
                + SourceDatabase.quote(item.name()));
        insert.setString(1, item.table());
        insert.setString(2, item.name());
        insert.setString(3, item.kind().name());
        insert.setString(4, item.ddl());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void collect(PreparedStatement ps, Kind kind, List<Item> out) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String name = rs.getString(1);
        String table = rs.getString(2);
        String definition = rs.getString(3);
        String ddl = kind == Kind.INDEX ? definition : "ALTER TABLE " + SourceDatabase.quote(table)
            + " ADD CONSTRAINT " + SourceDatabase.quote(name) + " " + definition;
        out.add(new Item(0, table, name, kind, ddl));
      }
    }
  }

  /** Everything still set aside, in restore order. */
  static List<Item> pending(Connection c) throws SQLException {
    List<Item> out = new ArrayList<>();
    if (!org.meshhub.core.db.SchemaMigrations.tableExists(c, TABLE)) {
      return out;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, table_name, name, kind, ddl FROM " + TABLE
            + " ORDER BY CASE kind WHEN 'CONSTRAINT' THEN 0 WHEN 'INDEX' THEN 1 ELSE 2 END, id")) {
      while (rs.next()) {
        out.add(new Item(rs.getLong(1), rs.getString(2), rs.getString(3), Kind.valueOf(rs.getString(4)),
            rs.getString(5)));
      }
    }
    return out;
  }

  /** Builds one again and forgets it, in one transaction. */
  static void restore(Connection c, Item item) throws SQLException {
    try (Statement st = c.createStatement()) {
      // Sorting a million keys, or hashing them to check a foreign key, fits in memory instead of spilling to disk.
      st.execute("SET maintenance_work_mem = '256MB'");
      st.execute("SET work_mem = '256MB'");
    }
    Checkpoints.inTransaction(c, () -> {
      try (Statement st = c.createStatement()) {
        for (String statement : item.ddl().split(STATEMENT_END)) {
          st.execute(statement);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
        ps.setLong(1, item.id());
        ps.executeUpdate();
      }
    });
  }
}
