package org.meshhub.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.http.AdminRoutes;
import org.meshhub.app.http.ApiDocsRoutes;
import org.meshhub.app.http.ApiRoutes;
import org.meshhub.app.http.Cors;
import org.meshhub.app.http.TagRoutes;
import org.meshhub.app.http.HttpMetrics;
import org.meshhub.app.http.MetricsRoutes;
import org.meshhub.app.http.OpenApiRoutes;
import org.meshhub.app.http.ReadRoutes;
import org.meshhub.app.web.Dashboard;
import org.meshhub.app.web.DashboardSettings;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.app.http.DbRoutes;
import org.meshhub.app.http.HealthRoutes;
import org.meshhub.app.http.IngestRoutes;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.ingest.EntityIngestPipeline;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.IngestSettings;
import org.meshhub.core.ingest.MqttIngestSource;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.core.simulate.DemoFeed;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.ReadSideSettings;
import org.meshhub.projections.status.ProjectionMetrics;
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
  private final IngestPipeline ingest;
  private final DemoFeed demo;

  private MeshHubServer(Database database, ActorSystem<Void> system, ServerBinding binding, IngestPipeline ingest,
      DemoFeed demo) {
    this.database = database;
    this.system = system;
    this.binding = binding;
    this.ingest = ingest;
    this.demo = demo;
  }

  /** Makes a stand-in ingest pipeline for a starting server (tests), once its actor system and database are up. */
  @FunctionalInterface
  public interface PipelineFactory {
    /** The pipeline, or empty when this server should have none. */
    Optional<IngestPipeline> create(ActorSystem<Void> system, Database database, Env env);
  }

  /**
   * How to run: with or without the demo feed, and which ingest pipeline the sources feed.
   *
   * @param demo run the built-in demo feed ({@code serve --demo})
   * @param demoRate the demo's receptions per second
   * @param demoNodes the demo mesh's nodes besides its three observers
   * @param pipeline null for the real pipeline (entities); tests may bring their own
   */
  public record Options(boolean demo, double demoRate, int demoNodes, PipelineFactory pipeline) {
    public static Options defaults() {
      return new Options(false, DemoFeed.DEFAULT_RATE, DemoFeed.DEFAULT_NODES, null);
    }

    public Options withDemo(double rate, int nodes) {
      return new Options(true, rate, nodes, pipeline);
    }

    public Options withPipeline(PipelineFactory factory) {
      return new Options(demo, demoRate, demoNodes, factory);
    }
  }

  /** Reads the settings, prepares the storage, starts the cluster node, the entities, the projections and the API. */
  public static MeshHubServer start(Env env) {
    return start(env, Options.defaults());
  }

  /** As {@link #start(Env)}, and then the demo feed when {@code options} ask for it. */
  public static MeshHubServer start(Env env, Options options) {
    DatabaseSettings dbSettings = DatabaseSettings.fromEnv(env);
    ApiSettings api = ApiSettings.fromEnv(env);
    ClusterSettings cluster = ClusterSettings.fromEnv(env, dbSettings.dialect());
    IngestSettings ingestSettings = IngestSettings.fromEnv(env);
    ApiKeys keys = ApiKeys.fromEnv(env);
    Cors cors = Cors.fromEnv(env);
    // The demo needs no broker: unless MQTT_ENABLED says otherwise, serve --demo runs without MQTT.
    MqttSettings mqtt = MqttSettings.fromEnv(options.demo() && env.get(MqttSettings.MQTT_ENABLED).isEmpty()
        ? env.with(MqttSettings.MQTT_ENABLED, "false") : env, dbSettings);
    int poolSize = ReadSide.poolSize(dbSettings.dialect());
    Database database = Storage.prepare(dbSettings, poolSize);
    ActorSystem<Void> system = null;
    DemoFeed demo = null;
    EntityIngestPipeline entityPipeline = null;
    try {
      system = MeshHubNode.start(dbSettings, cluster, ReadSide.config(poolSize));
      IngestPipeline ingest;
      if (options.pipeline() == null) {
        entityPipeline = EntityIngestPipeline.start(system, database, ingestSettings, mqtt.prefix());
        ingest = entityPipeline;
      } else {
        ingest = options.pipeline().create(system, database, env).orElse(null);
        if (ingest == null) {
          throw new SettingsException("--demo", "this build has no ingest pipeline to feed");
        }
      }
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      ReadSide.start(system, database);
      MeshHubMetrics metrics = MeshHubMetrics.get(system);
      ProjectionMetrics.start(system, metrics.registry(), database,
          ReadSideSettings.fromConfig(system.settings().config()).metricsInterval(), blocking);
      AtomicReference<MqttIngestSource> mqttSource = new AtomicReference<>();
      Dashboard dashboard = Dashboard.start(system, database, DashboardSettings.fromEnv(env), Version.get(),
          keys.readKeyRequired(), blocking);
      ApiRoutes routes = new ApiRoutes(new ApiRoutes.Parts(keys, cors,
          new HealthRoutes(database, blocking, () -> mqttChecks(mqttSource.get())), new MetricsRoutes(metrics),
          new DbRoutes(database, blocking), new IngestRoutes(keys, ingest),
          new ReadRoutes(database, blocking, new TagRoutes(system, database, keys, blocking)),
          new AdminRoutes(database, keys, blocking), new OpenApiRoutes(), new ApiDocsRoutes(),
          new HttpMetrics(metrics.registry()), dashboard));
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
      log.info("API keys: {}; CORS: {}", keys.describe(), cors.describe());
      if (options.demo()) {
        demo = new DemoFeed(ingest, DemoFeed.settings(options.demoNodes(), options.demoRate(), mqtt.prefix()),
            DemoFeed.DEFAULT_MAX_IN_FLIGHT).start();
      }
      MeshHubServer server = new MeshHubServer(database, system, binding, ingest, demo);
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
      if (mqtt.enabled()) {
        // Started last, so that a failed start-up never leaves a connection behind. Stopped first: the messages in
        // the pipeline finish and are acknowledged while the entities still run.
        MqttIngestSource source = MqttIngestSource.start(mqtt, ingest, MeshHubMetrics.get(system).registry());
        mqttSource.set(source);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "mqtt-stop",
            () -> CompletableFuture.supplyAsync(() -> {
              source.stop(Duration.ofSeconds(5));
              return Done.getInstance();
            }, blocking));
      } else {
        log.info("MQTT is disabled ({}=false): ingest through POST /api/v1/ingest only", MqttSettings.MQTT_ENABLED);
      }
      EntityIngestPipeline closing = entityPipeline;
      if (closing != null) {
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "ingest-stop", () -> {
          closing.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
      }
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
      if (entityPipeline != null) {
        entityPipeline.close();
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

  /** The MQTT connection's readiness, when there is one. */
  private static List<HealthRoutes.Check> mqttChecks(MqttIngestSource source) {
    if (source == null) {
      return List.of();
    }
    return List.of(new HealthRoutes.Check() {
      @Override
      public String name() {
        return "mqtt";
      }

      @Override
      public Optional<String> problem() {
        return source.problem();
      }
    });
  }

  /** Where messages go in: the same pipeline as MQTT and HTTP ingest (the demo feed uses it). */
  public IngestPipeline ingest() {
    return ingest;
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
