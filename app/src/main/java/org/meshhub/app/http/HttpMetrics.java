package org.meshhub.app.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Counts and times every HTTP response by method, route template and status:
 * {@code meshhub_http_requests_seconds_count}, {@code _sum}, {@code _max} and {@code _bucket} (5 ms to 5 s) with
 * labels {@code method}, {@code route} and {@code status}.
 */
public final class HttpMetrics extends AllDirectives {
  /** The {@code _bucket} bounds, for latency quantiles per route in Prometheus. */
  private static final java.time.Duration[] BUCKETS = {java.time.Duration.ofMillis(5),
      java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(50),
      java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(1000),
      java.time.Duration.ofMillis(5000)};

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
            .serviceLevelObjectives(BUCKETS)
            .register(registry)
            .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return response;
      }, inner);
    });
  }
}
