package org.meshhub.migration.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A MeshCore Hub database opened to be read and never written: a SQLite file opened read-only with
 * {@code query_only} on, or a PostgreSQL schema read in one read-only, repeatable-read transaction (so that every
 * table is read as of the same moment). One connection, used by one thread.
 *
 * <p>Everything after opening is the same SQL on both: columns are found by name through the JDBC metadata, times
 * are read as text in UTC ({@link HubTime}), JSON as text, booleans through {@code getBoolean}.
 */
public final class HubSource implements AutoCloseable {
  /** The command-line argument, named in errors about it. */
  public static final String ARGUMENT = "SOURCE";
  /** MeshCore Hub's default {@code DATABASE_SCHEMA}. */
  public static final String DEFAULT_SCHEMA = "meshcorehub";

  /** Stands for "no password in the URL" while the URL is parsed; never sent. */
  private static final String NO_PASSWORD = "no-password-" + java.util.UUID.randomUUID();

  private final Connection connection;
  private final String display;
  private final String schema;
  private final boolean postgres;
  private final HubRevision revision;
  private final Map<String, Set<String>> columns = new HashMap<>();

  private HubSource(Connection connection, String display, String schema, boolean postgres) {
    this.connection = connection;
    this.display = display;
    this.schema = schema;
    this.postgres = postgres;
    try {
      this.revision = readRevision();
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Opens a source: a {@code postgresql://} URL (also {@code postgres://}, {@code postgresql+psycopg2://},
   * {@code jdbc:postgresql://}) or a SQLite file ({@code sqlite:///path} or a path). Refuses, with one line and
   * without the password, a source that is not there, not readable, not a MeshCore Hub database, or at a schema
   * revision the import does not read.
   *
   * @param schema the PostgreSQL schema (MeshCore Hub's {@code DATABASE_SCHEMA}); null for the URL's
   *     {@code currentSchema}, else {@value #DEFAULT_SCHEMA}
   */
  public static HubSource open(String location, String schema) {
    if (location == null || location.isBlank()) {
      throw new SettingsException(ARGUMENT, "give the MeshCore Hub SQLite file or a postgresql:// URL");
    }
    String l = location.strip();
    if (l.startsWith("jdbc:postgresql:") || l.matches("(?s)^(postgres|postgresql)(\\+[A-Za-z0-9_]+)?://.*")) {
      return openPostgres(l, schema);
    }
    if (l.startsWith("sqlite:///")) {
      l = l.substring("sqlite:///".length());
      int q = l.indexOf('?');
      if (q >= 0) {
        l = l.substring(0, q);
      }
    } else if (l.contains("://")) {
      throw new SettingsException(ARGUMENT, "is neither a file nor a postgresql:// URL");
    }
    return openSqlite(Path.of(l));
  }

  private static HubSource openSqlite(Path path) {
    Path file = path.toAbsolutePath().normalize();
    if (!Files.exists(file)) {
      throw StorageException.refused("MeshCore Hub database " + file + " does not exist (its default place is"
          + " $DATA_HOME/collector/meshcore.db)");
    }
    if (!Files.isRegularFile(file)) {
      throw StorageException.refused("MeshCore Hub database " + file + " is not a file");
    }
    if (!Files.isReadable(file)) {
      throw StorageException.refused("MeshCore Hub database " + file + " cannot be read (permission denied)");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(30_000);
    Connection c = null;
    try {
      c = config.createConnection("jdbc:sqlite:" + file);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA query_only = 1");
        // SQLite reads the header lazily: a file that is not a database shows here.
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
          rs.next();
        }
      }
      // One read transaction for the whole import: every table as of the same moment.
      c.setAutoCommit(false);
      return new HubSource(c, file.toString(), null, false);
    } catch (SQLException e) {
      closeQuietly(c);
      String message = String.valueOf(e.getMessage());
      if (message.contains("SQLITE_NOTADB") || message.contains("not a database")) {
        throw StorageException.refused("MeshCore Hub database " + file + " is not a SQLite database");
      }
      throw StorageException.failed("cannot read MeshCore Hub database " + file + ": "
          + message.replace('\n', ' '), e);
    }
  }

  private static HubSource openPostgres(String url, String schemaOption) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(DatabaseSettings.DATABASE_URL, url);
    env.put(DatabaseSettings.DATABASE_PASSWORD, NO_PASSWORD);
    env.put(DatabaseSettings.DATABASE_NAME, "meshcorehub");
    env.put(DatabaseSettings.DATABASE_USER, "meshcorehub");
    boolean urlNamesSchema = url.matches("(?s).*[?&](currentSchema|schema)=.*");
    if (schemaOption != null || !urlNamesSchema) {
      env.put(DatabaseSettings.DATABASE_SCHEMA, schemaOption != null ? schemaOption : DEFAULT_SCHEMA);
    }
    DatabaseSettings s;
    try {
      s = DatabaseSettings.postgres(Env.of(env));
    } catch (SettingsException e) {
      String m = e.getMessage();
      String detail = m.startsWith(e.variable() + ": ") ? m.substring(e.variable().length() + 2) : m;
      throw new SettingsException(e.variable().equals(DatabaseSettings.DATABASE_SCHEMA) ? "--source-schema"
          : ARGUMENT, detail);
    }
    String display = s.displayLocation();
    Properties props = new Properties();
    props.setProperty("user", s.user());
    if (!NO_PASSWORD.equals(s.password())) {
      props.setProperty("password", s.password());
    } else {
      display = display.replace(":***@", "@");
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "meshhub-import");
    Connection c = null;
    try {
      c = DriverManager.getConnection(s.jdbcUrl(), props);
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement st = c.createStatement()) {
        st.execute("SET TIME ZONE 'UTC'");
        try (ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
          if (!rs.next() || !"on".equals(rs.getString(1))) {
            throw StorageException.failed("the PostgreSQL source did not open a read-only transaction", null);
          }
        }
      }
      HubSource source = new HubSource(c, display, s.schema(), true);
      return source;
    } catch (SQLException e) {
      closeQuietly(c);
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.startsWith("28")) {
        throw StorageException.refused("PostgreSQL at " + display + " refused the login (check the user and"
            + " password in " + ARGUMENT + ")");
      }
      if (state.equals("3D000")) {
        throw StorageException.refused("PostgreSQL at " + display + " has no such database");
      }
      throw StorageException.failed("cannot read MeshCore Hub database " + display + ": "
          + Database.rootMessage(e), e);
    }
  }

  private HubRevision readRevision() {
    try {
      if (!hasTable("alembic_version")) {
        String hint = "";
        if (postgres) {
          List<String> elsewhere = schemasWithAlembic();
          hint = elsewhere.isEmpty() ? "" : "; schema(s) " + String.join(", ", elsewhere)
              + " have one: give it with --source-schema";
        }
        throw StorageException.refused(display + " is not a MeshCore Hub database (it has no alembic_version table"
            + (postgres ? " in schema " + schema : "") + ")" + hint);
      }
      List<String> versions = new ArrayList<>();
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery("SELECT version_num FROM alembic_version")) {
        while (rs.next()) {
          versions.add(rs.getString(1));
        }
      }
      if (versions.size() != 1) {
        throw StorageException.refused(display + " has " + versions.size() + " rows in alembic_version; a MeshCore"
            + " Hub database has exactly one");
      }
      String version = versions.get(0) == null ? "" : versions.get(0).strip();
      return HubRevision.of(version).orElseThrow(() -> StorageException.refused("MeshCore Hub schema version '"
          + abbreviate(version) + "' is not one this import reads (it reads " + HubRevision.known()
          + "); upgrade the database with MeshCore Hub v0.14 or later first"));
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private List<String> schemasWithAlembic() throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT table_schema FROM information_schema.tables"
        + " WHERE table_name = 'alembic_version' ORDER BY table_schema")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Where the source is, for people: the file, or the URL with its password masked. */
  public String display() {
    return display;
  }

  public boolean postgres() {
    return postgres;
  }

  public HubRevision revision() {
    return revision;
  }

  Connection connection() {
    return connection;
  }

  boolean hasTable(String table) throws SQLException {
    DatabaseMetaData md = connection.getMetaData();
    try (ResultSet rs = md.getTables(null, schema, table, null)) {
      while (rs.next()) {
        if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The table's column names, lower-case; empty when the table is missing. */
  Set<String> columns(String table) throws SQLException {
    Set<String> known = columns.get(table);
    if (known == null) {
      known = new HashSet<>();
      try (ResultSet rs = connection.getMetaData().getColumns(null, schema, table, null)) {
        while (rs.next()) {
          known.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      columns.put(table, known);
    }
    return known;
  }

  /** The column when the table has it, else {@code NULL AS column}: the import finds columns by name. */
  String column(String table, String column) throws SQLException {
    return columns(table).contains(column) ? column : "NULL AS " + column;
  }

  long count(String table) throws SQLException {
    if (!hasTable(table)) {
      return 0;
    }
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows of {@code event_observers} per {@code event_type}. */
  Map<String, Long> observerCounts() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    if (!hasTable("event_observers")) {
      return out;
    }
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT event_type, COUNT(*) FROM event_observers GROUP BY event_type"
            + " ORDER BY event_type")) {
      while (rs.next()) {
        out.put(String.valueOf(rs.getString(1)), rs.getLong(2));
      }
    }
    return out;
  }

  /** A forward-only query read in pages of {@code fetchSize} rows. */
  PreparedStatement stream(String sql, int fetchSize) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    ps.setFetchSize(fetchSize);
    return ps;
  }

  /** One line for a failed read, without the password. */
  StorageException failure(SQLException e) {
    return StorageException.failed("reading MeshCore Hub database " + display + " failed: "
        + Database.rootMessage(e), e);
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // nothing was written; the transaction only held a snapshot
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a read-only connection loses nothing
    }
  }
}
