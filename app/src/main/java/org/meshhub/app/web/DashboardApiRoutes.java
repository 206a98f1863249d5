package org.meshhub.app.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.http.Json;
import org.meshhub.app.http.QueryAnswers;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import org.meshhub.projections.live.LiveFeed;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;
import org.meshhub.projections.stats.Activity;
import org.meshhub.projections.stats.DashboardQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API the dashboard adds under {@code /api/v1} (behind the read key): {@code dashboard/activity},
 * {@code dashboard/map} and the live {@code stream} of Server-Sent Events. Its observers page reads
 * {@code /api/v1/observers}.
 */
public final class DashboardApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(DashboardApiRoutes.class);
  /** A comment line this often keeps proxies and the client's idle timers from closing a quiet stream. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final DashboardQueries queries;
  private final LiveFeed feed;
  private final QueryAnswers answers;
  /** A database outage fails every client's reconnect: one line per interval, not one per client. */
  private final RateLimitedLog failures = new RateLimitedLog(Duration.ofSeconds(10));

  public DashboardApiRoutes(Database database, LiveFeed feed, Executor blocking) {
    this.queries = new DashboardQueries(database, Clock.systemUTC());
    this.feed = feed;
    this.answers = new QueryAnswers(blocking);
  }

  /** The routes, to be mounted under {@code /api/v1} (behind the read key). */
  public Route routes() {
    return concat(
        pathPrefix("dashboard", () -> encodeResponse(() -> concat(
            path("activity", () -> get(() -> parameterMap(p -> answers.answer(() -> {
              int days = QueryAnswers.opt(p, "days") == null ? 7
                  : Params.integer("days", p.get("days"), 1, Activity.MAX_DAYS);
              String bucket = QueryAnswers.opt(p, "bucket") == null ? (days <= 7 ? Activity.HOUR : Activity.DAY)
                  : Params.oneOf("bucket", p.get("bucket"), List.of(Activity.HOUR, Activity.DAY));
              if (Activity.HOUR.equals(bucket) && days > Activity.MAX_HOURLY_DAYS) {
                throw new QueryException("bucket", "hour buckets cover at most " + Activity.MAX_HOURLY_DAYS
                    + " days; ask for bucket=day");
              }
              return () -> Json.ok(queries.activity(days, bucket));
            })))),
            path("map", () -> get(() -> answers.answer(() -> () -> Json.ok(queries.mapNodes()))))))),
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
}
