package org.meshhub.app.http;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.cluster.ClusterStatus;

/**
 * {@code GET /api/v1/cluster}: the members as this node sees them, their status and reachability, the entity shards
 * and projection slices each one runs, and who holds the schema lease.
 */
public final class ClusterRoutes extends AllDirectives {
  private final Supplier<CompletionStage<ClusterStatus>> status;

  public ClusterRoutes(Supplier<CompletionStage<ClusterStatus>> status) {
    this.status = status;
  }

  /** Mounted under {@code /api/v1}. */
  public Route routes() {
    return path("cluster", () -> get(() -> completeWithFuture(status.get().thenApply(Json::ok))));
  }
}
