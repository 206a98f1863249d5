package org.meshhub.app.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.ExclusiveUse;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.db.StorageException;
import org.meshhub.migration.MigrationStatus;
import org.meshhub.migration.hub.HubImport;
import org.meshhub.migration.hub.HubSource;
import org.meshhub.migration.hub.ImportOptions;
import org.meshhub.migration.hub.ImportPlan;
import org.meshhub.migration.hub.Reconciliation;
import org.meshhub.projections.ReadModel;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.ReadSideSettings;
import org.meshhub.projections.status.ProjectionStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code meshhub db import-meshcore-hub SOURCE}: MeshCore Hub's history (a SQLite file of its v0.14 to v0.18, or its
 * PostgreSQL database) into the MeshHub database of the usual variables, as events of MeshHub's entities; then the
 * read models are brought up to date and the whole import is reconciled.
 */
@Command(name = "import-meshcore-hub", mixinStandardHelpOptions = true,
    description = {"Import the history of a MeshCore Hub database into MeshHub (the database of DATA_HOME or the"
        + " DATABASE_* settings): nodes, tags, adverts, messages, traces, telemetry and who heard each, as MeshHub"
        + " events with MeshCore Hub's own times; then reconcile every table.",
        "Stop MeshHub and MeshCore Hub first. The source is opened read-only and never changed. An interrupted import"
            + " carries on from its last checkpoint when run again; a finished one is reconciled again."})
