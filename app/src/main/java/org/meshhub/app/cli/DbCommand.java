package org.meshhub.app.cli;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import org.meshhub.app.http.Json;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.DbStatus;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.JournalGuard;
import org.meshhub.core.db.SchemaMigrations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshhub db ...}: schema and database housekeeping. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Database commands.",
    subcommands = {DbCommand.Upgrade.class, DbCommand.Status.class, MigrateToPostgresCommand.class,
        ImportMeshCoreHubCommand.class,
        CommandLine.HelpCommand.class})
public final class DbCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code meshhub db upgrade}. */
  @Command(name = "upgrade", mixinStandardHelpOptions = true,
      description = "Create or upgrade the schema to this version, then exit. Safe to run again.")
  public static final class Upgrade implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
      try (Database db = Database.open(settings, Database.Access.EXCLUSIVE, 1)) {
        SchemaMigrations.Result r = new SchemaMigrations(db).migrate();
        JournalGuard.check(db);
        String where = settings.dialect().id() + " " + settings.displayLocation();
        spec.commandLine().getOut().println(r.applied().isEmpty()
            ? "Schema of " + where + " is up to date at version " + r.toVersion()
            : "Schema of " + where + " upgraded from version " + r.fromVersion() + " to " + r.toVersion());
      }
      return 0;
    }
  }

  /** {@code meshhub db status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show backend, schema, schema version and row counts.")
  public static final class Status implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
      DbStatus status;
      if (settings.dialect() == Dialect.SQLITE && !Files.exists(settings.sqliteFile())) {
        status = new DbStatus(true, false, "sqlite", "main", settings.displayLocation(), 0,
            SchemaMigrations.latestVersion(Dialect.SQLITE), 0, Map.of());
      } else {
        try (Database db = Database.open(settings, Database.Access.SHARED, 1)) {
          status = DbStatus.read(db);
        }
      }
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.MAPPER.writeValueAsString(status));
        return 0;
      }
      out.printf("%-12s %s%n", "backend", status.dialect());
      out.printf("%-12s %s%n", "location", status.location());
      out.printf("%-12s %s%n", "schema", status.schema());
      out.printf("%-12s %d (latest %d)%s%n", "version", status.version(), status.latestVersion(),
          status.initialized() ? "" : "  not initialized: run 'meshhub db upgrade' or 'meshhub serve'");
      out.printf("%-12s %d%n", "events", status.events());
      status.tables().forEach((t, n) -> out.printf("%-12s %d rows%n", t, n));
      return 0;
    }
  }
}
