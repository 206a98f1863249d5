package org.meshhub.migration;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.SqliteLock;
import org.meshhub.core.db.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration from a MeshHub SQLite file into a PostgreSQL schema, checked and ready to run: the source is a MeshHub
 * database nobody writes, the target schema is current and holds nothing this migration did not write, and the plan
 * says per table what is copied already. {@link MigratorActor} then does the copying.
 *
 * <p>Everything refused here is refused with one line (exit code 2); see {@link #prepare} and {@link #dryRun}.
 */
public final class Migration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Migration.class);

  /** What the run will do. */
  public enum Mode {
    /** Copy every table from the start. */
    FRESH,
    /** Carry on from the checkpoints of an interrupted run. */
    RESUME,
    /** Everything is copied already: verify again, change nothing. */
    REVERIFY
  }

  /**
   * The plan, as printed before the copy (and alone by {@code --dry-run}).
   *
   * @param schemaAction what happens to the target schema first, for people
   */
  public record Plan(String source, int sourceSchemaVersion, String target, String schemaAction, Mode mode,
      List<PlanRow> tables, int batchSize, boolean checkpoints) {
    public Plan {
      tables = List.copyOf(tables);
    }

    public long sourceRows() {
      return tables.stream().mapToLong(PlanRow::sourceRows).sum();
    }
  }

  /** One table of the plan; {@code copiedRows} are in the target already (an interrupted run). */
  public record PlanRow(String table, long sourceRows, long copiedRows, boolean done) {}

  private final MigrationOptions options;
  private final SourceDatabase source;
  private final SqliteLock sourceLock;
  private final Database target;
  private final Connection lockConnection;
  private final List<TablePlan> tables;
  private final Map<String, Checkpoints.Checkpoint> checkpoints;
  private final Plan plan;

  private Migration(MigrationOptions options, SourceDatabase source, SqliteLock sourceLock, Database target,
      Connection lockConnection, List<TablePlan> tables, Map<String, Checkpoints.Checkpoint> checkpoints, Plan plan) {
    this.options = options;
    this.source = source;
    this.sourceLock = sourceLock;
    this.target = target;
    this.lockConnection = lockConnection;
    this.tables = List.copyOf(tables);
    this.checkpoints = checkpoints;
    this.plan = plan;
  }

  /**
   * Checks everything, creates or upgrades the target schema, records the run (or empties a partial copy with
   * {@code --restart}) and returns the migration ready to run. The source stays locked against a MeshHub starting
   * on it until {@link #close()}.
   */
  public static Migration prepare(MigrationOptions options) {
    return open(options, false);
  }

  /** The plan with row counts; writes nothing anywhere (the schema upgrade is applied and rolled back). */
  public static Plan dryRun(MigrationOptions options) {
    try (Migration m = open(options, true)) {
      return m.plan;
    }
  }

  private static Migration open(MigrationOptions options, boolean dryRun) {
    DatabaseSettings settings = options.target();
    SourceDatabase source = SourceDatabase.open(options.source());
    if (SqliteLock.isHeld(source.file())) {
      throw StorageException.refused("a running MeshHub is using " + source.file() + "; stop it first: the"
          + " migration copies a source that nobody writes");
    }
    log.debug("Source opened");
    SqliteLock sourceLock = dryRun ? null : lockSource(source);
    Database target = null;
    Connection lockConnection = null;
    try {
      target = Database.open(settings, Database.Access.SHARED, 4);
      log.debug("Target opened");
      lockConnection = target.connection();
      if (!tryAdvisoryLock(lockConnection, settings.schema())) {
        throw StorageException.refused("another migration into schema " + settings.schema() + " at "
            + settings.endpoint() + " is running; wait for it to end");
      }
      log.debug("Target locked");
      String schemaAction = dryRun ? inspectSchemaInRollback(target) : migrateSchema(target);
      log.debug("Target schema ready");
      try (Connection src = source.connect(); Connection c = target.connection()) {
        TargetSchema schema = dryRun && !schemaExists(c, settings.schema()) ? null : TargetSchema.read(c);
        if (schema == null || !SchemaMigrations.pending(c, Dialect.POSTGRESQL).isEmpty()) {
          schema = schemaInRollback(target);
        }
        log.debug("Target schema read");
        int sourceVersion = source.schemaVersion(src);
        int known = SchemaMigrations.latestVersion(Dialect.SQLITE);
        if (sourceVersion > known) {
          throw StorageException.refused("source " + source.file() + " is at schema version " + sourceVersion
              + ", newer than this MeshHub knows (" + known + "); migrate it with the MeshHub that wrote it");
        }
        List<SourceDatabase.Table> sourceTables = source.tables(src);
        String targetName = "schema " + settings.schema();
        log.debug("Source tables read");
        List<TablePlan> tables = CopyPlan.build(src, sourceTables, schema, targetName);
        log.debug("Plan built");
        Fingerprint fingerprint = fingerprint(src, sourceVersion, sourceTables, tables);

        log.debug("Fingerprint taken");
        Optional<Checkpoints.Run> run = Checkpoints.readRun(c);
        Map<String, Checkpoints.Checkpoint> checkpoints = Checkpoints.read(c);
        checkForeignData(c, schema, run, checkpoints, settings);
        log.debug("Target data checked");
        Mode mode;
        if (run.isEmpty() || options.restart()) {
          mode = Mode.FRESH;
          if (!dryRun) {
            if (run.isPresent()) {
              java.util.Set<String> ours = new java.util.LinkedHashSet<>(checkpoints.keySet());
              tables.forEach(t -> ours.add(t.table()));
              ours.retainAll(schema.dataTables());
              Checkpoints.reset(c, List.copyOf(ours));
              log.info("Emptied the partial copy in schema {} (--restart)", settings.schema());
            }
            Checkpoints.begin(c, new Checkpoints.Run(source.file().toString(), sourceVersion, fingerprint.toJson(),
                Instant.now(), null), tables);
            checkpoints = Checkpoints.read(c);
            log.debug("Run recorded");
          } else {
            checkpoints = new LinkedHashMap<>();
          }
        } else {
          Fingerprint then = Fingerprint.fromJson(run.get().fingerprint());
          List<String> differences = then.differences(fingerprint);
          if (!differences.isEmpty()) {
            throw StorageException.refused("the source changed since the checkpoints in schema " + settings.schema()
                + " were taken from " + run.get().sourcePath() + " (" + String.join("; ", differences)
                + "); run again with --restart to copy it from the start");
          }
          for (TablePlan t : tables) {
            if (!checkpoints.containsKey(t.table())) {
              throw StorageException.refused("schema " + settings.schema() + " has no checkpoint for table "
                  + t.table() + " (a different MeshHub made the partial copy); run again with --restart");
            }
          }
          mode = run.get().finished() ? Mode.REVERIFY : Mode.RESUME;
        }
        List<PlanRow> rows = new ArrayList<>();
        for (TablePlan t : tables) {
          Checkpoints.Checkpoint cp = checkpoints.get(t.table());
          rows.add(new PlanRow(t.table(), t.sourceRows(), cp == null ? 0 : cp.rows(), cp != null && cp.done()));
        }
        Plan plan = new Plan(source.file().toString(), sourceVersion, settings.displayLocation(), schemaAction, mode,
            rows, options.batchSize(), options.checkpoints());
        return new Migration(options, source, sourceLock, target, lockConnection, tables, checkpoints, plan);
      }
    } catch (SQLException e) {
      closeQuietly(lockConnection, target, sourceLock);
      throw Failures.describe(e, "preparing the migration", settings, source.file());
    } catch (RuntimeException e) {
      closeQuietly(lockConnection, target, sourceLock);
      throw e;
    }
  }

  /** Keeps a MeshHub from starting on the source while it is copied; a read-only folder is fine without. */
  private static SqliteLock lockSource(SourceDatabase source) {
    try {
      return SqliteLock.acquire(source.file());
    } catch (StorageException e) {
      if (e.isRefusal()) {
        throw StorageException.refused("a running MeshHub is using " + source.file() + "; stop it first: the"
            + " migration copies a source that nobody writes");
      }
      log.info("Cannot lock {} against a MeshHub starting on it ({}); do not start one until the migration ends",
          source.file(), e.getMessage());
      return null;
    }
  }

  private static boolean tryAdvisoryLock(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      ps.setString(1, "meshhub-migrate:" + schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static String migrateSchema(Database target) {
    SchemaMigrations.Result r = new SchemaMigrations(target).migrate();
    if (r.applied().isEmpty()) {
      return "schema " + target.settings().schema() + " is up to date at version " + r.toVersion();
    }
    return r.fromVersion() == 0 ? "created schema " + target.settings().schema() + " at version " + r.toVersion()
        : "upgraded schema " + target.settings().schema() + " from version " + r.fromVersion() + " to "
            + r.toVersion();
  }

  /** What the schema step would do, found by doing it in a transaction that is rolled back. */
  private static String inspectSchemaInRollback(Database target) throws SQLException {
    String schema = target.settings().schema();
    try (Connection c = target.connection()) {
      boolean exists = schemaExists(c, schema);
      List<Integer> pending = exists ? SchemaMigrations.pending(c, Dialect.POSTGRESQL)
          : SchemaMigrations.available(Dialect.POSTGRESQL).stream().map(SchemaMigrations.Migration::version).toList();
      int latest = SchemaMigrations.latestVersion(Dialect.POSTGRESQL);
      if (!exists) {
        return "would create schema " + schema + " at version " + latest;
      }
      if (pending.isEmpty()) {
        return "schema " + schema + " is up to date at version " + latest;
      }
      return "would upgrade schema " + schema + " to version " + latest + " (applying " + pending + ")";
    }
  }

  /** The target tables as the migrations would make them, without keeping anything. */
  private static TargetSchema schemaInRollback(Database target) throws SQLException {
    String schema = target.settings().schema();
    try (Connection c = target.connection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
        st.execute("SET LOCAL search_path TO \"" + schema + "\"");
        java.util.Set<Integer> done = new java.util.HashSet<>(SchemaMigrations.tableExists(c,
            SchemaMigrations.VERSION_TABLE) ? appliedVersions(c) : List.of());
        for (SchemaMigrations.Migration m : SchemaMigrations.available(Dialect.POSTGRESQL)) {
          if (!done.contains(m.version())) {
            for (String sql : SchemaMigrations.splitStatements(m.sql())) {
              st.execute(sql);
            }
          }
        }
        return TargetSchema.read(c);
      } catch (SQLException e) {
        if ("42501".equals(e.getSQLState())) {
          throw StorageException.refused("PostgreSQL role '" + target.settings().user() + "' may not create schema "
              + schema + " or its tables (" + Failures.message(e) + "); grant it CREATE on database '"
              + target.settings().database() + "'");
        }
        throw e;
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  private static List<Integer> appliedVersions(Connection c) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM " + SchemaMigrations.VERSION_TABLE)) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private static boolean schemaExists(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Fingerprint fingerprint(Connection src, int version, List<SourceDatabase.Table> sourceTables,
      List<TablePlan> tables) throws SQLException {
    Map<String, Fingerprint.Mark> marks = new LinkedHashMap<>();
    for (TablePlan t : tables) {
      marks.put(t.table(), new Fingerprint.Mark(t.sourceRows(), SourceDatabase.maxKey(src, t.source())));
    }
    return new Fingerprint(version, Fingerprint.digest(sourceTables), marks);
  }

  /**
   * Refuses a target whose tables hold rows this migration did not write: in a table the run has a checkpoint for,
   * more rows than the checkpoint counts (MeshHub has run on the schema since, or something else wrote to it); in any
   * other table, rows beyond those MeshHub's own schema migrations put there.
   */
  private static void checkForeignData(Connection c, TargetSchema schema, Optional<Checkpoints.Run> run,
      Map<String, Checkpoints.Checkpoint> checkpoints, DatabaseSettings settings) throws SQLException {
    if (schema == null) {
      return;
    }
    Map<String, Long> foreign = new LinkedHashMap<>();
    List<String> others = new ArrayList<>();
    for (String table : schema.dataTables()) {
      if (!SchemaMigrations.tableExists(c, table)) {
        continue; // only in the rolled-back preview of a dry run
      }
      Checkpoints.Checkpoint cp = run.isPresent() ? checkpoints.get(table) : null;
      if (cp == null) {
        others.add(table);
      } else {
        long rows = count(c, table);
        if (rows > cp.rows()) {
          foreign.put(table, rows - cp.rows());
        }
      }
    }
    if (!others.isEmpty()) {
      SeedRows.foreignRows(c, settings.schema(), others).forEach((table, rows) -> {
        if (rows > 0) {
          foreign.put(table, rows);
        }
      });
    }
    if (!foreign.isEmpty()) {
      Map.Entry<String, Long> first = foreign.entrySet().iterator().next();
      String since = run.isPresent() && run.get().finished()
          ? " (MeshHub has run on it since the migration finished)" : "";
      throw StorageException.refused("schema " + settings.schema() + " at " + settings.endpoint() + " holds "
          + first.getValue() + (first.getValue() == 1 ? " row" : " rows") + " in " + first.getKey() + (foreign.size() > 1 ? " (and more in "
          + (foreign.size() - 1) + " other tables)" : "") + " that this migration did not write" + since
          + "; it will not touch them: migrate into an empty schema (set DATABASE_SCHEMA)");
    }
  }

  private static boolean hasRows(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + SourceDatabase.quote(table) + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + SourceDatabase.quote(table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Used by the migrator actor

  public Plan plan() {
    return plan;
  }

  public MigrationOptions options() {
    return options;
  }

  List<TablePlan> tables() {
    return tables;
  }

  Checkpoints.Checkpoint checkpointAtStart(String table) {
    return checkpoints.get(table);
  }

  /** The checkpoint as committed now (after a lost connection, the last batch may or may not have made it). */
  Checkpoints.Checkpoint currentCheckpoint(String table) throws SQLException {
    try (Connection c = target.connection()) {
      Checkpoints.Checkpoint cp = Checkpoints.read(c).get(table);
      if (cp == null) {
        throw StorageException.refused("the checkpoint of " + table + " disappeared from schema "
            + target.settings().schema() + "; run again with --restart");
      }
      return cp;
    }
  }

  BatchReader reader(TablePlan table, String afterKey) throws SQLException {
    return new BatchReader(source, table, afterKey, options.batchSize(), 32 << 20);
  }

  BatchWriter writer(TablePlan table, Checkpoints.Checkpoint from) throws SQLException {
    Connection c = target.connection();
    try {
      return new BatchWriter(c, table, from, options.checkpoints());
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Indexes and constraints set aside and not built again yet. */
  List<DeferredIndexes.Item> deferred() throws SQLException {
    try (Connection c = target.connection()) {
      return DeferredIndexes.pending(c);
    }
  }

  /** Builds one set-aside index or constraint again. */
  void restore(DeferredIndexes.Item item) throws SQLException {
    try (Connection c = target.connection()) {
      DeferredIndexes.restore(c, item);
    }
  }

  void markFinished() throws SQLException {
    try (Connection c = target.connection()) {
      Checkpoints.finish(c);
    }
  }

  /**
   * The reconciliation of one table. The source side is the checksum the checkpoint carries (accumulated while the
   * rows were read for the copy) unless {@code recompute}, which reads the whole source table again.
   */
  Verification.Row verify(TablePlan table, boolean recompute, LongConsumer progress)
      throws SQLException, IOException {
    Verifier.Sum target;
    try (Connection c = this.target.connection()) {
      target = Verifier.target(c, table, progress);
    }
    long sourceRows;
    long sourceChecksum;
    if (recompute) {
      Verifier.Sum s = Verifier.source(source, table, options.batchSize(), n -> { });
      sourceRows = s.rows();
      sourceChecksum = s.checksum();
    } else {
      try (Connection src = source.connect()) {
        sourceRows = SourceDatabase.count(src, table.table());
      }
      sourceChecksum = currentCheckpoint(table.table()).checksum();
    }
    return new Verification.Row(table.table(), sourceRows, target.rows(), sourceChecksum, target.checksum());
  }

  StorageException describe(Throwable t, String doing) {
    return Failures.describe(t, doing, options.target(), source.file());
  }

  /** Releases the source lock and the target connections. */
  @Override
  public void close() {
    closeQuietly(lockConnection, target, sourceLock);
  }

  private static void closeQuietly(Connection lockConnection, Database target, SqliteLock sourceLock) {
    if (lockConnection != null) {
      try (Statement st = lockConnection.createStatement()) {
        st.execute("SELECT pg_advisory_unlock_all()");
      } catch (SQLException ignored) {
        // the session is gone, and its locks with it
      }
      try {
        lockConnection.close();
      } catch (SQLException ignored) {
        // gone already
      }
    }
    if (target != null) {
      target.close();
    }
    if (sourceLock != null) {
      sourceLock.close();
    }
  }
}
