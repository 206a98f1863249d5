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
    CountDownLatch finishing = new CountDownLatch(1);
    server.onShutdownStarted(() -> {
      haltAfter(SHUTDOWN_DEADLINE);
      stop.countDown();
    });
    server.onShutdownFinishing(finishing::countDown);
    stop.await();
    if (signalled.get()) {
      log.info("Shutting down");
      server.close();
      log.info("Stopped");
      return 0;
    }
    // The node stops by itself: its cluster downed it, or it left on request. Once everything but the actor system
    // has stopped, a database out of reach (whose pools take long to close) must not keep the process alive.
    finishing.await();
    boolean terminated = server.awaitTermination(SELF_STOP_WAIT);
    Optional<String> failure = server.stoppedBecause();
    if (failure.isEmpty()) {
      log.info("Stopped: this node left its cluster");
      return 0;
    }
    spec.commandLine().getErr().println("error: " + failure.get());
    spec.commandLine().getErr().flush();
    if (!terminated) {
      log.warn("The shutdown did not finish within {} s; exiting anyway", SELF_STOP_WAIT.toSeconds());
      Runtime.getRuntime().halt(MeshHubCommand.EXIT_FAILURE);
    }
    return MeshHubCommand.EXIT_FAILURE;
  }

  /** A shutdown that takes longer than this ends the process anyway (exit code 1), so that it can be restarted. */
  static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(120);
  /** How long a node that stops by itself waits for its actor system's last step before it exits anyway. */
  static final Duration SELF_STOP_WAIT = Duration.ofSeconds(5);

  /** Halts the JVM with exit code 1 after {@code deadline}, unless it has ended by then. */
  private static void haltAfter(Duration deadline) {
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(deadline.toMillis());
        log.error("Shutdown did not finish within {} s; halting", deadline.toSeconds());
        Runtime.getRuntime().halt(MeshHubCommand.EXIT_FAILURE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "meshhub-exit-deadline");
    halt.setDaemon(true);
    halt.start();
  }

  static final double MAX_DEMO_RATE = 10_000;
  static final int MAX_DEMO_NODES = 10_000;

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
