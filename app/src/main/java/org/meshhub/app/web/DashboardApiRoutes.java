package org.meshhub.app.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.http.Json;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import org.meshhub.projections.live.LiveFeed;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;
import org.meshhub.projections.stats.Activity;
import org.meshhub.projections.stats.DashboardQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API the dashboard adds under {@code /api/v1} (behind the read key): {@code dashboard/activity},
 * {@code dashboard/map}, {@code dashboard/observers} and the live {@code stream} of Server-Sent Events.
 */
public final class DashboardApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(DashboardApiRoutes.class);
  /** A comment line this often keeps proxies and the client's idle timers from closing a quiet stream. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final DashboardQueries queries;
  private final LiveFeed feed;
  private final Executor blocking;
  /** A database outage fails every client's reconnect: one line per interval, not one per client. */
  private final RateLimitedLog failures = new RateLimitedLog(Duration.ofSeconds(10));

  public DashboardApiRoutes(Database database, LiveFeed feed, Executor blocking) {
    this.queries = new DashboardQueries(database, Clock.systemUTC());
    this.feed = feed;
    this.blocking = blocking;
  }

  /** The routes, to be mounted under {@code /api/v1} (behind the read key). */
  public Route routes() {
    return concat(
        pathPrefix("dashboard", () -> encodeResponse(() -> concat(
            path("activity", () -> get(() -> parameterMap(p -> answer(() -> {
              int days = p.get("days") == null || p.get("days").isBlank() ? 7
                  : Params.integer("days", p.get("days"), 1, Activity.MAX_DAYS);
              String bucket = p.get("bucket") == null || p.get("bucket").isBlank()
                  ? (days <= 7 ? Activity.HOUR : Activity.DAY)
                  : Params.oneOf("bucket", p.get("bucket"), List.of(Activity.HOUR, Activity.DAY));
              if (Activity.HOUR.equals(bucket) && days > Activity.MAX_HOURLY_DAYS) {
                throw new QueryException("bucket", "hour buckets cover at most " + Activity.MAX_HOURLY_DAYS
                    + " days; ask for bucket=day");
              }
              return () -> Json.ok(queries.activity(days, bucket));
            })))),
            path("map", () -> get(() -> answer(() -> () -> Json.ok(queries.mapNodes())))),
            path("observers", () -> get(() -> parameterMap(p -> answer(() -> {
              PageRequest page = page(p);
              return () -> Json.ok(queries.observers(page));
            }))))))),
        path("stream", () -> get(() -> optionalHeaderValueByName("Last-Event-ID", this::stream))));
  }

  private Route stream(Optional<String> lastEventId) {
    return onComplete(() -> feed.subscribe(lastEventId), result -> {
      if (result.isFailure()) {
        Throwable cause = result.failed().get();
        if (cause instanceof CompletionException && cause.getCause() != null) {
          cause = cause.getCause();
        }
        if (cause instanceof LiveFeed.FullException) {
          return complete(Json.error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", cause.getMessage()));
        }
        long held = failures.permit("stream-start");
        if (held != RateLimitedLog.SUPPRESS) {
          log.warn("A live stream could not start: {}{}", cause.toString(), failures.suffix(held));
        }
        return complete(Json.error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
            "the live stream cannot start now; try again shortly"));
      }
      return respondWithHeaders(List.of(RawHeader.create("Cache-Control", "no-cache"),
          RawHeader.create("X-Accel-Buffering", "no")),
          () -> completeOK(result.get()
              .map(e -> ServerSentEvent.create(e.data(), e.type(), e.id()))
              .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat), EventStreamMarshalling.toEventStream()));
    });
  }

  /** A query to run once its parameters are parsed. */
  @FunctionalInterface
  private interface Query {
    HttpResponse run() throws Exception;
  }

  /** Parsing that may reject the request. */
  @FunctionalInterface
  private interface Parse {
    Query parse();
  }

  /** Parses on the request's thread (400 on a bad parameter), then runs the query on the blocking dispatcher. */
  private Route answer(Parse parse) {
    Query query;
    try {
      query = parse.parse();
    } catch (QueryException e) {
      return complete(Json.error(StatusCodes.BAD_REQUEST, "bad_request", e.getMessage()));
    }
    return completeWithFuture(CompletableFuture.supplyAsync(() -> {
      try {
        return query.run();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking));
  }

  private static PageRequest page(Map<String, String> p) {
    int limit = p.get("limit") == null || p.get("limit").isBlank() ? PageRequest.DEFAULT_LIMIT
        : Params.integer("limit", p.get("limit"), 1, PageRequest.MAX_LIMIT);
    int offset = p.get("offset") == null || p.get("offset").isBlank() ? 0
        : Params.integer("offset", p.get("offset"), 0, PageRequest.MAX_OFFSET);
    return new PageRequest(limit, offset);
  }
}
