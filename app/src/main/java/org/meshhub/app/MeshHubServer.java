package org.meshhub.app;

import java.time.Duration;
import java.util.List;
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
import org.meshhub.app.http.HttpMetrics;
import org.meshhub.app.http.MetricsRoutes;
import org.meshhub.app.http.OpenApiRoutes;
import org.meshhub.app.http.ReadRoutes;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.app.http.DbRoutes;
import org.meshhub.app.http.HealthRoutes;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
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

  private MeshHubServer(Database database, ActorSystem<Void> system, ServerBinding binding) {
    this.database = database;
    this.system = system;
    this.binding = binding;
  }

  /** Reads the settings, prepares the storage, starts the cluster node, the entities, the projections and the API. */
  public static MeshHubServer start(Env env) {
    DatabaseSettings dbSettings = DatabaseSettings.fromEnv(env);
    ApiSettings api = ApiSettings.fromEnv(env);
    ClusterSettings cluster = ClusterSettings.fromEnv(env, dbSettings.dialect());
    int poolSize = ReadSide.poolSize(dbSettings.dialect());
    Database database = Storage.prepare(dbSettings, poolSize);
    ActorSystem<Void> system = null;
    try {
      system = MeshHubNode.start(dbSettings, cluster, ReadSide.config(poolSize));
      Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
      ReadSide.start(system, database);
      MeshHubMetrics metrics = MeshHubMetrics.get(system);
      ProjectionMetrics.start(system, metrics.registry(), database,
          ReadSideSettings.fromConfig(system.settings().config()).metricsInterval(), blocking);
      ApiRoutes routes = new ApiRoutes(ApiKeys.fromEnv(env), new HealthRoutes(database, blocking, List::of),
          new MetricsRoutes(metrics), new DbRoutes(database, blocking), new ReadRoutes(database, blocking),
          new OpenApiRoutes(), new HttpMetrics(metrics.registry()));
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
      MeshHubServer server = new MeshHubServer(database, system, binding);
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
