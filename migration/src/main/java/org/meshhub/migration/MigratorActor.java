package org.meshhub.migration;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.meshhub.core.db.StorageException;

/**
 * Owns a migration while it runs. The copy of each table is a stream: a forward-only cursor on the source cut into
 * batches, an asynchronous boundary (the next batch is read and converted while the previous one is written), and a
 * writer that commits every batch with its checkpoint. Tables are copied one after the other in the plan's order;
 * each copied table is verified (read back and checksummed) while the next one is copied. When every table is in,
 * the indexes and constraints set aside for the copy are built again, two at a time, and the run is marked finished.
 *
 * <p>The actor answers {@link GetStatus} at any time, and {@link Stop} ends the run cleanly: the batch being written
 * is committed with its checkpoint and the index being built is finished, nothing after them is started, and the
 * reply is the status at the end. A lost connection to PostgreSQL during the copy is retried (for
 * {@link MigrationOptions#retryFor()}), carrying on from the checkpoint committed last. The outcome completes the
 * future given to {@link #create}.
 */
public final class MigratorActor extends AbstractBehavior<MigratorActor.Command> {
  private static final String BLOCKING = "pekko.actor.default-blocking-io-dispatcher";
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** Indexes are built two at a time: each build keeps one server process busy. */
  private static final int INDEX_LANES = 2;

  /** What the migrator understands. */
  public sealed interface Command {}

  /** Replies with the current {@link MigrationStatus}. */
  public record GetStatus(ActorRef<MigrationStatus> replyTo) implements Command {}

  /** Stops after the batch being written is committed; replies with the status at the end. */
  public record Stop(ActorRef<MigrationStatus> replyTo) implements Command {}

  private record TableOpened(int index, BatchWriter writer, Checkpoints.Checkpoint from, Throwable failure)
      implements Command {}

  private record BatchCommitted(BatchWriter.Progress progress) implements Command {}

  private record TableEnded(int index, boolean done, Throwable failure) implements Command {}

  private record Retry(int index) implements Command {}

  private record VerifyProgress(int index, long rows) implements Command {}

  private record TableVerified(int index, Verification.Row row, Throwable failure) implements Command {}

  private record DeferredLoaded(List<DeferredIndexes.Item> items, Throwable failure) implements Command {}

  private record Restored(DeferredIndexes.Item item, Throwable failure) implements Command {}

