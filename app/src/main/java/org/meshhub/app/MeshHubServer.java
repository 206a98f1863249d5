package org.meshhub.app;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.http.ApiRoutes;
import org.meshhub.app.http.MetricsRoutes;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.app.http.DbRoutes;
import org.meshhub.app.http.HealthRoutes;
import org.meshhub.app.simulate.BrokerSettings;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.simulate.DemoFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MeshHub: the storage, the actor system with its sharded entities, and the HTTP API. {@code meshhub serve}
 * runs one until it is told to stop; tests start one in-process on free ports.
 */
public final class MeshHubServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshHubServer.class);

  private final Database database;
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final DemoFeed demo;

  private MeshHubServer(Database database, ActorSystem<Void> system, ServerBinding binding, DemoFeed demo) {
    this.database = database;
    this.system = system;
    this.binding = binding;
    this.demo = demo;
  }

  /** Makes the ingest pipeline of a starting server, once its actor system and database are up. */
  @FunctionalInterface
  public interface PipelineFactory {
    /** The pipeline, or empty when this server has none. */
    Optional<IngestPipeline> create(ActorSystem<Void> system, Database database, Env env);
  }

  /**
   * How to run: with or without the demo feed, and which ingest pipeline the sources feed.
   *
   * @param demo run the built-in demo feed ({@code serve --demo})
   * @param demoRate the demo's receptions per second
   * @param demoNodes the demo mesh's nodes besides its three observers
   * @param pipeline makes the ingest pipeline; {@link MeshHubServer#ingestPipeline} unless a test brings its own
   */
  public record Options(boolean demo, double demoRate, int demoNodes, PipelineFactory pipeline) {
    public Options {
      Objects.requireNonNull(pipeline, "pipeline");
    }

    public static Options defaults() {
      return new Options(false, DemoFeed.DEFAULT_RATE, DemoFeed.DEFAULT_NODES, MeshHubServer::ingestPipeline);
    }

    public Options withDemo(double rate, int nodes) {
      return new Options(true, rate, nodes, pipeline);
    }

    public Options withPipeline(PipelineFactory factory) {
      return new Options(demo, demoRate, demoNodes, factory);
    }
  }

  /**
   * The ingest pipeline every source of a server feeds: the demo feed, the MQTT source and
   * {@code POST /api/v1/ingest}. This is the one place where it is made. Empty: this build brings no pipeline
   * implementation, so {@code serve --demo} is refused.
   */
  static Optional<IngestPipeline> ingestPipeline(ActorSystem<Void> system, Database database, Env env) {
    return Optional.empty();
  }

  /** Reads the settings, prepares the storage, starts the cluster node, the entities and the API. */
  public static MeshHubServer start(Env env) {
    return start(env, Options.defaults());
  }

  /** As {@link #start(Env)}, and then the demo feed when {@code options} ask for it. */
  public static MeshHubServer start(Env env, Options options) {
    DatabaseSettings dbSettings = DatabaseSettings.fromEnv(env);
    ApiSettings api = ApiSettings.fromEnv(env);
    ClusterSettings cluster = ClusterSettings.fromEnv(env, dbSettings.dialect());
    String demoPrefix = options.demo() ? BrokerSettings.prefix(env) : null;
    Database database = Storage.prepare(dbSettings, 4);
    ActorSystem<Void> system = null;
    DemoFeed demo = null;
    try {
      system = MeshHubNode.start(dbSettings, cluster);
      Optional<IngestPipeline> pipeline = options.pipeline().create(system, database, env);
      if (options.demo() && pipeline.isEmpty()) {
        throw new SettingsException("--demo", "this build has no ingest pipeline to feed");
      }
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      ApiRoutes routes = new ApiRoutes(ApiKeys.fromEnv(env), new HealthRoutes(database, blocking, List::of),
          new MetricsRoutes(MeshHubMetrics.get(system)), new DbRoutes(database, blocking));
      ServerBinding binding;
      try {
        binding = Http.get(system).newServerAt(api.host(), api.port()).bind(routes.routes())
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new SettingsException(ApiSettings.API_PORT, "cannot listen on " + api.host() + ":" + api.port() + " ("
            + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + ")");
      } catch (TimeoutException e) {
        throw new SettingsException(ApiSettings.API_PORT, "binding " + api.host() + ":" + api.port() + " timed out");
      }
      log.info("MeshHub {} listening on http://{}:{} with {} at {}", Version.get(), api.host(),
          binding.localAddress().getPort(), dbSettings.dialect().id(), dbSettings.displayLocation());
      if (options.demo()) {
        demo = new DemoFeed(pipeline.get(), DemoFeed.settings(options.demoNodes(), options.demoRate(), demoPrefix),
            DemoFeed.DEFAULT_MAX_IN_FLIGHT).start();
      }
      MeshHubServer server = new MeshHubServer(database, system, binding, demo);
      DemoFeed feed = demo;
      if (feed != null) {
        // The feed stops first, while the entities it feeds are still there.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "demo-feed-stop",
            () -> {
              feed.close();
              return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
            });
      }
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
          () -> binding.unbind().thenApply(x -> Done.getInstance()));
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
          "close-database", () -> {
            database.close();
            return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
          });
      return server;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdown(system, database);
      throw new IllegalStateException("interrupted during start-up", e);
    } catch (RuntimeException e) {
      if (demo != null) {
        demo.close();
      }
      shutdown(system, database);
      throw e;
    }
  }

  private static void shutdown(ActorSystem<Void> system, Database database) {
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // best effort on a failed start
      }
    }
    database.close();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public Database database() {
    return database;
  }

  /** The demo feed, when the server runs one. */
  public Optional<DemoFeed> demo() {
    return Optional.ofNullable(demo);
  }

  /** Blocks until the actor system has terminated. */
  public void awaitTermination() throws InterruptedException, ExecutionException {
    system.getWhenTerminated().toCompletableFuture().get();
  }

  /** Runs the coordinated shutdown (unbind, stop entities, close the database) and waits for it. */
  @Override
  public void close() {
    try {
      CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
          .toCompletableFuture().get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
