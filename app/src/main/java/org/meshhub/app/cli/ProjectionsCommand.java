package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.app.http.Json;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.SqliteLock;
import org.meshhub.core.db.Storage;
import org.meshhub.core.db.StorageException;
import org.meshhub.projections.JournalReader;
import org.meshhub.projections.ReadModel;
import org.meshhub.projections.rebuild.Rebuild;
import org.meshhub.projections.status.ProjectionStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshhub projections ...}: where the read models stand, and rebuilding them from the journal. */
@Command(name = "projections", mixinStandardHelpOptions = true, description = "Read-model projections.",
    subcommands = {ProjectionsCommand.Status.class, ProjectionsCommand.RebuildCommand.class,
        CommandLine.HelpCommand.class})
public final class ProjectionsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code meshhub projections status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Per projection and slice: committed offset, the slice's end in the journal, and the lag.")
  public static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
      if (settings.dialect() == Dialect.SQLITE && !Files.exists(settings.sqliteFile())) {
        throw StorageException.refused("no database at " + settings.displayLocation()
            + "; run 'meshhub db upgrade' or 'meshhub serve' first");
      }
      ProjectionStatus.Report report;
      try (Database db = Database.open(settings, Database.Access.SHARED, 1)) {
        report = ProjectionStatus.read(db, Instant.now());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.MAPPER.writeValueAsString(report));
        return 0;
      }
      out.printf("journal end: %d%n", report.journalEnd());
      out.printf("%-18s %-10s %10s %10s %10s %9s  %s%n", "projection", "slice", "offset", "slice end", "lag", "lag (s)",
          "updated");
      for (ProjectionStatus.Slice s : report.slices()) {
        out.printf(Locale.ROOT, "%-18s %-10s %10s %10d %10d %9.1f  %s%n", s.projection(), s.slice(),
            s.offset() == null ? "-" : s.offset().toString(), s.sliceEnd(), s.lagEvents(), s.lagSeconds(),
            s.updatedAt() == null ? "never" : s.updatedAt().toString());
      }
      return 0;
    }
  }

  /** {@code meshhub projections rebuild [NAME]}. */
  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = {"Rebuild one read model (or all) from the journal into fresh tables, then swap them in.",
          "An interrupted rebuild resumes when run again. On SQLite stop the server first; on PostgreSQL the"
              + " server keeps serving the old tables until the swap."})
  public static final class RebuildCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "nodes or messages (default: all).")
    String name;

    @Option(names = "--batch-size", defaultValue = "500",
        description = "Events per transaction (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--restart", description = "Discard an interrupted rebuild instead of resuming it.")
    boolean restart;

    @Override
    public Integer call() throws Exception {
      List<ReadModel> models = name == null ? List.of(ReadModel.values())
          : List.of(ReadModel.byId(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
              "unknown read model '" + name + "'; use one of " + ReadModel.ids())));
      if (batchSize < 1 || batchSize > 100_000) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be between 1 and 100000");
      }
      DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
      if (settings.dialect() == Dialect.SQLITE && SqliteLock.isHeld(settings.sqliteFile())) {
        throw StorageException.refused("a MeshHub process is using " + settings.sqliteFile()
            + "; stop it first: on SQLite a rebuild needs the file to itself");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = Storage.prepare(settings, 2)) {
        ActorSystem<Void> reader = JournalReader.start(settings);
        try {
          Rebuild rebuild = new Rebuild(reader, db, batchSize, new Printer(out));
          for (ReadModel model : models) {
            rebuild.run(model, restart);
          }
        } finally {
          MeshHubNode.stop(reader);
        }
      }
      return 0;
    }
  }

  /** Progress lines on the terminal. */
  private static final class Printer implements Rebuild.Listener {
    private final PrintWriter out;

    Printer(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void started(ReadModel model, long events, boolean resumed) {
      out.printf("Rebuilding %s: %d events to replay%s%n", model.id(), events,
          resumed ? " (resuming an interrupted rebuild)" : "");
      out.flush();
    }

    @Override
    public void progress(ReadModel model, long replayed, long total, double rate) {
      out.printf(Locale.ROOT, "  %s: %d / %d events (%.0f%%), %.0f events/s%n", model.id(), replayed, total,
          total == 0 ? 100.0 : 100.0 * replayed / total, rate);
      out.flush();
    }

    @Override
    public void finished(Rebuild.Result result) {
      double seconds = Math.max(1e-3, result.took().toMillis() / 1000.0);
      out.printf(Locale.ROOT, "Rebuilt %s: %d events in %.1f s (%.0f events/s); the new tables are live%n",
          result.model().id(), result.replayed(), seconds, result.replayed() / seconds);
      out.flush();
    }
  }
}
