package org.meshhub.app;

import org.meshhub.app.cli.MeshHubCommand;

/** {@code java -jar meshhub.jar ...}: the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LibraryConsole.routeToLog();
    // On a machine with two cores the common pool has parallelism 1, and CompletableFuture then starts a new thread
    // for every async step it runs there (libraries do). A small fixed parallelism keeps it a pool.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    System.exit(MeshHubCommand.run(args));
  }
}
