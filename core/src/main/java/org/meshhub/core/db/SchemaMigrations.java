package org.meshhub.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, one folder of SQL scripts per dialect ({@code db/migration/<dialect>/}, listed in
 * its {@code index.txt}). Each script runs in its own transaction together with the row that records it in
 * {@code meshhub_schema_version}, so a crash leaves either the old or the new version, never half of one. On
 * PostgreSQL the instance's schema is created first when missing (the only right MeshHub needs is CREATE on its
 * database) and an advisory lock keeps two starting instances from migrating the same schema at once.
 */
public final class SchemaMigrations {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  public static final String VERSION_TABLE = "meshhub_schema_version";

  /** One script. */
  public record Migration(int version, String description, String sql, String checksum) {}

  /** What {@link #migrate} did. */
  public record Result(int fromVersion, int toVersion, List<Integer> applied) {
    public Result {
      applied = List.copyOf(applied);
    }
  }

  private final Database database;

  public SchemaMigrations(Database database) {
    this.database = database;
  }

  /** The scripts shipped for a dialect, in version order. */
  public static List<Migration> available(Dialect dialect) {
    String folder = dialect.migrationFolder();
    String index = resource(folder + "/index.txt");
    List<Migration> list = new ArrayList<>();
    int expected = 1;
    for (String line : index.split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = FILE_NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException("bad migration file name " + name);
      }
      int version = Integer.parseInt(m.group(1));
      if (version < expected) {
        throw new IllegalStateException("migration " + name + " out of order; versions must increase");
      }
      expected = version + 1;
      String sql = resource(folder + "/" + name);
      list.add(new Migration(version, m.group(2).replace('_', ' '), sql, sha256(sql)));
    }
    return List.copyOf(list);
  }

  public static int latestVersion(Dialect dialect) {
    List<Migration> all = available(dialect);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).version();
  }

  /** Creates or upgrades the schema to the latest version; safe to run any number of times. */
  public Result migrate() {
    Dialect dialect = database.dialect();
    List<Migration> migrations = available(dialect);
    int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    try (Connection c = database.connection()) {
      if (dialect == Dialect.POSTGRESQL) {
        ensurePostgresSchema(c, database.settings().schema());
      }
      ensureVersionTable(c);
      int current = currentVersion(c).orElse(0);
      java.util.Set<Integer> done = appliedVersions(c);
      if (current > latest) {
        throw StorageException.refused("the database schema is at version " + current
            + ", newer than this MeshHub knows (" + latest + "); run a newer MeshHub");
      }
      if (dialect == Dialect.POSTGRESQL && migrations.stream().anyMatch(m -> !done.contains(m.version()))) {
        refuseIfInUseByAnotherVersion(c, latest);
      }
      List<Integer> applied = new ArrayList<>();
      for (Migration m : migrations) {
        if (done.contains(m.version())) {
          continue;
        }
        if (apply(c, dialect, m)) {
          applied.add(m.version());
        }
      }
      int now = currentVersion(c).orElse(0);
      if (!applied.isEmpty()) {
        log.info("Database schema {} upgraded from version {} to {}", database.settings().effectiveSchema(),
            current, now);
      }
      return new Result(current, now, applied);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * A cluster running on this schema runs the schema version it found; changing the schema under it would break
   * it. Upgrading the schema needs every member stopped first (or their lease expired).
   */
  private void refuseIfInUseByAnotherVersion(Connection c, int latest) throws SQLException {
    java.util.Optional<SchemaLease.Lease> lease = SchemaLease.read(c);
    if (lease.isPresent() && lease.get().heldByAnother() && lease.get().schemaVersion() != latest) {
      throw StorageException.refused("schema " + database.settings().effectiveSchema() + " is in use by a MeshHub"
          + " cluster that runs schema version " + lease.get().schemaVersion() + " (" + lease.get().describe()
          + "); this MeshHub has version " + latest + ": stop every member of that cluster before changing the"
          + " schema version");
    }
  }

  private StorageException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("42501")) {
      return StorageException.refused("PostgreSQL role '" + database.settings().user()
          + "' may not create the schema or its tables (" + Database.rootMessage(e)
          + "); grant it CREATE on database '" + database.settings().database() + "' (see docs/database.md)");
    }
    return StorageException.failed("schema migration failed on " + database.settings().endpoint() + ": "
        + Database.rootMessage(e), e);
  }

  private static void ensurePostgresSchema(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (Statement st = c.createStatement()) {
      // The name was checked against ^[a-z_][a-z0-9_]{0,62}$, so quoting it is enough.
      st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
      log.info("Created PostgreSQL schema {}", schema);
    }
  }

  private static void ensureVersionTable(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
          + "version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL,"
          + " applied_at VARCHAR(40) NOT NULL)");
    }
  }

  /** The recorded version, empty when the version table does not exist. */
  public static OptionalInt currentVersion(Connection c) throws SQLException {
    if (!tableExists(c, VERSION_TABLE)) {
      return OptionalInt.empty();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
      rs.next();
      int v = rs.getInt(1);
      return rs.wasNull() ? OptionalInt.of(0) : OptionalInt.of(v);
    }
  }

  /** Versions this build ships that the database has not applied yet (all of them when it has no schema). */
  public static List<Integer> pending(Connection c, Dialect dialect) throws SQLException {
    java.util.Set<Integer> done = tableExists(c, VERSION_TABLE) ? appliedVersions(c) : java.util.Set.of();
    List<Integer> out = new ArrayList<>();
    for (Migration m : available(dialect)) {
      if (!done.contains(m.version())) {
        out.add(m.version());
      }
    }
    return out;
  }

  /** Every version recorded as applied (a version missing below the highest is applied too, in order). */
  static java.util.Set<Integer> appliedVersions(Connection c) throws SQLException {
    java.util.Set<Integer> versions = new java.util.HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM " + VERSION_TABLE)) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  /** Whether a table exists in the connection's schema (PostgreSQL: current_schema; SQLite: main). */
  public static boolean tableExists(Connection c, String table) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    String sql = product.contains("sqlite")
        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        : "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean apply(Connection c, Dialect dialect, Migration m) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      if (dialect == Dialect.POSTGRESQL) {
        try (ResultSet rs = st.executeQuery("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")) {
          rs.next();
        }
      }
      // Another instance may have applied it while this one waited for the lock.
      if (appliedVersions(c).contains(m.version())) {
        c.rollback();
        return false;
      }
      for (String statement : splitStatements(m.sql())) {
        st.execute(statement);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + VERSION_TABLE
          + " (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
        ps.setInt(1, m.version());
        ps.setString(2, m.description());
        ps.setString(3, m.checksum());
        ps.setString(4, java.time.Instant.now().toString());
        ps.executeUpdate();
      }
      c.commit();
      log.info("Applied schema migration V{} ({})", m.version(), m.description());
      return true;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * Splits a script into statements at a semicolon that ends a line, except inside a trigger body
   * ({@code BEGIN ... END;}). Comment lines are dropped. Public for tools that apply the scripts in a transaction
   * of their own (the migration's dry run applies them and rolls back).
   */
  public static List<String> splitStatements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (String line : sql.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      String upper = trimmed.toUpperCase(Locale.ROOT);
      if (upper.endsWith(" BEGIN") || upper.equals("BEGIN")) {
        depth++;
      }
      if (upper.startsWith("END;") || upper.equals("END")) {
        depth = Math.max(0, depth - 1);
      }
      if (depth == 0 && trimmed.endsWith(";")) {
        String stmt = current.toString().trim();
        out.add(stmt.substring(0, stmt.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().trim());
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
