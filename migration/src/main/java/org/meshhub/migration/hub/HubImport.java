package org.meshhub.migration.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.meshhub.core.BatchOutcome;
import org.meshhub.core.Slices;
import org.meshhub.core.journal.JournalAppender;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.StorageException;
import org.meshhub.migration.MigrationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meshhub db import-meshcore-hub}: MeshCore Hub's history turned into MeshHub events, table after table (see
 * {@link HubTables}). Each table is read with forward-only cursors in batches, the next batch read while one is
 * written, and its checkpoint moves past a batch (with the counts of what its rows became) once every event of it is
 * stored:
 *
 * <ul>
 *   <li>node history goes to the node entities through cluster sharding, one command per node and batch carrying all
 *       its items, many nodes at once (bounded by {@link ImportOptions#inFlight()}); a batch killed before its
 *       checkpoint is sent again, and the entities recognise what they hold;
 *   <li>packets (messages, traces) are one entity each: when the entity has no events yet, the events it would make
 *       ({@link MessageEntity#receptions}) are appended to the journal in one transaction with the checkpoint
 *       ({@link JournalAppender}), which spares starting and recovering an entity per packet; a packet whose entity
 *       has events already is sent to it.
 * </ul>
 *
 * <p>Nothing is written to the source; the target must be a MeshHub that holds nothing else (or {@code --restart}
 * over an earlier import), and nothing else may write it while the import runs.
 */
public final class HubImport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HubImport.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Batches read ahead of the oldest one still waiting for its entities. */
  private static final int BATCHES_AHEAD = 4;

  private final ImportOptions options;
  private final HubSource source;
  private final Database target;
  private final NodeDirectory nodes;
  private final HubMapping mapping;
  private final ImportPlan plan;
  private final String fingerprint;
  private final Map<String, Long> sourceRows;
  private final Map<String, HubTables.Table<?>> tables = new LinkedHashMap<>();
  private final Map<String, MigrationStatus.TableProgress> progress = new LinkedHashMap<>();
  private volatile MigrationStatus.Phase phase = MigrationStatus.Phase.COPYING;
  private volatile String current;
  private volatile boolean stopRequested;
  private final Map<String, AtomicLong> observersThisRun = new java.util.concurrent.ConcurrentHashMap<>();

  private HubImport(ImportOptions options, HubSource source, Database target, NodeDirectory nodes,
      HubMapping mapping, ImportPlan plan, String fingerprint, Map<String, Long> sourceRows) {
    this.options = options;
    this.source = source;
    this.target = target;
    this.nodes = nodes;
    this.mapping = mapping;
    this.plan = plan;
    this.fingerprint = fingerprint;
    this.sourceRows = sourceRows;
    for (HubTables.Table<?> t : HubTables.all()) {
      tables.put(t.name(), t);
    }
    for (ImportPlan.TableRow row : plan.tables()) {
      progress.put(row.table(), new MigrationStatus.TableProgress(row.table(), row.sourceRows(), row.readBefore(), 0,
          0, row.done(), 0));
    }
  }

  /** What the source holds, how it looked (for a resume), and how to name its channels. */
  private record SourceFacts(Map<String, Long> rows, Map<String, Long> observerRows, String fingerprint,
      Map<Integer, String> channels) {}

  private static SourceFacts facts(HubSource source) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (HubTables.Table<?> t : HubTables.all()) {
      rows.put(t.name(), source.count(t.name()));
    }
    Map<String, Long> observers = source.observerCounts();
    Map<String, Object> print = new LinkedHashMap<>();
    print.put("revision", source.revision().id());
    print.put("rows", rows);
    print.put("event_observers", observers);
    String fingerprint;
    try {
      fingerprint = JSON.writeValueAsString(print);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Map<Integer, String> channels = new HashMap<>();
    if (source.hasTable("channels") && source.columns("channels").contains("channel_hash")) {
      try (Statement st = source.connection().createStatement();
          ResultSet rs = st.executeQuery("SELECT channel_hash, name FROM channels ORDER BY name")) {
        while (rs.next()) {
          try {
            channels.putIfAbsent(Integer.parseInt(rs.getString(1).strip(), 16), rs.getString(2));
          } catch (RuntimeException notHex) {
            // a channel row with no usable hash names nothing
          }
        }
      }
    }
    return new SourceFacts(rows, observers, fingerprint, channels);
  }

  /**
   * The plan without writing anything anywhere: the source is read, MeshHub's database only looked at when it exists.
   *
   * @param target MeshHub's database opened without creating or migrating it, or null when there is none yet
   */
  public static ImportPlan dryRun(ImportOptions options, Database target, String targetDisplay) {
    try (HubSource source = HubSource.open(options.source(), options.sourceSchema())) {
      SourceFacts facts = facts(source);
      if (target == null) {
        return plan(options, source, targetDisplay, facts, ImportPlan.Mode.FRESH, Map.of(), 0, null);
      }
      try (Connection c = target.connection()) {
        return decide(options, source, targetDisplay, facts, c);
      }
    } catch (SQLException e) {
      throw StorageException.failed("reading MeshHub's database failed: " + Database.rootMessage(e), e);
    }
  }

  /**
   * Takes the opened source (closed with the import) and looks at MeshHub's database (created and migrated by the
   * caller), or refuses with one line: a MeshHub that holds other data, an interrupted import of another source.
   */
  public static HubImport prepare(HubSource source, ImportOptions options, Database target) {
    try {
      SourceFacts facts = facts(source);
      NodeDirectory nodes = NodeDirectory.load(source);
      ImportPlan plan;
      try (Connection c = target.connection()) {
        plan = decide(options, source, target.settings().displayLocation(), facts, c);
      }
      return new HubImport(options, source, target, nodes, new HubMapping(nodes, facts.channels()), plan,
          facts.fingerprint(), facts.rows());
    } catch (SQLException e) {
      source.close();
      throw StorageException.failed("preparing the import failed: " + Database.rootMessage(e), e);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private static ImportPlan decide(ImportOptions options, HubSource source, String targetDisplay, SourceFacts facts,
      Connection c) throws SQLException {
    long events = SchemaMigrations.tableExists(c, "event_journal") ? count(c, "SELECT COUNT(*) FROM event_journal")
        : 0;
    Optional<ImportCheckpoints.Run> run = ImportCheckpoints.readRun(c);
    Map<String, ImportCheckpoints.Checkpoint> checkpoints = ImportCheckpoints.read(c);
    if (options.restart()) {
      return plan(options, source, targetDisplay, facts, ImportPlan.Mode.RESTART, Map.of(), events,
          run.map(ImportCheckpoints.Run::source).orElse(null));
    }
    if (run.isEmpty()) {
      if (events > 0) {
        throw StorageException.refused("MeshHub's database at " + targetDisplay + " already holds " + events
            + " events; import MeshCore Hub into a new one (another DATA_HOME or DATABASE_SCHEMA), or give"
            + " --restart to import into it all the same");
      }
      return plan(options, source, targetDisplay, facts, ImportPlan.Mode.FRESH, Map.of(), events, null);
    }
    ImportCheckpoints.Run r = run.get();
    if (!r.fingerprint().equals(facts.fingerprint())) {
      throw StorageException.refused("MeshHub's database holds an import of " + r.source() + " (MeshCore Hub schema "
          + r.revision() + ") and this source differs from it (" + differences(r.fingerprint(), facts.fingerprint())
          + "); give --restart to import this source from its first row");
    }
    return plan(options, source, targetDisplay, facts, r.finished() ? ImportPlan.Mode.FINISHED
        : ImportPlan.Mode.RESUME, checkpoints, events, r.source());
  }

  private static String differences(String then, String now) {
    try {
      Map<?, ?> a = JSON.readValue(then, Map.class);
      Map<?, ?> b = JSON.readValue(now, Map.class);
      List<String> out = new ArrayList<>();
      if (!String.valueOf(a.get("revision")).equals(String.valueOf(b.get("revision")))) {
        out.add("schema revision " + a.get("revision") + " then, " + b.get("revision") + " now");
      }
      Map<?, ?> ra = (Map<?, ?>) a.get("rows");
      Map<?, ?> rb = (Map<?, ?>) b.get("rows");
      for (Object table : rb.keySet()) {
        Object x = ra == null ? null : ra.get(table);
        Object y = rb.get(table);
        if (x == null || !String.valueOf(x).equals(String.valueOf(y))) {
          out.add(table + " had " + x + " rows then, " + y + " now");
        }
      }
      if (!String.valueOf(a.get("event_observers")).equals(String.valueOf(b.get("event_observers")))) {
        out.add("event_observers differs");
      }
      return out.isEmpty() ? "another database" : String.join(", ", out);
    } catch (JsonProcessingException | RuntimeException e) {
      return "another database";
    }
  }

  private static ImportPlan plan(ImportOptions options, HubSource source, String targetDisplay, SourceFacts facts,
      ImportPlan.Mode mode, Map<String, ImportCheckpoints.Checkpoint> checkpoints, long events, String runSource) {
    List<ImportPlan.TableRow> rows = new ArrayList<>();
    for (HubTables.Table<?> t : HubTables.all()) {
      ImportCheckpoints.Checkpoint cp = mode == ImportPlan.Mode.RESTART ? null : checkpoints.get(t.name());
      rows.add(new ImportPlan.TableRow(t.name(), facts.rows().get(t.name()), cp == null ? 0 : cp.rowsRead(),
          cp != null && cp.done(), t.readTables()));
    }
    return new ImportPlan(source.display(), source.revision(), targetDisplay, mode, options.batchSize(), rows,
        facts.observerRows(), events, runSource);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public ImportPlan plan() {
    return plan;
  }

  /** Where the import is, for a progress display. */
  public MigrationStatus status() {
    synchronized (progress) {
      return new MigrationStatus(phase, current, null, new ArrayList<>(progress.values()));
    }
  }

  /** Stops after the batches being written are answered and checkpointed. */
  public void stop() {
    stopRequested = true;
  }

  /** How a run ended. */
  public enum Outcome {
    FINISHED,
    STOPPED
  }

  /**
   * Imports every table not done yet, on the calling thread, through the entities of {@code system}. Returns when
   * every table is imported or a stop was asked for; throws {@link StorageException} (one line) on a failure, the
   * checkpoints then being where the last answered batch left them.
   */
  public Outcome run(ActorSystem<?> system) {
    if (plan.mode() == ImportPlan.Mode.FINISHED) {
      phase = MigrationStatus.Phase.FINISHED;
      return Outcome.FINISHED;
    }
    ClusterSharding sharding = ClusterSharding.get(system);
    JournalAppender appender = new JournalAppender(system);
    try (Connection c = target.connection()) {
      Map<String, ImportCheckpoints.Checkpoint> checkpoints;
      if (plan.mode() == ImportPlan.Mode.FRESH || plan.mode() == ImportPlan.Mode.RESTART) {
        ImportCheckpoints.begin(c, new ImportCheckpoints.Run(source.display(), source.revision().id(), fingerprint,
            plan.mode() == ImportPlan.Mode.RESTART && plan.targetEvents() > 0, System.currentTimeMillis(), null),
            new ArrayList<>(tables.keySet()));
      }
      checkpoints = ImportCheckpoints.read(c);
      for (HubTables.Table<?> table : tables.values()) {
        ImportCheckpoints.Checkpoint cp = checkpoints.get(table.name());
        if (cp == null) {
          throw StorageException.failed("the checkpoint of " + table.name() + " is missing", null);
        }
        if (cp.done()) {
          continue;
        }
        if (stopRequested) {
          return Outcome.STOPPED;
        }
        boolean finished = table.appendsPackets() ? appendTable(c, sharding, appender, table, cp)
            : importTable(c, sharding, table, cp);
        if (!finished) {
          return Outcome.STOPPED;
        }
      }
      ImportCheckpoints.finish(c);
      phase = MigrationStatus.Phase.FINISHED;
      current = null;
      return Outcome.FINISHED;
    } catch (SQLException e) {
      throw StorageException.failed("the import failed: " + Database.rootMessage(e), e);
    }
  }

  private record Pending(ImportBatch batch, CompletableFuture<Counters> answers) {}

  /** One table to its end; false when stopped on request. */
  private <R> boolean importTable(Connection c, ClusterSharding sharding, HubTables.Table<R> table,
      ImportCheckpoints.Checkpoint from) throws SQLException {
    current = table.name();
    log.info("Importing {} from row {}", table.name(), from.rowsRead());
    Counters counters = from.counters().copy();
    Semaphore permits = new Semaphore(options.inFlight());
    long started = System.nanoTime();
    long readThisRun = 0;
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    long checkpointed = from.rowsRead();
    String lastKey = from.lastKey();
    try (TableReader<R> reader = new TableReader<>(source, table, mapping, options.batchSize(), from.rowsRead(),
        from.lastKey())) {
      while (!stopRequested) {
        ImportBatch batch = reader.next();
        if (batch == null) {
          break;
        }
        pending.add(new Pending(batch, dispatch(sharding, batch, permits)));
        while (!pending.isEmpty() && (pending.size() > BATCHES_AHEAD || pending.peek().answers().isDone())) {
          Pending p = pending.poll();
          counters.addAll(await(p));
          observed(table.name(), p.batch());
          readThisRun += p.batch().rowsRead() - checkpointed;
          checkpointed = p.batch().rowsRead();
          lastKey = p.batch().lastKey();
          ImportCheckpoints.advance(c, table.name(), checkpointed, lastKey, counters, false);
          progress(table.name(), checkpointed, readThisRun, System.nanoTime() - started, false);
        }
      }
      while (!pending.isEmpty()) {
        Pending p = pending.poll();
        counters.addAll(await(p));
        observed(table.name(), p.batch());
        readThisRun += p.batch().rowsRead() - checkpointed;
        checkpointed = p.batch().rowsRead();
        lastKey = p.batch().lastKey();
        ImportCheckpoints.advance(c, table.name(), checkpointed, lastKey, counters, false);
        progress(table.name(), checkpointed, readThisRun, System.nanoTime() - started, false);
      }
      if (stopRequested) {
        return false;
      }
      ImportCheckpoints.advance(c, table.name(), checkpointed, lastKey, counters, true);
      progress(table.name(), checkpointed, readThisRun, System.nanoTime() - started, true);
      log.info("Imported {}: {} rows read, {} events written", table.name(), checkpointed,
          counters.get(Counters.EVENTS));
      return true;
    } catch (SQLException e) {
      throw source.failure(e);
    }
  }

  /**
   * One table of packets to its end: each batch's messages go straight to the journal when their entity has no events
   * yet, as the entity's own rules make them ({@link MessageEntity#receptions}), in one transaction with the table's
   * checkpoint; a packet whose entity has events already (a row of a packet imported from an earlier batch, an
   * import started over) is sent to its entity first. The next batch is read while one is written. False when
   * stopped on request.
   */
  private <R> boolean appendTable(Connection c, ClusterSharding sharding, JournalAppender appender,
      HubTables.Table<R> table, ImportCheckpoints.Checkpoint from) throws SQLException {
    current = table.name();
    log.info("Importing {} from row {}", table.name(), from.rowsRead());
    Counters counters = from.counters().copy();
    long started = System.nanoTime();
    long[] checkpointed = {from.rowsRead(), 0};
    String[] lastKey = {from.lastKey()};
    ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "meshhub-import-writer"));
    CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
    try (TableReader<R> reader = new TableReader<>(source, table, mapping, options.batchSize(), from.rowsRead(),
        from.lastKey())) {
      while (!stopRequested) {
        ImportBatch batch = reader.next();
        if (batch == null) {
          break;
        }
        awaitWrite(writing);
        writing = CompletableFuture.runAsync(() -> {
          try {
            appendBatch(c, sharding, appender, table.name(), batch, counters);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
          observed(table.name(), batch);
          checkpointed[1] += batch.rowsRead() - checkpointed[0];
          checkpointed[0] = batch.rowsRead();
          lastKey[0] = batch.lastKey();
          progress(table.name(), checkpointed[0], checkpointed[1], System.nanoTime() - started, false);
        }, writer);
      }
      awaitWrite(writing);
      if (stopRequested) {
        return false;
      }
      ImportCheckpoints.advance(c, table.name(), checkpointed[0], lastKey[0], counters, true);
      progress(table.name(), checkpointed[0], checkpointed[1], System.nanoTime() - started, true);
      log.info("Imported {}: {} rows read, {} events written", table.name(), checkpointed[0],
          counters.get(Counters.EVENTS));
      return true;
    } catch (SQLException e) {
      throw source.failure(e);
    } finally {
      writer.shutdown();
    }
  }

  private void awaitWrite(CompletableFuture<Void> writing) {
    try {
      writing.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String what = cause instanceof CommandFailed ? cause.getMessage() : Database.rootMessage(cause);
      throw StorageException.failed("importing " + current + " failed at " + what + "; the rows up to the last"
          + " checkpoint are in; run the command again to carry on", cause);
    }
  }

  /** One batch of packets into the journal with the table's checkpoint, on the writer thread. */
  private void appendBatch(Connection c, ClusterSharding sharding, JournalAppender appender, String table,
      ImportBatch batch, Counters counters) throws SQLException {
    Map<String, ImportBatch.Send> byId = new LinkedHashMap<>();
    for (List<ImportBatch.Send> chain : batch.work()) {
      for (ImportBatch.Send send : chain) {
        byId.put(send.entity(), send);
      }
    }
    Map<String, Long> existing = JournalAppender.highestSequenceNumbers(c, byId.keySet());
    Counters out = batch.counters().copy();
    List<JournalAppender.Entry> entries = new ArrayList<>();
    List<CompletableFuture<BatchOutcome>> asks = new ArrayList<>();
    for (Map.Entry<String, ImportBatch.Send> e : byId.entrySet()) {
      ImportBatch.Send send = e.getValue();
      if (existing.containsKey(e.getKey())) {
        asks.add(ask(sharding, send));
        continue;
      }
      String hash;
      MessageEntity.Receptions made;
      if (send instanceof ImportBatch.ToMessage m) {
        hash = m.hash();
        made = MessageEntity.receptions(MessageEntity.State.empty(hash), m.content(), null, m.receptions());
      } else {
        ImportBatch.ToTrace t = (ImportBatch.ToTrace) send;
        hash = t.hash();
        made = MessageEntity.receptions(MessageEntity.State.empty(hash), t.content(), null, t.receptions());
      }
      String tag = Slices.tagFor(MessageEntity.TAG_PREFIX, hash);
      long seq = 1;
      for (MessageEntity.Event event : made.events()) {
        entries.add(new JournalAppender.Entry(e.getKey(), seq++, event, tag));
      }
      count(out, made.outcome());
    }
    for (CompletableFuture<BatchOutcome> a : asks) {
      count(out, a.join());
    }
    counters.addAll(out);
    appender.appendInTransaction(c, entries, conn -> ImportCheckpoints.update(conn, table, batch.rowsRead(),
        batch.lastKey(), counters, false));
  }

  private static void count(Counters out, BatchOutcome outcome) {
    out.add(Counters.RECORDED, outcome.recorded());
    out.add(Counters.RECEPTIONS_ADDED, outcome.receptionsAdded());
    out.add(Counters.EVENTS, outcome.events());
    out.add(Counters.DUPLICATES, outcome.duplicates());
  }

  /** One command to its entity, a failure naming the entity. */
  private CompletableFuture<BatchOutcome> ask(ClusterSharding sharding, ImportBatch.Send send) {
    return send.send(sharding, options.askTimeout()).toCompletableFuture().handle((outcome, error) -> {
      if (error != null) {
        throw new CompletionException(new CommandFailed(send.entity(), error));
      }
      return outcome;
    });
  }

  private void observed(String table, ImportBatch batch) {
    observersThisRun.computeIfAbsent(table, t -> new AtomicLong()).addAndGet(batch.counters().get(Counters.OBSERVERS));
  }

  /** Rows of {@code event_observers} this run read with the events of each table. */
  public Map<String, Long> observerRowsThisRun() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : tables.keySet()) {
      out.put(t, observersThisRun.getOrDefault(t, new AtomicLong()).get());
    }
    return out;
  }

  private void progress(String table, long rows, long thisRun, long nanos, boolean done) {
    synchronized (progress) {
      MigrationStatus.TableProgress p = progress.get(table);
      progress.put(table, new MigrationStatus.TableProgress(table, p.sourceRows(), rows, thisRun, nanos, done, 0));
    }
  }

  /** Sends a batch's commands, each entity's in order, at most {@code inFlight} entities at once. */
  private CompletableFuture<Counters> dispatch(ClusterSharding sharding, ImportBatch batch, Semaphore permits) {
    AtomicLong recorded = new AtomicLong();
    AtomicLong added = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    List<CompletableFuture<Void>> chains = new ArrayList<>(batch.work().size());
    for (List<ImportBatch.Send> chain : batch.work()) {
      permits.acquireUninterruptibly();
      CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
      for (ImportBatch.Send send : chain) {
        done = done.thenCompose(x -> ask(sharding, send).thenAccept(outcome -> {
          recorded.addAndGet(outcome.recorded());
          added.addAndGet(outcome.receptionsAdded());
          duplicates.addAndGet(outcome.duplicates());
        }));
      }
      done.whenComplete((x, e) -> permits.release());
      chains.add(done);
    }
    return CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).thenApply(x -> {
      Counters out = batch.counters().copy();
      out.add(Counters.RECORDED, recorded.get());
      out.add(Counters.RECEPTIONS_ADDED, added.get());
      out.add(Counters.EVENTS, recorded.get() + added.get());
      out.add(Counters.DUPLICATES, duplicates.get());
      return out;
    });
  }

  /** A command an entity did not take. */
  private static final class CommandFailed extends RuntimeException {
    CommandFailed(String entity, Throwable cause) {
      super(entity + ": " + describe(cause), cause);
    }

    private static String describe(Throwable e) {
      Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
        return "no answer in time (is the database overloaded or gone?)";
      }
      if (t instanceof StatusReply.ErrorMessage) {
        return "refused: " + t.getMessage();
      }
      return Database.rootMessage(t);
    }
  }

  private Counters await(Pending p) {
    try {
      return p.answers().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String what = cause instanceof CommandFailed ? cause.getMessage() : Database.rootMessage(cause);
      throw StorageException.failed("importing " + current + " failed at " + what + "; the rows up to the last"
          + " checkpoint are in; run the command again to carry on", cause);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // reconciliation

  /**
   * The account of the whole import, once MeshHub's read side has caught up with the journal: per source table
   * what was read, mapped and written, and the read rows against what the mapped rows must make.
   */
  public Reconciliation reconcile() {
    phase = MigrationStatus.Phase.VERIFYING;
    try (Connection c = target.connection()) {
      Map<String, ImportCheckpoints.Checkpoint> checkpoints = ImportCheckpoints.read(c);
      Optional<ImportCheckpoints.Run> run = ImportCheckpoints.readRun(c);
      boolean atLeast = run.map(ImportCheckpoints.Run::overEarlierData).orElse(false);
      List<Reconciliation.Line> lines = new ArrayList<>();
      List<String> why = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (HubTables.Table<?> table : tables.values()) {
        ImportCheckpoints.Checkpoint cp = checkpoints.get(table.name());
        Counters k = cp == null ? new Counters() : cp.counters();
        long rows = sourceRows.getOrDefault(table.name(), 0L);
        if (cp == null || !cp.done()) {
          problems.add(table.name() + " is not imported to its end");
        } else if (k.get(Counters.ROWS) != rows) {
          problems.add(table.name() + ": " + k.get(Counters.ROWS) + " rows read of " + rows);
        }
        long notMapped = unmapped(k, false);
        long carried = k.get(Counters.NOTE + HubTables.Nodes.NOTE_CARRIED);
        if (k.get(Counters.MAPPED) + notMapped + carried != k.get(Counters.ROWS)) {
          problems.add(table.name() + ": " + k.get(Counters.ROWS) + " rows read but " + k.get(Counters.MAPPED)
              + " mapped and " + notMapped + " not mapped");
        }
        explain(why, table.name(), k, false);
        if (table instanceof HubTables.Nodes) {
          nodeLines(c, table.name(), rows, k, atLeast, lines, why, problems);
        } else {
          String primary = table.readTables().get(0);
          lines.add(line(c, table.name(), rows, k.get(Counters.MAPPED), notMapped, k.get(Counters.RECORDED),
              primary, k.get(Counters.EXPECT + primary), atLeast));
        }
        if (table.eventType() != null) {
          observerLines(c, table, k, atLeast, lines, why, problems);
        }
      }
      long unknownTypes = 0;
      Set<String> types = new HashSet<>();
      tables.values().forEach(t -> types.add(t.eventType()));
      for (Map.Entry<String, Long> e : plan.observerRows().entrySet()) {
        if (!types.contains(e.getKey())) {
          unknownTypes += e.getValue();
        }
      }
      if (unknownTypes > 0) {
        why.add(String.format(Locale.ROOT, "event_observers: not mapped (%,d): %s: %s",
            unknownTypes, Unmapped.OBSERVER_TYPE.description(), String.join(", ", plan.observerRows().keySet().stream().filter(t -> !types.contains(t))
                .toList())));
      }
      for (Reconciliation.Line line : lines) {
        if (!line.ok()) {
          problems.add(String.format(Locale.ROOT, "%s holds %,d rows where the import made %s%,d", line.readTable(),
              line.readRows(), line.atLeast() ? "at least " : "", line.expectedRows()));
        }
      }
      return new Reconciliation(lines, why, problems);
    } catch (SQLException e) {
      throw StorageException.failed("reading MeshHub's tables for the reconciliation failed: "
          + Database.rootMessage(e), e);
    }
  }

  private void nodeLines(Connection c, String table, long rows, Counters k, boolean atLeast,
      List<Reconciliation.Line> lines, List<String> why, List<String> problems) throws SQLException {
    Set<String> entities = new HashSet<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT persistence_id FROM event_journal"
            + " WHERE persistence_id LIKE 'Node|%'")) {
      while (rs.next()) {
        entities.add(rs.getString(1).substring("Node|".length()));
      }
    }
    Set<String> sourceKeys = new HashSet<>();
    long badKeys = 0;
    for (NodeDirectory.Node n : nodes.all()) {
      if (n.publicKey() == null) {
        badKeys++;
      } else {
        sourceKeys.add(n.publicKey());
      }
    }
    long silent = sourceKeys.stream().filter(key -> !entities.contains(key)).count();
    long extra = entities.stream().filter(key -> !sourceKeys.contains(key)).count();
    long readNodes = count(c, "SELECT COUNT(*) FROM nodes");
    lines.add(new Reconciliation.Line(table, rows, rows - silent - badKeys, silent + badKeys,
        0, "nodes", readNodes, entities.size(), atLeast));
    if (silent > 0) {
      why.add(String.format(Locale.ROOT, "nodes: nothing MeshHub records (%,d): no advert, telemetry,"
          + " tag or observer role left in the source, and MeshHub knows a node by what it heard", silent));
    }
    if (badKeys > 0) {
      why.add(String.format(Locale.ROOT, "nodes: public key not 64 hex characters (%,d)", badKeys));
    }
    if (extra > 0) {
      why.add(String.format(Locale.ROOT, "nodes: known from adverts or telemetry only, with no nodes row%s (%,d)",
          atLeast ? " or from data MeshHub held before" : "", extra));
    }
    lines.add(line(c, table, rows, k.get(Counters.MAPPED), unmapped(k, false), k.get(Counters.RECORDED),
        HubTables.READ_STATUS_HISTORY, k.get(Counters.EXPECT + HubTables.READ_STATUS_HISTORY), atLeast));
  }

  private void observerLines(Connection c, HubTables.Table<?> table, Counters k, boolean atLeast,
      List<Reconciliation.Line> lines, List<String> why, List<String> problems) throws SQLException {
    String label = "event_observers (" + table.eventType() + ")";
    long total = plan.observerRows().getOrDefault(table.eventType(), 0L);
    long read = k.get(Counters.OBSERVERS);
    long orphans = total - read;
    if (orphans < 0) {
      problems.add(label + ": " + read + " rows read with their events, more than the " + total + " it has");
    } else if (orphans > 0) {
      why.add(String.format(Locale.ROOT, "%s: not mapped (%,d): %s", label, orphans,
          Unmapped.OBSERVER_ORPHAN.description()));
    }
    long notMapped = unmapped(k, true) + Math.max(0, orphans);
    long mapped = k.get(Counters.OBSERVERS_MAPPED);
    if (read != mapped + unmapped(k, true)) {
      problems.add(label + ": " + read + " rows read but " + mapped + " mapped and " + unmapped(k, true)
          + " not mapped");
    }
    explain(why, label, k, true);
    String readTable = table.readTables().size() > 1 ? table.readTables().get(1) : null;
    long offered = mapped + k.get(Counters.NOTE + HubMapping.NOTE_RECEPTION_FROM_ROW);
    if (readTable == null) {
      // Telemetry: one reading per observer row, in the telemetry line.
      return;
    }
    long expected = k.get(Counters.EXPECT + readTable);
    if (offered > expected) {
      why.add(String.format(Locale.ROOT, "%s: merged (%,d): the same observer heard rows MeshHub makes"
          + " one %s of", label, offered - expected, table instanceof HubTables.Adverts ? "advert (same public key and"
          + " advert timestamp)" : "packet (same packet hash)"));
    }
    lines.add(line(c, label, total, mapped, notMapped, k.get(Counters.RECEPTIONS_ADDED), readTable, expected,
        atLeast));
  }

  private static long unmapped(Counters k, boolean observers) {
    long n = 0;
    for (Map.Entry<String, Long> e : k.asMap().entrySet()) {
      Optional<Unmapped> reason = Unmapped.fromCounter(e.getKey());
      if (reason.isPresent() && reason.get().name().startsWith("OBSERVER_") == observers) {
        n += e.getValue();
      }
    }
    return n;
  }

  private static void explain(List<String> why, String table, Counters k, boolean observers) {
    for (Map.Entry<String, Long> e : k.asMap().entrySet()) {
      Optional<Unmapped> reason = Unmapped.fromCounter(e.getKey());
      if (reason.isPresent() && reason.get().name().startsWith("OBSERVER_") == observers) {
        why.add(String.format(Locale.ROOT, "%s: not mapped (%,d): %s", table, e.getValue(),
            reason.get().description()));
      }
    }
    if (observers) {
      return;
    }
    long mapped = k.get(Counters.MAPPED);
    for (Map.Entry<String, Long> e : k.asMap().entrySet()) {
      if (!e.getKey().startsWith(Counters.EXPECT)) {
        continue;
      }
      String readTable = e.getKey().substring(Counters.EXPECT.length());
      if (readTable.startsWith("receptions") || readTable.equals(HubTables.READ_ADVERT_RECEPTIONS)) {
        continue;
      }
      if (readTable.equals(HubTables.READ_TELEMETRY)) {
        why.add(String.format(Locale.ROOT, "%s: one reading per observer that heard it, as MeshHub records"
            + " telemetry (%,d rows, %,d readings)", table, mapped, e.getValue()));
      } else if (mapped > e.getValue()) {
        why.add(String.format(Locale.ROOT, "%s: merged (%,d): %s", table, mapped - e.getValue(),
            readTable.equals(HubTables.READ_ADVERTS) ? "the same advert as another row (same public key and advert"
                + " timestamp; MeshCore Hub keeps an advert heard across its 5-minute buckets twice)"
                : "the same packet as another row (same packet hash, or the same sender time and text)"));
      }
    }
    notes(why, table, k);
  }

  private static void notes(List<String> why, String table, Counters k) {
    Map<String, String> text = new LinkedHashMap<>();
    List<String> pairs = List.of(
        HubMapping.NOTE_ADVERT_BUCKET, "adverts without their own timestamp, keyed by the 5-minute bucket of their"
            + " reception",
        HubMapping.NOTE_DERIVED_KEY, "messages without a packet hash, keyed by sender time and text as MeshHub keys"
            + " messages that come without their packet",
        HubMapping.NOTE_RECEPTION_FROM_ROW, "events with no event_observers rows, heard by the observer their own row"
            + " names",
        HubMapping.NOTE_TAG_EMPTY, "tags without a value, kept with an empty one",
        HubMapping.NOTE_ADVERT_LOCATION, "adverts given their node's location (MeshCore Hub keeps it on the node only)",
        HubTables.Nodes.NOTE_CARRIED, "nodes that are not observers, which MeshHub knows from their adverts,"
            + " telemetry and tags");
    for (int i = 0; i < pairs.size(); i += 2) {
      text.put(pairs.get(i), pairs.get(i + 1));
    }
    text.forEach((note, description) -> {
      long n = k.get(Counters.NOTE + note);
      if (n > 0) {
        why.add(String.format(Locale.ROOT, "%s: %s (%,d)", table, description, n));
      }
    });
  }

  private Reconciliation.Line line(Connection c, String sourceTable, long rows, long mapped, long notMapped,
      long events, String readTable, long expected, boolean atLeast) throws SQLException {
    return new Reconciliation.Line(sourceTable, rows, mapped, notMapped, events, readTable, readRows(c, readTable),
        expected, atLeast);
  }

  private static long readRows(Connection c, String readTable) throws SQLException {
    String sql = switch (readTable) {
      case HubTables.READ_MESSAGE_RECEPTIONS -> "SELECT COUNT(*) FROM receptions WHERE kind = 'message'";
      case HubTables.READ_TRACE_RECEPTIONS -> "SELECT COUNT(*) FROM receptions WHERE kind = 'trace'";
      default -> "SELECT COUNT(*) FROM " + readTable;
    };
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    source.close();
  }
}
