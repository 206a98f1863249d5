package org.meshhub.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshhub.core.db.SchemaLease;
import org.meshhub.core.db.SchemaMigrations;

/**
 * The tables of the target schema as MeshHub's own PostgreSQL migrations made them, read from the catalog: their
 * columns with exact types (which decide every conversion), the foreign keys (which decide the copy order) and the
 * sequences behind serial and identity columns (which are set past the copied values).
 */
public record TargetSchema(Map<String, Table> tables, Set<Dependency> dependencies) {

  public TargetSchema {
    tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    dependencies = Set.copyOf(dependencies);
  }

  /**
   * A column of a target table.
   *
   * @param type the type name in the catalog ({@code int8}, {@code varchar}, {@code timestamptz}, ...)
   * @param typmod the type modifier ({@code -1} when none): the length of {@code varchar(n)}, precision and scale
   *     of {@code numeric(p,s)}
   * @param display the type as PostgreSQL prints it, for messages
   * @param sequence the sequence behind a serial or identity column, or null
   */
  public record Column(String name, String type, int typmod, String display, boolean notNull, boolean hasDefault,
      boolean generated, String sequence) {

    /** A {@code varchar(n)} or {@code char(n)} length, or -1. */
    public int maxLength() {
      return (type.equals("varchar") || type.equals("bpchar")) && typmod >= 4 ? typmod - 4 : -1;
    }

    /** The scale of {@code numeric(p,s)}, or -1 when unconstrained. */
    public int numericScale() {
      return type.equals("numeric") && typmod >= 4 ? (typmod - 4) & 0xFFFF : -1;
    }

    /** Whether an insert may leave it out. */
    public boolean optional() {
      return !notNull || hasDefault || generated || sequence != null;
    }
  }

  /** A table of the target schema with its columns in table order. */
  public record Table(String name, List<Column> columns) {
    public Table {
      columns = List.copyOf(columns);
    }

    public Column column(String name) {
      for (Column c : columns) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      return null;
    }
  }

  /** {@code table} has a foreign key into {@code references}: rows of {@code references} must be copied first. */
  public record Dependency(String table, String references) {}

  /**
   * Tables of the migration's own bookkeeping, the schema version and the schema lease: never copied into, never
   * counted as data.
   */
  public static boolean isBookkeeping(String table) {
    return table.equals(SchemaMigrations.VERSION_TABLE) || table.equals(SchemaLease.TABLE)
        || table.startsWith("meshhub_migration_");
  }

  /** Reads the connection's current schema. */
  public static TargetSchema read(Connection c) throws SQLException {
    Map<String, List<Column>> columns = new LinkedHashMap<>();
    String sql = "SELECT c.relname, a.attname, t.typname, a.atttypmod, format_type(a.atttypid, a.atttypmod),"
        + " a.attnotnull, a.atthasdef, a.attgenerated <> '', "
        + " pg_get_serial_sequence(quote_ident(c.relname), a.attname)"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid"
        + " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
        + " ORDER BY c.relname, a.attnum";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String table = rs.getString(1);
        columns.computeIfAbsent(table, t -> new ArrayList<>()).add(new Column(rs.getString(2), rs.getString(3),
            rs.getInt(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8), rs.getString(9)));
      }
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    columns.forEach((name, cols) -> tables.put(name, new Table(name, cols)));
    Set<Dependency> deps = new LinkedHashSet<>();
    String fks = "SELECT src.relname, dst.relname FROM pg_constraint k"
        + " JOIN pg_class src ON src.oid = k.conrelid JOIN pg_class dst ON dst.oid = k.confrelid"
        + " JOIN pg_namespace n ON n.oid = src.relnamespace"
        + " WHERE k.contype = 'f' AND n.nspname = current_schema()";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(fks)) {
      while (rs.next()) {
        if (!rs.getString(1).equals(rs.getString(2))) {
          deps.add(new Dependency(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return new TargetSchema(tables, deps);
  }

  /** Tables that hold data (everything but the bookkeeping), in catalog order. */
  public List<String> dataTables() {
    return tables.keySet().stream().filter(t -> !isBookkeeping(t)).toList();
  }
}
