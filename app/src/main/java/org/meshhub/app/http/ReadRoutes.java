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
import org.meshhub.projections.message.PacketFilter;
import org.meshhub.projections.message.PacketQueries;
import org.meshhub.projections.message.TraceFilter;
import org.meshhub.projections.node.AdvertFilter;
import org.meshhub.projections.node.NodeFilter;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.node.ObserverQueries;
import org.meshhub.projections.node.TelemetryFilter;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;
import org.meshhub.projections.stats.DashboardQueries;

/**
 * The read API under {@code /api/v1}: nodes (one, by prefix, their tags), advertisements, messages, trace paths,
 * telemetry, observers, packet receptions, channels and the dashboard's figures, from the read models. Parameters are checked before the query runs: a bad one is a 400 naming it. Queries run on the
 * blocking dispatcher.
 */
public final class ReadRoutes extends AllDirectives {
  private final NodeQueries nodes;
  private final MessageQueries messages;
  private final DashboardQueries dashboard;
  private final ObserverQueries observers;
  private final PacketQueries packets;
  private final TagRoutes tags;
  private final QueryAnswers answers;

  public ReadRoutes(Database database, Executor blocking, TagRoutes tags) {
    this.nodes = new NodeQueries(database);
    this.messages = new MessageQueries(database);
    this.dashboard = new DashboardQueries(database, Clock.systemUTC());
    this.observers = new ObserverQueries(database, Clock.systemUTC());
    this.packets = new PacketQueries(database);
    this.tags = tags;
    this.answers = new QueryAnswers(blocking);
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
            path(PathMatchers.segment("prefix").slash(PathMatchers.segment()), prefix -> get(() ->
                parameterMap(p -> answer(() -> {
                  String hex = Params.hexPrefix("prefix", prefix);
                  NodeFilter f = nodeFilter(p);
                  NodeFilter filter = new NodeFilter(f.search(), hex, f.advType(), f.observer(), f.observedBy(),
                      f.sort(), f.ascending());
                  PageRequest page = page(p);
                  return () -> Json.ok(nodes.list(filter, page));
                })))),
            path(PathMatchers.segment(), key -> get(() -> answer(() -> {
              String publicKey = Params.publicKey("public_key", key);
              return () -> nodes.get(publicKey).map(Json::ok).orElseGet(() -> Json.error(StatusCodes.NOT_FOUND,
                  "not_found", "no node with public key " + publicKey + " has been heard"));
            }))),
            pathPrefix(PathMatchers.segment().slash("tags"), key -> tags.routes(key)))),
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
            () -> () -> Json.ok(dashboard.stats())))),
        path("trace-paths", () -> get(() -> parameterMap(p -> answer(() -> {
          TraceFilter filter = new TraceFilter(QueryAnswers.publicKey(p, "observed_by"),
              QueryAnswers.instant(p, "since"), QueryAnswers.instant(p, "until"));
          PageRequest page = page(p);
          return () -> Json.ok(messages.tracePaths(filter, page));
        })))),
        path("telemetry", () -> get(() -> parameterMap(p -> answer(() -> {
          TelemetryFilter filter = new TelemetryFilter(QueryAnswers.publicKey(p, "public_key"),
              QueryAnswers.publicKey(p, "observed_by"), QueryAnswers.instant(p, "since"),
              QueryAnswers.instant(p, "until"));
          PageRequest page = page(p);
          return () -> Json.ok(nodes.telemetry(filter, page));
        })))),
        pathPrefix("observers", () -> concat(
            pathEnd(() -> get(() -> parameterMap(p -> answer(() -> {
              String sort = opt(p, "sort") == null ? "last_seen"
                  : Params.oneOf("sort", p.get("sort"), ObserverQueries.SORTS);
              PageRequest page = page(p);
              return () -> Json.ok(observers.list(sort, page));
            })))),
            path(PathMatchers.segment(), key -> get(() -> answer(() -> {
              String publicKey = Params.publicKey("key", key);
              return () -> observers.get(publicKey).map(Json::ok).orElseGet(() -> QueryAnswers.notFound(
                  "no observer with public key " + publicKey + " has reported its status"));
            }))))),
        path("packets", () -> get(() -> parameterMap(p -> answer(() -> {
          PacketFilter filter = new PacketFilter(
              opt(p, "packet_hash") == null ? null : Params.packetHash("packet_hash", p.get("packet_hash")),
              QueryAnswers.publicKey(p, "observed_by"), QueryAnswers.publicKey(p, "public_key"),
              opt(p, "kind") == null ? null : Params.oneOf("kind", p.get("kind"), PacketFilter.KINDS),
              QueryAnswers.instant(p, "since"), QueryAnswers.instant(p, "until"));
          PageRequest page = page(p);
          return () -> Json.ok(packets.list(filter, page));
        })))),
        path("channels", () -> get(() -> parameterMap(p -> answer(() -> {
          PageRequest page = page(p);
          return () -> Json.ok(messages.channels(page));
        })))));
  }

  private Route answer(QueryAnswers.Parse parse) {
    return answers.answer(parse);
  }

  private static NodeFilter nodeFilter(Map<String, String> p) {
    String advType = opt(p, "adv_type") == null ? null : Params.advType("adv_type", p.get("adv_type"));
    String order = opt(p, "order") == null ? "desc" : Params.oneOf("order", p.get("order"), List.of("asc", "desc"));
    String sort = opt(p, "sort") == null ? "last_seen" : Params.oneOf("sort", p.get("sort"), NodeFilter.SORTS);
    return new NodeFilter(
        opt(p, "search"),
        opt(p, "pubkey_prefix") == null ? null : Params.hexPrefix("pubkey_prefix", p.get("pubkey_prefix")),
        advType,
        opt(p, "observer") == null ? null : Params.bool("observer", p.get("observer")),
        opt(p, "observed_by") == null ? null : Params.publicKey("observed_by", p.get("observed_by")),
        sort,
        order.equals("asc"));
  }

  private static PageRequest page(Map<String, String> p) {
    return QueryAnswers.page(p);
  }

  private static String opt(Map<String, String> p, String name) {
    return QueryAnswers.opt(p, name);
  }
}
