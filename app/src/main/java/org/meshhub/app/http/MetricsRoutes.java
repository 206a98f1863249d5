package org.meshhub.app.http;

import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.metrics.MeshHubMetrics;

/** {@code GET /metrics}: Prometheus text exposition. */
public final class MetricsRoutes extends AllDirectives {
  private static final ContentType PROMETHEUS = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");
  private final MeshHubMetrics metrics;

  public MetricsRoutes(MeshHubMetrics metrics) {
    this.metrics = metrics;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> complete(
        HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
  }
}
