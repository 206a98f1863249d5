package org.meshhub.app.http;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;

/**
 * How every read endpoint answers: its parameters are parsed on the request's thread (a bad one is a 400 naming it),
 * then the query runs on the blocking dispatcher. Also the parameters every list shares.
 */
public final class QueryAnswers extends AllDirectives {
  /** A query to run once its parameters are parsed. */
  @FunctionalInterface
  public interface Query {
    HttpResponse run() throws Exception;
  }

  /** Parsing that may reject the request with a {@link QueryException}. */
  @FunctionalInterface
  public interface Parse {
    Query parse();
  }

  private final Executor blocking;

  public QueryAnswers(Executor blocking) {
    this.blocking = blocking;
  }

  public Route answer(Parse parse) {
    Query query;
    try {
      query = parse.parse();
    } catch (QueryException e) {
      return complete(badRequest(e));
    }
    return completeWithFuture(CompletableFuture.supplyAsync(() -> {
      try {
        return query.run();
      } catch (QueryException e) {
        return badRequest(e);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking));
  }

  static HttpResponse badRequest(QueryException e) {
    return Json.error(StatusCodes.BAD_REQUEST, "bad_request", e.getMessage());
  }

  static HttpResponse notFound(String detail) {
    return Json.error(StatusCodes.NOT_FOUND, "not_found", detail);
  }

  /** {@code limit} (1 to 500, default 50) and {@code offset}. */
  static PageRequest page(Map<String, String> p) {
    int limit = opt(p, "limit") == null ? PageRequest.DEFAULT_LIMIT
        : Params.integer("limit", p.get("limit"), 1, PageRequest.MAX_LIMIT);
    int offset = opt(p, "offset") == null ? 0 : Params.integer("offset", p.get("offset"), 0, PageRequest.MAX_OFFSET);
    return new PageRequest(limit, offset);
  }

  /** The parameter, or null when absent or blank. */
  public static String opt(Map<String, String> p, String name) {
    String v = p.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** A public key parameter, or null when absent. */
  static String publicKey(Map<String, String> p, String name) {
    return opt(p, name) == null ? null : Params.publicKey(name, p.get(name));
  }

  /** A time parameter, or null when absent. */
  static Instant instant(Map<String, String> p, String name) {
    return opt(p, name) == null ? null : Params.instant(name, p.get(name));
  }
}
