package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.migration.Migration;
import org.meshhub.migration.MigrationOptions;
import org.meshhub.migration.MigrationResult;
import org.meshhub.migration.MigrationRunner;
import org.meshhub.migration.MigrationStatus;
import org.meshhub.migration.Verification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code meshhub db migrate-to-postgres}: copies a MeshHub SQLite file into the PostgreSQL schema named by the usual
 * variables, batch by batch with a checkpoint each, then verifies every table by counts and checksums.
 */
@Command(name = "migrate-to-postgres", mixinStandardHelpOptions = true,
    description = {"Copy a MeshHub SQLite database into PostgreSQL (DATABASE_URL or DATABASE_HOST, DATABASE_NAME,"
        + " DATABASE_USER, DATABASE_PASSWORD; schema DATABASE_SCHEMA), then verify every table by counts and"
        + " checksums.",
        "Stop MeshHub first. The SQLite file is opened read-only and never changed. An interrupted run carries on"
            + " from its last checkpoint when run again; a finished one is verified again."})
public final class MigrateToPostgresCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", paramLabel = "FILE",
      description = "The MeshHub SQLite file (default: $DATA_HOME/meshhub.db, DATA_HOME defaulting to ./data).")
  Path source;

  @Option(names = "--dry-run", description = "Print the plan with row counts and write nothing.")
  boolean dryRun;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + MigrationOptions.DEFAULT_BATCH_SIZE,
      description = "Rows per batch; each batch is committed with its checkpoint (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--restart", description = "Throw away the partial copy of an earlier run and start over.")
  boolean restart;

  @Option(names = "--no-checkpoints", hidden = true,
      description = "Measurement only: copy each table in one transaction, without batch checkpoints.")
  boolean noCheckpoints;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || batchSize > MigrationOptions.MAX_BATCH_SIZE) {
      throw new SettingsException("--batch-size", "must be between 1 and " + MigrationOptions.MAX_BATCH_SIZE
          + ", got " + batchSize);
    }
    Env env = Env.system();
    Path file = source != null ? source
        : Path.of(env.get(DatabaseSettings.DATA_HOME, "./data")).resolve(DatabaseSettings.SQLITE_FILE_NAME);
    DatabaseSettings target = DatabaseSettings.postgres(env);
    MigrationOptions options = MigrationOptions.of(file, target).withBatchSize(batchSize).withRestart(restart)
        .withCheckpoints(!noCheckpoints);
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      Migration.Plan plan = Migration.dryRun(options);
      MigrationReport.plan(out, plan, true);
      out.println();
      out.println(switch (plan.mode()) {
        case FRESH -> "Dry run: nothing was written. Without --dry-run, every table above is copied"
            + (restart ? " after the partial copy is thrown away." : ".");
        case RESUME -> "Dry run: nothing was written. Without --dry-run, the copy carries on from the checkpoints of"
            + " the interrupted run.";
        case REVERIFY -> "Dry run: nothing was written. Every table is copied already; without --dry-run, the"
            + " migration only verifies again.";
      });
      out.flush();
      return 0;
    }
    // The actor system starts while the source and the target are checked.
    CompletableFuture<ActorSystem<Void>> system = CompletableFuture.supplyAsync(MigrationRunner::newSystem);
    Migration prepared;
    try {
      prepared = Migration.prepare(options);
    } catch (RuntimeException e) {
      system.thenAccept(ActorSystem::terminate);
      throw e;
    }
    try (Migration migration = prepared) {
      MigrationReport.plan(out, migration.plan(), false);
      out.println();
      out.flush();
      MigrationRunner runner = MigrationRunner.start(system.join(), migration);
      Signal.handle(new Signal("INT"), s -> runner.stop());
      Signal.handle(new Signal("TERM"), s -> runner.stop());
      boolean terminal = System.console() != null;
      if (terminal) {
        // The bars say what the per-table log lines would; warnings still show.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.meshhub.migration"))
            .setLevel(ch.qos.logback.classic.Level.WARN);
      }
      ProgressDisplay progress = ProgressDisplay.forConsole(out, terminal);
      long started = System.nanoTime();
      MigrationStatus last = null;
      while (!runner.result().isDone()) {
        try {
          runner.result().get(progress.interval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          try {
            last = runner.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
            progress.show(last);
          } catch (Exception ignored) {
            // the migrator is ending; the result comes next
          }
        }
      }
      MigrationResult result = runner.await();
      progress.end(result.status());
      long elapsed = System.nanoTime() - started;
      return report(out, result, elapsed);
    }
  }

  private static int report(PrintWriter out, MigrationResult result, long elapsedNanos) {
    switch (result.outcome()) {
      case FAILED:
        out.flush();
        throw result.failure();
      case STOPPED:
        MigrationReport.summary(out, result.status(), elapsedNanos);
        out.printf("Stopped on request: %s rows are copied and checkpointed. Run the command again to carry on.%n",
            MigrationReport.number(result.status().copiedRows()));
        out.flush();
        return MeshHubCommand.EXIT_FAILURE;
      default:
        if (!result.verification().recomputed()) {
          MigrationReport.summary(out, result.status(), elapsedNanos);
        }
        Verification v = result.verification();
        MigrationReport.verification(out, v);
        if (v.ok()) {
          out.println("Every table has the same rows and checksums on both sides. Start MeshHub on PostgreSQL"
              + " (DATABASE_BACKEND=postgres with the same DATABASE_* settings); keep the SQLite file as it is to roll"
              + " back.");
          out.flush();
          return 0;
        }
        List<String> bad = v.mismatches().stream().map(Verification.Row::table).toList();
        out.println("MISMATCH in " + bad.size() + " table(s): " + String.join(", ", bad) + ". Do not start MeshHub on"
            + " this schema; the SQLite file is untouched. Run again with --restart to copy everything again.");
        out.flush();
        return MeshHubCommand.EXIT_FAILURE;
    }
  }
}
