package org.meshhub.app.http;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.web.Dashboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every route of the API, with errors and rejections turned into JSON {@code {error, detail}}: an unknown path is
 * 404, a known path asked with a method it does not take is 405 with {@code Allow}. {@code HEAD} is answered as
 * {@code GET} without the body (the server's transparent HEAD handling, application.conf).
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  /** The parts the API is made of. */
  public record Parts(ApiKeys keys, Cors cors, HealthRoutes health, MetricsRoutes metrics, DbRoutes db,
      IngestRoutes ingest, ReadRoutes read, AdminRoutes admin, OpenApiRoutes openApi, ApiDocsRoutes docs,
      HttpMetrics httpMetrics, Dashboard dashboard) {}

  private final Parts parts;

  public ApiRoutes(Parts parts) {
    this.parts = parts;
  }

  public Route routes() {
    ExceptionHandler exceptions = ExceptionHandler.newBuilder()
        .matchAny(e -> {
          log.error("Request failed: {}", e.toString());
          return complete(Json.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error",
              "the request could not be completed; see the server log"));
        })
        .build();
    RejectionHandler rejections = RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejected -> {
          Set<String> allowed = new LinkedHashSet<>();
          rejected.forEach(r -> allowed.add(r.supported().name()));
          if (allowed.contains("GET")) {
            allowed.add("HEAD");
          }
          return complete(Json.error(StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed",
              "this endpoint takes " + String.join(", ", allowed))
              .addHeader(RawHeader.create("Allow", String.join(", ", allowed))));
        })
        .handle(ApiKeys.Refused.class, refused -> complete(refused.response()))
        .handleNotFound(complete(Json.error(StatusCodes.NOT_FOUND, "not_found", "no such endpoint")))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(response -> {
          if (response.entity() instanceof HttpEntity.Strict strict
              && !strict.getContentType().toString().startsWith("application/json")) {
            String detail = strict.getData().utf8String();
            return Json.error(response.status(), errorCode(response.status().intValue()), detail);
          }
          return response;
        });
    ApiKeys keys = parts.keys();
    return parts.httpMetrics().measured(() -> handleExceptions(exceptions, () -> parts.cors().handle(() ->
        handleRejections(rejections, () -> concat(
            parts.health().routes(),
            parts.metrics().routes(),
            parts.openApi().routes(),
            parts.docs().routes(),
            pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                // Admin endpoints check the admin key themselves, whatever the read key says.
                parts.ingest().routes(),
                parts.admin().routes(),
                keys.read(() -> concat(
                    pathPrefix("db", parts.db()::routes),
                    parts.read().routes(),
                    parts.dashboard().apiRoutes()))))),
            parts.dashboard().pageRoutes())))));
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
