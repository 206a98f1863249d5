package org.meshhub.app.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.meshhub.app.MeshHubServer;
import org.meshhub.app.MeshHubSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.simulate.DemoFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code meshhub serve}: the collector and the API until SIGTERM or SIGINT, which end it cleanly with exit 0 (in a
 * cluster: leave it, hand the shards and projections over, stop MQTT after the last acknowledged message). A node its
 * cluster downs, or that cannot join it, ends with exit 1 so that its supervisor restarts it.
 * {@code --demo} also plays a built-in synthetic mesh into the ingest pipeline, no broker needed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the collector and the HTTP API on the configured backend (SQLite by default).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--demo",
      description = "Also feed a built-in synthetic mesh (3 observers, nodes, adverts, channel messages), so that "
          + "data shows up within seconds. Needs no MQTT broker.")
  boolean demo;

  @Option(names = "--demo-rate", paramLabel = "R",
      description = "With --demo: receptions per second (default " + (long) DemoFeed.DEFAULT_RATE + ").")
  Double demoRate;

  @Option(names = "--demo-nodes", paramLabel = "N",
      description = "With --demo: nodes besides the observers (default " + DemoFeed.DEFAULT_NODES + ").")
  Integer demoNodes;

  @Override
  public Integer call() throws Exception {
    Optional<MeshHubSettings.Demo> demoOptions = Optional.empty();
    if (demo) {
      double rate = demoRate == null ? DemoFeed.DEFAULT_RATE : demoRate;
      int nodes = demoNodes == null ? DemoFeed.DEFAULT_NODES : demoNodes;
      if (!(rate > 0) || rate > MAX_DEMO_RATE) {
        throw usage("--demo-rate must be above 0 and at most " + (long) MAX_DEMO_RATE + ", got " + rate);
      }
      if (nodes < 1 || nodes > MAX_DEMO_NODES) {
        throw usage("--demo-nodes must be between 1 and " + MAX_DEMO_NODES + ", got " + nodes);
      }
      demoOptions = Optional.of(new MeshHubSettings.Demo(rate, nodes));
    } else if (demoRate != null || demoNodes != null) {
      throw usage("--demo-rate and --demo-nodes go with --demo");
    }
    MeshHubServer server = MeshHubServer.start(MeshHubSettings.load(Env.system(), demoOptions));
    server.haltIfStuck(SHUTDOWN_DEADLINE);
    AtomicBoolean signalled = new AtomicBoolean();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> {
      signalled.set(true);
      stop.countDown();
    });
    Signal.handle(new Signal("INT"), s -> {
      signalled.set(true);
      stop.countDown();
    });
    Thread watcher = new Thread(() -> {
      try {
        server.awaitTermination();
      } catch (Exception ignored) {
        // fall through: the system is gone either way
      }
      stop.countDown();
    }, "meshhub-termination-watcher");
    watcher.setDaemon(true);
    watcher.start();
    stop.await();
    if (signalled.get()) {
      log.info("Shutting down");
      server.close();
      log.info("Stopped");
      return 0;
    }
    // The node stopped by itself: its cluster downed it, or it left on request.
    Optional<String> failure = server.stoppedBecause();
    if (failure.isEmpty()) {
      log.info("Stopped: this node left its cluster");
      return 0;
    }
    spec.commandLine().getErr().println("error: " + failure.get());
    spec.commandLine().getErr().flush();
    return MeshHubCommand.EXIT_FAILURE;
  }

  /** A shutdown that takes longer than this ends the process anyway (exit code 1), so that it can be restarted. */
  static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(120);

  static final double MAX_DEMO_RATE = 10_000;
  static final int MAX_DEMO_NODES = 10_000;

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
