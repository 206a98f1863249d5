package org.meshhub.app.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.ApiSettings;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Database;

/** The HTTP API's socket: bound once the node is ready, unbound first when it shuts down. */
public final class ApiServer {
  private static final long BIND_TIMEOUT_SECONDS = 30;

  private ApiServer() {}

  /**
   * Fails with one line naming API_PORT when {@code API_HOST:API_PORT} cannot be bound right now, so that a node
   * whose port is taken stops before it creates or opens anything (a free port, 0, is never taken).
   */
  public static void ensureFree(ApiSettings api) {
    if (api.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(api.host(), api.port()));
    } catch (IOException e) {
      throw new SettingsException(ApiSettings.API_PORT, "cannot listen on " + api.host() + ":" + api.port() + " ("
          + e.getMessage() + ")");
    }
  }

  /** Binds {@code API_HOST:API_PORT}; an address that cannot be bound fails with one line naming API_PORT. */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, ApiSettings api, Route routes) {
    String where = api.host() + ":" + api.port();
    return Http.get(system).newServerAt(api.host(), api.port()).bind(routes).toCompletableFuture()
        .orTimeout(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .handle((binding, error) -> {
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                : error;
            throw cause instanceof TimeoutException
                ? new SettingsException(ApiSettings.API_PORT, "binding " + where + " timed out")
                : new SettingsException(ApiSettings.API_PORT, "cannot listen on " + where + " ("
                    + Database.rootMessage(cause) + ")");
          }
          CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-unbind",
              () -> binding.unbind().thenApply(unbound -> Done.getInstance()));
          return binding;
        });
  }
}
