package org.meshhub.app.cli;

import java.io.PrintWriter;
import org.meshhub.app.Version;
import org.meshhub.core.cluster.ClusterException;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level command. Exit codes: 0 success, 1 failure (a database that cannot be reached, a runtime error),
 * 2 bad usage, a bad setting, or a refusal (another process holds the SQLite file, a broken journal).
 */
@Command(name = "meshhub", mixinStandardHelpOptions = true, versionProvider = MeshHubCommand.VersionProvider.class,
    description = "Collects MeshCore mesh-radio traffic into an event-sourced store and serves it over HTTP.",
    subcommands = {ServeCommand.class, DbCommand.class, ProjectionsCommand.class, ClusterCommand.class,
        SimulateCommand.class, BenchmarkCommand.class,
        CommandLine.HelpCommand.class})
public final class MeshHubCommand implements Runnable {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new MeshHubCommand());
    cli.setExecutionExceptionHandler(MeshHubCommand::handle);
    cli.setParameterExceptionHandler(MeshHubCommand::badUsage);
    return cli.execute(args);
  }

  /** Bad arguments end in one line naming the problem and where help is, and exit code 2. */
  static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    String message = e.getMessage() == null ? "bad arguments" : e.getMessage().strip().split("\\R", 2)[0];
    err.println("error: " + message + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return EXIT_USAGE;
  }

  /** Known failures end in one line on stderr; anything else also in one line, with the class for the log. */
  static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof SettingsException) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_USAGE;
    }
    if (e instanceof ClusterException) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_FAILURE;
    }
    if (e instanceof StorageException se) {
      err.println("error: " + se.getMessage());
      err.flush();
      return se.isRefusal() ? EXIT_USAGE : EXIT_FAILURE;
    }
    err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    err.flush();
    return EXIT_FAILURE;
  }

  /** Prints the build version. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meshhub " + Version.get()};
    }
  }
}
