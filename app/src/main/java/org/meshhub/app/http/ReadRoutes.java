package org.meshhub.app.http;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.db.Database;
import org.meshhub.projections.message.MessageFilter;
import org.meshhub.projections.message.MessageQueries;
import org.meshhub.projections.node.AdvertFilter;
import org.meshhub.projections.node.NodeFilter;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;
import org.meshhub.projections.stats.DashboardQueries;

/**
 * The read API under {@code /api/v1}: nodes, one node, advertisements, messages and the dashboard's figures, from
 * the read models. Parameters are checked before the query runs: a bad one is a 400 naming it. Queries run on the
 * blocking dispatcher.
 */
public final class ReadRoutes extends AllDirectives {
  private final NodeQueries nodes;
  private final MessageQueries messages;
  private final DashboardQueries dashboard;
  private final Executor blocking;

  public ReadRoutes(Database database, Executor blocking) {
    this.nodes = new NodeQueries(database);
    this.messages = new MessageQueries(database);
    this.dashboard = new DashboardQueries(database, Clock.systemUTC());
    this.blocking = blocking;
  }

  /** The routes, to be mounted under {@code /api/v1} (behind the read key). */
  public Route routes() {
    return concat(
        pathPrefix("nodes", () -> concat(
            pathEnd(() -> get(() -> parameterMap(p -> answer(() -> {
              NodeFilter filter = nodeFilter(p);
              PageRequest page = page(p);
              return () -> Json.ok(nodes.list(filter, page));
            })))),
            path(PathMatchers.segment(), key -> get(() -> answer(() -> {
              String publicKey = Params.publicKey("public_key", key);
              return () -> nodes.get(publicKey).map(Json::ok).orElseGet(() -> Json.error(StatusCodes.NOT_FOUND,
                  "not_found", "no node with public key " + publicKey + " has been heard"));
            }))))),
        path("advertisements", () -> get(() -> parameterMap(p -> answer(() -> {
          AdvertFilter filter = new AdvertFilter(
              opt(p, "public_key") == null ? null : Params.publicKey("public_key", p.get("public_key")),
              opt(p, "observed_by") == null ? null : Params.publicKey("observed_by", p.get("observed_by")),
              opt(p, "since") == null ? null : Params.instant("since", p.get("since")),
              opt(p, "until") == null ? null : Params.instant("until", p.get("until")));
          PageRequest page = page(p);
          return () -> Json.ok(nodes.adverts(filter, page));
        })))),
        path("messages", () -> get(() -> parameterMap(p -> answer(() -> {
          MessageFilter filter = new MessageFilter(
              opt(p, "message_type") == null ? null
                  : Params.oneOf("message_type", p.get("message_type"), MessageFilter.TYPES),
              opt(p, "channel_idx") == null ? null : Params.integer("channel_idx", p.get("channel_idx"), 0, 255),
              opt(p, "pubkey_prefix") == null ? null : Params.hexPrefix("pubkey_prefix", p.get("pubkey_prefix")),
              opt(p, "observed_by") == null ? null : Params.publicKey("observed_by", p.get("observed_by")),
              opt(p, "since") == null ? null : Params.instant("since", p.get("since")),
              opt(p, "until") == null ? null : Params.instant("until", p.get("until")),
              opt(p, "search"));
          PageRequest page = page(p);
          return () -> Json.ok(messages.list(filter, page));
        })))),
        path(PathMatchers.segment("dashboard").slash("stats"), () -> get(() -> answer(
            () -> () -> Json.ok(dashboard.stats())))));
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
      } catch (QueryException e) {
        return Json.error(StatusCodes.BAD_REQUEST, "bad_request", e.getMessage());
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking));
  }

  private static NodeFilter nodeFilter(Map<String, String> p) {
    String advType = opt(p, "adv_type");
    if (advType != null && !advType.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new QueryException("adv_type", "must be a node type such as chat, repeater, room or sensor");
    }
    String order = opt(p, "order") == null ? "desc" : Params.oneOf("order", p.get("order"), List.of("asc", "desc"));
    String sort = opt(p, "sort") == null ? "last_seen" : Params.oneOf("sort", p.get("sort"), NodeFilter.SORTS);
    return new NodeFilter(
        opt(p, "search"),
        opt(p, "pubkey_prefix") == null ? null : Params.hexPrefix("pubkey_prefix", p.get("pubkey_prefix")),
        advType == null ? null : advType.toLowerCase(java.util.Locale.ROOT),
        opt(p, "observer") == null ? null : Params.bool("observer", p.get("observer")),
        opt(p, "observed_by") == null ? null : Params.publicKey("observed_by", p.get("observed_by")),
        sort,
        order.equals("asc"));
  }

  private static PageRequest page(Map<String, String> p) {
    int limit = opt(p, "limit") == null ? PageRequest.DEFAULT_LIMIT
        : Params.integer("limit", p.get("limit"), 1, PageRequest.MAX_LIMIT);
    int offset = opt(p, "offset") == null ? 0 : Params.integer("offset", p.get("offset"), 0, PageRequest.MAX_OFFSET);
    return new PageRequest(limit, offset);
  }

  /** The parameter, or null when absent or blank. */
  private static String opt(Map<String, String> p, String name) {
    String v = p.get(name);
    return v == null || v.isBlank() ? null : v;
  }
}
