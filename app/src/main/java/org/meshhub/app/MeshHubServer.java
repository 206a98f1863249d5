package org.meshhub.app;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.app.http.ApiServer;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.simulate.DemoFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MeshHub node: its actor system, whose {@link Guardian} starts the storage, the cluster membership, the
 * entities, the read side, the HTTP API and the ingest sources. {@code meshhub serve} runs one until it is told to
 * stop; tests start one in-process on free ports.
 */
public final class MeshHubServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshHubServer.class);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);
  /** The reason of a shutdown asked for through {@link #close} (SIGTERM, tests). */
  private static final CoordinatedShutdown.Reason STOPPED = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "stopped";
    }
  };

  private final ActorSystem<Guardian.Command> system;
  private final Guardian.Running running;

  private MeshHubServer(ActorSystem<Guardian.Command> system, Guardian.Running running) {
    this.system = system;
    this.running = running;
  }

  /** Reads the settings from {@code env} and starts a node. */
  public static MeshHubServer start(Env env) {
    return start(MeshHubSettings.load(env));
  }

  /**
   * Starts a node and returns once it serves. A node that cannot start is stopped again and its reason thrown
   * (a {@code SettingsException} or {@code StorageException} naming what to fix, for instance).
   */
  public static MeshHubServer start(MeshHubSettings settings) {
    ApiServer.ensureFree(settings.api());
    CompletableFuture<Guardian.Running> started = new CompletableFuture<>();
    ActorSystem<Guardian.Command> system = ActorSystem.create(Guardian.create(settings, started),
        ClusterSettings.SYSTEM_NAME, settings.config());
    system.getWhenTerminated().thenRun(() -> started.completeExceptionally(
        new IllegalStateException("MeshHub stopped while starting")));
    try {
      return new MeshHubServer(system, started.get());
    } catch (ExecutionException e) {
      awaitTermination(system);
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      system.terminate();
      throw new IllegalStateException("interrupted during start-up", e);
    }
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("MeshHub did not stop cleanly after a failed start: {}", e.toString());
    }
  }

  /** Where messages go in: the same pipeline as MQTT and HTTP ingest (the demo feed uses it). */
  public IngestPipeline ingest() {
    return running.ingest();
  }

  public int port() {
    return running.binding().localAddress().getPort();
  }

  public ActorSystem<?> system() {
    return system;
  }

  public Database database() {
    return running.database();
  }

  /** The demo feed, when the server runs one. */
  public Optional<DemoFeed> demo() {
    return running.demo();
  }

  /**
   * Why the node stopped, when it stopped by itself for a reason that is a failure (its cluster downed it, or
   * something ended its actor system); empty while it runs, after {@link #close}, and when it left its cluster.
   */
  public Optional<String> stoppedBecause() {
    Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
    if (reason.isEmpty() || reason.get() == STOPPED || reason.get() == CoordinatedShutdown.clusterLeavingReason()) {
      return Optional.empty();
    }
    if (reason.get() == CoordinatedShutdown.clusterDowningReason()) {
      return Optional.of("this node was downed by its cluster (unreachable for longer than stable-after, or on the"
          + " minority side of a partition); it stopped ingesting and exits so that it can be restarted");
    }
    return Optional.of("MeshHub stopped unexpectedly (" + reason.get() + ")");
  }

  /** Runs {@code action} as soon as the node starts to shut down, whatever the reason. */
  public void onShutdownStarted(Runnable action) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "shutdown-started",
        () -> {
          action.run();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /**
   * Runs {@code action} once the node's shutdown has stopped everything but the actor system itself (ingest, the
   * API, the entities and projections, cluster membership), whatever the reason.
   */
  public void onShutdownFinishing(Runnable action) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "shutdown-finishing", () -> {
          action.run();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** Waits at most {@code timeout} for the actor system to terminate; whether it did. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    try {
      system.getWhenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Blocks until the actor system has terminated. */
  public void awaitTermination() throws InterruptedException, ExecutionException {
    system.getWhenTerminated().toCompletableFuture().get();
  }

  /** Runs the coordinated shutdown (unbind, stop ingest, leave the cluster, close the database) and waits for it. */
  @Override
  public void close() {
    try {
      CoordinatedShutdown.get(system).runAll(STOPPED)
          .toCompletableFuture().get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