  /** Starts copying at once; {@code result} completes when the run ends, however it ends. */
  public static Behavior<Command> create(Migration migration, CompletableFuture<MigrationResult> result) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> new MigratorActor(ctx, timers, migration, result)));
  }

  private final TimerScheduler<Command> timers;
  private final Migration migration;
  private final CompletableFuture<MigrationResult> result;
  private final List<TablePlan> tables;
  private final Materializer materializer;
  private final Executor blocking;
  private final boolean recompute;
  private final long[] copied;
  private final long[] copiedThisRun;
  private final long[] copyNanos;
  private final long[] verified;
  private final boolean[] done;
  private final Verification.Row[] verification;
  private final List<ActorRef<MigrationStatus>> stoppers = new ArrayList<>();
  private final AtomicBoolean cancelVerification = new AtomicBoolean();
  private final ArrayDeque<Integer> toVerify = new ArrayDeque<>();
  private final ArrayDeque<DeferredIndexes.Item> keysAndIndexes = new ArrayDeque<>();
  private final ArrayDeque<DeferredIndexes.Item> foreignKeys = new ArrayDeque<>();
  private final List<DeferredIndexes.Item> building = new ArrayList<>();

  private MigrationStatus.Phase phase = MigrationStatus.Phase.COPYING;
  private int copying = -1;
  private boolean opening;
  private long tableStarted;
  private UniqueKillSwitch killSwitch;
  private boolean loadingDeferred;
  private boolean indexed;
  private int verifying = -1;
  private int restored;
  private int toRestore;
  private boolean stopping;
  private boolean waitingToRetry;
  private long retryDeadline;
  private Duration backoff = FIRST_BACKOFF;

  private MigratorActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Migration migration,
      CompletableFuture<MigrationResult> result) {
    super(ctx);
    this.timers = timers;
    this.migration = migration;
    this.result = result;
    this.tables = migration.tables();
    this.materializer = Materializer.createMaterializer(ctx);
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.recompute = migration.plan().mode() == Migration.Mode.REVERIFY;
    int n = tables.size();
    copied = new long[n];
    copiedThisRun = new long[n];
    copyNanos = new long[n];
    verified = new long[n];
    done = new boolean[n];
    verification = new Verification.Row[n];
    for (int i = 0; i < n; i++) {
      Checkpoints.Checkpoint cp = migration.checkpointAtStart(tables.get(i).table());
      copied[i] = cp == null ? 0 : cp.rows();
      done[i] = cp != null && cp.done();
      if (done[i]) {
        toVerify.add(i);
      }
    }
    if (recompute) {
      ctx.getLog().info("Every table was copied by an earlier run; verifying again");
      indexed = true;
      phase = MigrationStatus.Phase.VERIFYING;
      verifyNext();
    } else {
      verifyNext();
      nextTable();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStatus.class, m -> {
          m.replyTo().tell(status());
          return this;
        })
        .onMessage(Stop.class, this::onStop)
        .onMessage(TableOpened.class, this::onTableOpened)
        .onMessage(BatchCommitted.class, this::onBatchCommitted)
        .onMessage(TableEnded.class, this::onTableEnded)
        .onMessage(Retry.class, m -> {
          waitingToRetry = false;
          openTable(m.index(), true);
          return this;
        })
        .onMessage(VerifyProgress.class, m -> {
          verified[m.index()] = m.rows();
          return this;
        })
        .onMessage(TableVerified.class, this::onTableVerified)
        .onMessage(DeferredLoaded.class, this::onDeferredLoaded)
        .onMessage(Restored.class, this::onRestored)
        .build();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Copying

  private Behavior<Command> nextTable() {
    for (int i = 0; i < tables.size(); i++) {
      if (!done[i]) {
        openTable(i, false);
        return this;
      }
    }
    copying = -1;
    startIndexing();
    return this;
  }

  /** Opens the writer (and, after a lost connection, reads the committed checkpoint) away from the actor's thread. */
  private void openTable(int index, boolean fromDatabase) {
    copying = index;
    opening = true;
    TablePlan table = tables.get(index);
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.runAsync(() -> {
      BatchWriter writer = null;
      try {
        Checkpoints.Checkpoint from = fromDatabase ? migration.currentCheckpoint(table.table())
            : migration.checkpointAtStart(table.table());
        writer = migration.writer(table, from);
        self.tell(new TableOpened(index, writer, from, null));
      } catch (Exception e) {
        if (writer != null) {
          writer.close();
        }
        self.tell(new TableOpened(index, null, null, e));
      }
    }, blocking);
  }

  private Behavior<Command> onTableOpened(TableOpened m) {
    opening = false;
    if (m.failure() != null) {
      return onTableEnded(new TableEnded(m.index(), false, m.failure()));
    }
    if (stopping) {
      m.writer().close();
      copying = -1;
      return stopWhenIdle();
    }
    TablePlan table = tables.get(m.index());
    copied[m.index()] = m.from().rows();
    getContext().getLog().info("Copying {}: {} rows in the source, {} copied already", table.table(),
        table.sourceRows(), m.from().rows());
    BatchWriter writer = m.writer();
    String afterKey = m.from().lastKey();
    ActorRef<Command> self = getContext().getSelf();
    Source<BatchReader.Batch, NotUsed> batches = Source.unfoldResource(
        () -> migration.reader(table, afterKey),
        reader -> Optional.ofNullable(reader.next()),
        BatchReader::close);
    Pair<UniqueKillSwitch, CompletionStage<Done>> running = batches
        .async(BLOCKING, 2)
        .viaMat(KillSwitches.single(), Keep.right())
        .map(writer::write)
        .async(BLOCKING, 1)
        .toMat(Sink.foreach(p -> self.tell(new BatchCommitted(p))), Keep.both())
        .run(materializer);
    killSwitch = running.first();
    tableStarted = System.nanoTime();
    int index = m.index();
    running.second().whenComplete((ok, error) -> {
      boolean finished = writer.done();
      writer.close();
      self.tell(new TableEnded(index, finished, error));
    });
    return this;
  }

  private Behavior<Command> onBatchCommitted(BatchCommitted m) {
    int i = indexOf(m.progress().table());
    copied[i] = m.progress().rows();
    copiedThisRun[i] += m.progress().batchRows();
    retryDeadline = 0;
    backoff = FIRST_BACKOFF;
    return this;
  }

  private Behavior<Command> onTableEnded(TableEnded m) {
    int i = m.index();
    if (tableStarted != 0) {
      copyNanos[i] += System.nanoTime() - tableStarted;
      tableStarted = 0;
    }
    killSwitch = null;
    TablePlan table = tables.get(i);
    if (m.failure() != null) {
      if (!stopping && Failures.transientFailure(Failures.unwrap(m.failure())) && retryAllowed()) {
        getContext().getLog().warn("Lost PostgreSQL while copying {} ({}); carrying on from the last checkpoint in"
            + " {} s", table.table(), Failures.message(Failures.unwrap(m.failure())), backoff.toSeconds());
        timers.startSingleTimer(new Retry(i), backoff);
        waitingToRetry = true;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        return this;
      }
      copying = -1;
      return finish(MigrationResult.Outcome.FAILED, migration.describe(m.failure(), "copying " + table.table()));
    }
    copying = -1;
    if (m.done()) {
      done[i] = true;
      getContext().getLog().info("Copied {}: {} rows ({} in this run)", table.table(), copied[i], copiedThisRun[i]);
      toVerify.add(i);
      verifyNext();
    }
    if (stopping) {
      return stopWhenIdle();
    }
    if (!m.done()) {
      return finish(MigrationResult.Outcome.FAILED, StorageException.failed("the copy of " + table.table()
          + " ended before its last row; run the command again: it carries on from the last checkpoint", null));
    }
    return nextTable();
  }

  private boolean retryAllowed() {
    long now = System.nanoTime();
    if (retryDeadline == 0) {
      retryDeadline = now + migration.options().retryFor().toNanos();
    }
    return now < retryDeadline;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Building the indexes and constraints set aside

  private void startIndexing() {
    phase = MigrationStatus.Phase.INDEXING;
    loadingDeferred = true;
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.runAsync(() -> {
      try {
        self.tell(new DeferredLoaded(migration.deferred(), null));
      } catch (Exception e) {
        self.tell(new DeferredLoaded(List.of(), e));
      }
    }, blocking);
  }

  private Behavior<Command> onDeferredLoaded(DeferredLoaded m) {
    loadingDeferred = false;
    if (m.failure() != null) {
      return finish(MigrationResult.Outcome.FAILED, migration.describe(m.failure(), "reading the indexes set aside"));
    }
    if (stopping) {
      return stopWhenIdle();
    }
    // The largest tables first, so that the two lanes end together.
    List<DeferredIndexes.Item> items = new ArrayList<>(m.items());
    items.sort(Comparator.comparingLong((DeferredIndexes.Item item) -> -rowsOf(item.table())));
    for (DeferredIndexes.Item item : items) {
      (item.kind() == DeferredIndexes.Kind.FOREIGN_KEY ? foreignKeys : keysAndIndexes).add(item);
    }
    toRestore = items.size();
    if (toRestore > 0) {
      getContext().getLog().info("Building {} indexes and constraints set aside during the copy", toRestore);
    }
    return buildNext();
  }

  private long rowsOf(String table) {
    for (TablePlan t : tables) {
      if (t.table().equals(table)) {
        return t.sourceRows();
      }
    }
    return 0;
  }

  private Behavior<Command> buildNext() {
    while (!stopping && building.size() < INDEX_LANES && !keysAndIndexes.isEmpty()) {
      build(keysAndIndexes.poll());
    }
    // Foreign keys once every key they refer to exists, one at a time.
    if (!stopping && building.isEmpty() && keysAndIndexes.isEmpty() && !foreignKeys.isEmpty()) {
      build(foreignKeys.poll());
    }
    if (!building.isEmpty()) {
      return this;
    }
    if (stopping) {
      return stopWhenIdle();
    }
    try {
      migration.markFinished();
    } catch (Exception e) {
      return finish(MigrationResult.Outcome.FAILED, migration.describe(e, "recording the end of the copy"));
    }
    indexed = true;
    phase = MigrationStatus.Phase.VERIFYING;
    return finishWhenVerified();
  }

  private void build(DeferredIndexes.Item item) {
    building.add(item);
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.runAsync(() -> {
      try {
        migration.restore(item);
        self.tell(new Restored(item, null));
      } catch (Exception e) {
        self.tell(new Restored(item, e));
      }
    }, blocking);
  }

  private Behavior<Command> onRestored(Restored m) {
    building.remove(m.item());
    if (m.failure() != null) {
      return finish(MigrationResult.Outcome.FAILED, restoreFailure(m.item(), m.failure()));
    }
    restored++;
    getContext().getLog().info("Built {} of {} ({} of {})", m.item().name(), m.item().table(), restored, toRestore);
    return buildNext();
  }

  private StorageException restoreFailure(DeferredIndexes.Item item, Throwable failure) {
    Throwable t = Failures.unwrap(failure);
    if (t instanceof SQLException e && ("23505".equals(e.getSQLState()) || "23503".equals(e.getSQLState()))) {
      return StorageException.refused("the copied rows of " + item.table() + " break its "
          + (item.kind() == DeferredIndexes.Kind.FOREIGN_KEY ? "foreign key " : "key ") + item.name() + " ("
          + Failures.message(e) + "): the source holds rows its own schema should have refused; repair the source"
          + " and run again with --restart");
    }
    return migration.describe(failure, "building " + item.name() + " of " + item.table());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Verifying, one table at a time as soon as it is copied

  private void verifyNext() {
    if (verifying >= 0 || toVerify.isEmpty() || stopping) {
      return;
    }
    int index = toVerify.poll();
    verifying = index;
    TablePlan table = tables.get(index);
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.runAsync(() -> {
      try {
        Verification.Row row = migration.verify(table, recompute, rows -> {
          if (cancelVerification.get()) {
            throw new CancellationException("stopped");
          }
          self.tell(new VerifyProgress(index, rows));
        });
        self.tell(new TableVerified(index, row, null));
      } catch (Exception e) {
        self.tell(new TableVerified(index, null, e));
      }
    }, blocking);
  }

  private Behavior<Command> onTableVerified(TableVerified m) {
    verifying = -1;
    if (stopping) {
      return stopWhenIdle();
    }
    if (m.failure() != null) {
      return finish(MigrationResult.Outcome.FAILED,
          migration.describe(m.failure(), "verifying " + tables.get(m.index()).table()));
    }
    verification[m.index()] = m.row();
    verified[m.index()] = m.row().targetRows();
    getContext().getLog().info("Verified {}: {} source rows, {} target rows, {}", m.row().table(),
        m.row().sourceRows(), m.row().targetRows(), m.row().ok() ? "OK" : "MISMATCH");
    verifyNext();
    return finishWhenVerified();
  }

  private Behavior<Command> finishWhenVerified() {
    if (!indexed || verifying >= 0 || !toVerify.isEmpty()) {
      return this;
    }
    Verification v = new Verification(List.of(verification), recompute);
    return finish(v.ok() ? MigrationResult.Outcome.VERIFIED : MigrationResult.Outcome.MISMATCH, null, v);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private Behavior<Command> onStop(Stop m) {
    stoppers.add(m.replyTo());
    if (stopping) {
      return this;
    }
    stopping = true;
    getContext().getLog().info("Stopping after the batch being written is committed");
    if (killSwitch != null) {
      killSwitch.shutdown();
    }
    cancelVerification.set(true);
    if (waitingToRetry) {
      timers.cancelAll();
      waitingToRetry = false;
      copying = -1;
    }
    return stopWhenIdle();
  }

  /** After a stop request: ends the run once nothing is being written, built or read any more. */
  private Behavior<Command> stopWhenIdle() {
    boolean busy = opening || killSwitch != null || waitingToRetry || loadingDeferred || !building.isEmpty()
        || verifying >= 0;
    return busy ? this : finish(MigrationResult.Outcome.STOPPED, null);
  }

  private Behavior<Command> finish(MigrationResult.Outcome outcome, StorageException failure) {
    return finish(outcome, failure, null);
  }

  private Behavior<Command> finish(MigrationResult.Outcome outcome, StorageException failure, Verification v) {
    phase = switch (outcome) {
      case VERIFIED, MISMATCH -> MigrationStatus.Phase.FINISHED;
      case STOPPED -> MigrationStatus.Phase.STOPPED;
      case FAILED -> MigrationStatus.Phase.FAILED;
    };
    if (killSwitch != null) {
      killSwitch.abort(new CancellationException("the migration ended"));
    }
    cancelVerification.set(true);
    MigrationStatus status = status();
    stoppers.forEach(s -> s.tell(status));
    result.complete(new MigrationResult(outcome, status, v, failure));
    return Behaviors.stopped();
  }

  private MigrationStatus status() {
    List<MigrationStatus.TableProgress> list = new ArrayList<>();
    long now = System.nanoTime();
    for (int i = 0; i < tables.size(); i++) {
      long nanos = copyNanos[i] + (i == copying && tableStarted != 0 ? now - tableStarted : 0);
      list.add(new MigrationStatus.TableProgress(tables.get(i).table(), tables.get(i).sourceRows(), copied[i],
          copiedThisRun[i], nanos, done[i], verified[i]));
    }
    String table = null;
    String detail = null;
    if (phase == MigrationStatus.Phase.COPYING && copying >= 0) {
      table = tables.get(copying).table();
    } else if (phase == MigrationStatus.Phase.INDEXING && !building.isEmpty()) {
      table = building.get(0).table();
      detail = String.join(", ", building.stream().map(DeferredIndexes.Item::name).toList()) + " ("
          + restored + " of " + toRestore + " built)";
    } else if (phase == MigrationStatus.Phase.VERIFYING && verifying >= 0) {
      table = tables.get(verifying).table();
    }
    return new MigrationStatus(phase, table, detail, list);
  }

  private int indexOf(String table) {
    for (int i = 0; i < tables.size(); i++) {
      if (tables.get(i).table().equals(table)) {
        return i;
      }
    }
    throw new IllegalArgumentException(table);
  }
}
