package org.meshhub.app.http;

import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every route of the API, with errors and rejections turned into JSON {@code {error, detail}}. */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final ApiKeys keys;
  private final HealthRoutes health;
  private final MetricsRoutes metrics;
  private final DbRoutes db;
  private final IngestRoutes ingest;
  private final ReadRoutes read;
  private final ClusterRoutes cluster;
  private final OpenApiRoutes openApi;
  private final HttpMetrics httpMetrics;

  public ApiRoutes(ApiKeys keys, HealthRoutes health, MetricsRoutes metrics, DbRoutes db, IngestRoutes ingest,
      ReadRoutes read, ClusterRoutes cluster, OpenApiRoutes openApi, HttpMetrics httpMetrics) {
    this.keys = keys;
    this.health = health;
    this.metrics = metrics;
    this.db = db;
    this.ingest = ingest;
    this.read = read;
    this.cluster = cluster;
    this.openApi = openApi;
    this.httpMetrics = httpMetrics;
  }

  public Route routes() {
    ExceptionHandler exceptions = ExceptionHandler.newBuilder()
        .matchAny(e -> {
          log.error("Request failed: {}", e.toString());
          return complete(Json.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error",
              "the request could not be completed; see the server log"));
        })
        .build();
    RejectionHandler rejections = RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict
          && !strict.getContentType().toString().startsWith("application/json")) {
        String detail = strict.getData().utf8String();
        return Json.error(response.status(), errorCode(response.status().intValue()), detail);
      }
      return response;
    });
    return httpMetrics.measured(() -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> concat(
        health.routes(),
        metrics.routes(),
        openApi.routes(),
        pathPrefix("api", () -> pathPrefix("v1", () -> concat(
            // Admin endpoints check the admin key themselves, whatever the read key says.
            ingest.routes(),
            keys.read(() -> concat(
                pathPrefix("db", db::routes),
                cluster.routes(),
                read.routes()))))),
        complete(Json.error(StatusCodes.NOT_FOUND, "not_found", "no such endpoint"))))));
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> "error";
    };
  }
}