public final class ImportMeshCoreHubCommand implements Callable<Integer> {
  /** Longest the read side may go without projecting anything before the command gives up on it. */
  private static final Duration READ_SIDE_STALL = Duration.ofMinutes(5);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SOURCE",
      description = "MeshCore Hub's SQLite file (e.g. data/collector/meshcore.db) or its PostgreSQL URL"
          + " (postgresql://user:password@host:5432/meshcorehub, also postgresql+psycopg2://).")
  String source;

  @Option(names = "--source-schema", paramLabel = "NAME",
      description = "The PostgreSQL schema of MeshCore Hub's tables (its DATABASE_SCHEMA; default: the URL's"
          + " currentSchema, else meshcorehub).")
  String sourceSchema;

  @Option(names = "--dry-run", description = "Print the plan with row counts and the mapping, and write nothing.")
  boolean dryRun;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + ImportOptions.DEFAULT_BATCH_SIZE,
      description = "Source rows per batch; each batch is checkpointed once its events are stored"
          + " (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--restart",
      description = "Forget the checkpoints of an earlier import and read every row again (what MeshHub holds"
          + " already is recognised, not doubled).")
  boolean restart;

  @Option(names = "--in-flight", hidden = true, paramLabel = "N", defaultValue = "" + ImportOptions.DEFAULT_IN_FLIGHT,
      description = "Entity commands awaiting an answer at once (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || batchSize > ImportOptions.MAX_BATCH_SIZE) {
      throw new SettingsException("--batch-size", "must be between 1 and " + ImportOptions.MAX_BATCH_SIZE
          + ", got " + batchSize);
    }
    if (inFlight < 1) {
      throw new SettingsException("--in-flight", "must be at least 1, got " + inFlight);
    }
    ImportOptions options = ImportOptions.of(source).withSourceSchema(sourceSchema).withBatchSize(batchSize)
        .withRestart(restart).withInFlight(inFlight);
    DatabaseSettings target = DatabaseSettings.fromEnv(Env.system());
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      return dryRun(out, options, target);
    }
    long started = System.nanoTime();
    int pool = ReadSide.poolSize(target.dialect());
    Config overrides = ReadSide.config(pool).withFallback(ConfigFactory.parseString(
        // A message entity is done with once its packet is imported; idle ones go soon so memory stays flat.
        "meshhub.entities.message.passivate-after = 10s"));
    // The source first: a source that is not one to import creates no MeshHub database.
    HubSource hub = HubSource.open(options.source(), options.sourceSchema());
    Database opened;
    try {
      opened = Storage.prepare(target, pool);
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
    try (Database database = opened; ExclusiveUse lease = takeLease(database, hub)) {
      // The actor system starts while the import looks at what MeshHub's database holds.
      CompletableFuture<ActorSystem<Void>> starting = CompletableFuture.supplyAsync(
          () -> MeshHubNode.start(target, ClusterSettings.local(), overrides));
      HubImport importer;
      try {
        importer = HubImport.prepare(hub, options, database);
      } catch (RuntimeException e) {
        hub.close();
        starting.thenAccept(MeshHubNode::stop);
        throw e;
      }
      ActorSystem<Void> system = null;
      try (importer) {
        ImportReport.plan(out, importer.plan(), false);
        out.println();
        out.flush();
        system = starting.join();
        boolean terminal = System.console() != null;
        if (terminal) {
          // The bars say what the per-table log lines would; warnings still show.
          ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.meshhub"))
              .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Signal.handle(new Signal("INT"), s -> importer.stop());
        Signal.handle(new Signal("TERM"), s -> importer.stop());
        HubImport.Outcome outcome = runWithProgress(out, importer, system, terminal);
        if (importer.plan().mode() != ImportPlan.Mode.FINISHED) {
          ImportReport.summary(out, importer.status(), importer.observerRowsThisRun(), System.nanoTime() - started);
        }
        if (outcome == HubImport.Outcome.STOPPED) {
          out.println("Stopped on request: every row up to the last checkpoints is in MeshHub. Run the command again"
              + " to carry on.");
          out.flush();
          return MeshHubCommand.EXIT_FAILURE;
        }
        if (!catchUp(out, system, database, terminal)) {
          out.println("Stopped on request while the read models were catching up: the import is complete; run the"
              + " command again to reconcile.");
          out.flush();
          return MeshHubCommand.EXIT_FAILURE;
        }
        Reconciliation r = importer.reconcile();
        ImportReport.reconciliation(out, r);
        out.println();
        if (r.ok()) {
          out.printf("Every source table is accounted for. Start MeshHub on this database (meshhub serve); the source"
              + " is untouched. Whole command: %s%n", MigrationReport.seconds((System.nanoTime() - started) / 1e9));
          out.flush();
          return 0;
        }
        out.println("MISMATCH: " + r.problems().size() + " unexplained difference(s) above. MeshCore Hub's database is"
            + " untouched; run the command again to reconcile again, or with --restart to read every row again.");
        out.flush();
        return MeshHubCommand.EXIT_FAILURE;
      } finally {
        if (system != null) {
          MeshHubNode.stop(system);
        }
      }
    }
  }

  /** No server may write the schema while the import does (on PostgreSQL; SQLite's file lock does it there). */
  private static ExclusiveUse takeLease(Database database, HubSource hub) {
    try {
      return ExclusiveUse.take(database, "db import-meshcore-hub");
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
  }

  private static int dryRun(PrintWriter out, ImportOptions options, DatabaseSettings target) {
    Database database = null;
    try {
      // MeshHub's database is only looked at, and only when it is there: a SQLite file is not created.
      if (target.sqliteFile() == null || Files.exists(target.sqliteFile())) {
        database = Database.open(target, Database.Access.SHARED, 1);
      }
      ImportPlan plan = HubImport.dryRun(options, database, target.displayLocation());
      ImportReport.plan(out, plan, true);
      out.println();
      out.println(switch (plan.mode()) {
        case FRESH -> "Dry run: nothing was written. Without --dry-run every row above is imported, then reconciled.";
        case RESUME -> "Dry run: nothing was written. Without --dry-run the import carries on from its checkpoints.";
        case FINISHED -> "Dry run: nothing was written. Every row is imported already; without --dry-run the import"
            + " is reconciled again.";
        case RESTART -> "Dry run: nothing was written. Without --dry-run every row above is read again.";
      });
      out.flush();
      return 0;
    } finally {
      if (database != null) {
        database.close();
      }
    }
  }

  /** Runs the import on a thread of its own while the progress is drawn here. */
  private static HubImport.Outcome runWithProgress(PrintWriter out, HubImport importer, ActorSystem<Void> system,
      boolean terminal) throws Exception {
    CompletableFuture<HubImport.Outcome> run = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      try {
        run.complete(importer.run(system));
      } catch (Throwable e) {
        run.completeExceptionally(e);
      }
    }, "meshhub-import");
    worker.start();
    ProgressDisplay progress = ProgressDisplay.forConsole(out, terminal, "import");
    while (!run.isDone()) {
      try {
        run.get(progress.interval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        progress.show(importer.status());
      } catch (java.util.concurrent.ExecutionException ended) {
        break;
      }
    }
    progress.end(importer.status());
    try {
      return run.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Starts the read models and waits until they have projected every event of the journal, with progress; false
   * when stopped on request.
   */
  private static boolean catchUp(PrintWriter out, ActorSystem<Void> system, Database database, boolean terminal)
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Signal.handle(new Signal("INT"), s -> stop.set(true));
    Signal.handle(new Signal("TERM"), s -> stop.set(true));
    ReadSide.start(system, database, ReadSideSettings.fromConfig(system.settings().config()));
    ProgressDisplay progress = ProgressDisplay.forConsole(out, terminal, "project");
    long startLag = -1;
    long lastLag = Long.MAX_VALUE;
    long lastProgress = System.nanoTime();
    long started = System.nanoTime();
    while (!stop.get()) {
      long lag = lag(database);
      if (startLag < 0) {
        startLag = lag;
      }
      long done = Math.max(0, startLag - lag);
      MigrationStatus.TableProgress p = new MigrationStatus.TableProgress("read models (events)", startLag, done, done,
          System.nanoTime() - started, lag == 0, 0);
      progress.show(new MigrationStatus(MigrationStatus.Phase.COPYING, p.table(), null, List.of(p)));
      if (lag == 0) {
        progress.end(new MigrationStatus(MigrationStatus.Phase.FINISHED, p.table(), null, List.of(p)));
        out.printf("Read models up to date: %s events projected in %s%n", MigrationReport.number(startLag),
            MigrationReport.seconds((System.nanoTime() - started) / 1e9));
        out.flush();
        return true;
      }
      if (lag < lastLag) {
        lastLag = lag;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > READ_SIDE_STALL.toNanos()) {
        throw StorageException.failed("the read models projected nothing for " + READ_SIDE_STALL.toMinutes()
            + " minutes (" + lag + " events behind); the import itself is complete: run 'meshhub serve' and watch"
            + " 'meshhub projections status'", null);
      }
      Thread.sleep(progress.interval().toMillis());
    }
    return false;
  }

  /** Events of the journal the live projections have not projected yet. */
  private static long lag(Database database) throws Exception {
    ProjectionStatus.Report report = ProjectionStatus.read(database, Instant.now());
    long lag = 0;
    for (ProjectionStatus.Slice s : report.slices()) {
      boolean live = ReadModel.byId(s.projection()).isPresent();
      if (live) {
        lag += s.lagEvents();
      }
    }
    return lag;
  }
}
