package org.meshhub.app.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Counts and times every HTTP response by method, route template and status:
 * {@code meshhub_http_requests_seconds_count}, {@code _sum} and {@code _max} with labels {@code method},
 * {@code route} and {@code status}.
 */
public final class HttpMetrics extends AllDirectives {
  private final MeterRegistry registry;

  public HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Wraps the whole route tree, errors and rejections included. */
  public Route measured(Supplier<Route> inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      String route = RouteTemplates.of(request.getUri().path());
      String method = request.method().name();
      return mapResponse(response -> {
        Timer.builder("meshhub_http_requests")
            .description("HTTP requests by method, route template and status")
            .tags("method", method, "route", route, "status", Integer.toString(response.status().intValue()))
            .register(registry)
            .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return response;
      }, inner);
    });
  }
}
