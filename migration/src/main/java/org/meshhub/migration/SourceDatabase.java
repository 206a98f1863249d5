package org.meshhub.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The SQLite file being migrated, opened read-only: SQLite itself refuses every write on these connections, so the
 * file is never modified (a WAL left by a killed MeshHub is read, not checkpointed).
 */
public final class SourceDatabase {
  private static final Pattern WITHOUT_ROWID = Pattern.compile("(?is).*\\)\\s*WITHOUT\\s+ROWID\\s*;?\\s*$");
  private static final Pattern VIRTUAL = Pattern.compile("(?is)^\\s*CREATE\\s+VIRTUAL\\s+TABLE.*");

  /** A column of a source table. */
  public record Column(String name, String declaredType) {}

  /**
   * A table to copy.
   *
   * @param primaryKey primary-key columns in key order (empty when the table has none)
   * @param withoutRowid a {@code WITHOUT ROWID} table, read in primary-key order; every other table is read in rowid
   *     order
   * @param sql its {@code CREATE TABLE} statement, part of the fingerprint
   */
  public record Table(String name, List<Column> columns, List<String> primaryKey, boolean withoutRowid, String sql) {
    public Table {
      columns = List.copyOf(columns);
      primaryKey = List.copyOf(primaryKey);
    }

    public List<String> columnNames() {
      return columns.stream().map(Column::name).toList();
    }
  }

  private final Path file;

  private SourceDatabase(Path file) {
    this.file = file;
  }

  /**
   * Checks that the file exists and is a MeshHub database (its schema-version table and journal are there), or
   * refuses with one line.
   */
  public static SourceDatabase open(Path file) {
    Path f = file.toAbsolutePath().normalize();
    if (!Files.exists(f)) {
      throw StorageException.refused("source " + f + " does not exist (give the MeshHub SQLite file with --source,"
          + " or set DATA_HOME to the folder holding meshhub.db)");
    }
    if (!Files.isRegularFile(f)) {
      throw StorageException.refused("source " + f + " is not a file");
    }
    if (!Files.isReadable(f)) {
      throw StorageException.refused("source " + f + " cannot be read (permission denied)");
    }
    SourceDatabase db = new SourceDatabase(f);
    try (Connection c = db.connect()) {
      if (!SchemaMigrations.tableExists(c, SchemaMigrations.VERSION_TABLE)
          || !SchemaMigrations.tableExists(c, "event_journal")) {
        throw StorageException.refused("source " + f + " is not a MeshHub database (it has no "
            + SchemaMigrations.VERSION_TABLE + " and event_journal tables)");
      }
    } catch (SQLException e) {
      throw describe(f, e);
    }
    return db;
  }

  /** One line for an error of the SQLite file. */
  static StorageException describe(Path file, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("SQLITE_NOTADB") || message.contains("file is not a database")) {
      return StorageException.refused("source " + file + " is not a SQLite database, so not a MeshHub database");
    }
    if (message.contains("SQLITE_CORRUPT")) {
      return StorageException.failed("source " + file + " is damaged (SQLite reports: "
          + message.replace('\n', ' ') + "); restore it from a backup", e);
    }
    if (message.contains("SQLITE_CANTOPEN")) {
      return StorageException.refused("source " + file + " cannot be opened (" + message.replace('\n', ' ') + ")");
    }
    return StorageException.failed("reading source " + file + " failed: " + message.replace('\n', ' '), e);
  }

  public Path file() {
    return file;
  }

  /** A new read-only connection. */
  public Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(30_000);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /** The version recorded in the source's schema-version table. */
  public int schemaVersion(Connection c) throws SQLException {
    return SchemaMigrations.currentVersion(c).orElse(0);
  }

  /**
   * The tables whose rows move: every ordinary table except SQLite's own, the schema-version table (the target has
   * its own), virtual tables (full-text indexes) and their shadow tables; the target rebuilds what those derive.
   */
  public List<Table> tables(Connection c) throws SQLException {
    Map<String, String> all = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      while (rs.next()) {
        all.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
      }
    }
    List<String> virtualTables = new ArrayList<>();
    all.forEach((name, sql) -> {
      if (VIRTUAL.matcher(sql).matches()) {
        virtualTables.add(name);
      }
    });
    List<Table> tables = new ArrayList<>();
    for (Map.Entry<String, String> e : all.entrySet()) {
      String name = e.getKey();
      if (isInternal(name) || virtualTables.contains(name) || isShadow(name, virtualTables)) {
        continue;
      }
      tables.add(describeTable(c, name, e.getValue()));
    }
    return tables;
  }

  static boolean isInternal(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("sqlite_") || n.equals(SchemaMigrations.VERSION_TABLE) || n.startsWith("meshhub_migration_");
  }

  private static boolean isShadow(String name, List<String> virtualTables) {
    for (String v : virtualTables) {
      if (name.startsWith(v + "_")) {
        return true;
      }
    }
    return false;
  }

  private static Table describeTable(Connection c, String name, String sql) throws SQLException {
    List<Column> columns = new ArrayList<>();
    Map<Integer, String> pk = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA table_xinfo(" + quote(name) + ")")) {
      while (rs.next()) {
        String column = rs.getString("name");
        int hidden = rs.getInt("hidden");
        if (hidden != 0) {
          continue; // generated columns are computed again by the target
        }
        columns.add(new Column(column, rs.getString("type") == null ? "" : rs.getString("type")));
        int pkIndex = rs.getInt("pk");
        if (pkIndex > 0) {
          pk.put(pkIndex, column);
        }
      }
    }
    List<String> primaryKey = new ArrayList<>();
    for (int i = 1; i <= pk.size(); i++) {
      primaryKey.add(pk.get(i));
    }
    return new Table(name, columns, primaryKey, WITHOUT_ROWID.matcher(sql).matches(), sql);
  }

  /** Rows of a table. */
  public static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + quote(table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The highest rowid (or first key column of a WITHOUT ROWID table), as text; null for an empty table. */
  public static String maxKey(Connection c, Table table) throws SQLException {
    String key = table.withoutRowid() ? quote(table.primaryKey().get(0)) : "rowid";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(" + key + ") FROM " + quote(table.name()))) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The AUTOINCREMENT high-water mark of a table (0 when it has none): its ids are never reused, even deleted ones. */
  public static long autoincrementValue(Connection c, String table) throws SQLException {
    if (!SchemaMigrations.tableExists(c, "sqlite_sequence")) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** An SQL identifier in double quotes. */
  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
