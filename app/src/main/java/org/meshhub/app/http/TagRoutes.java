package org.meshhub.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.pattern.StatusReply;
import org.meshhub.core.Outcome;
import org.meshhub.core.db.Database;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.node.NodeViews;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.QueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's tags, under {@code /api/v1/nodes/{public_key}/tags}: read from the node read model, written (admin key)
 * as commands to the node's entity, so that every change is an event of the node and survives rebuilds and
 * migrations. A write answers once the event is persisted; the read model shows it within the projection's lag.
 */
public final class TagRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(TagRoutes.class);
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final ActorSystem<?> system;
  private final NodeQueries nodes;
  private final ApiKeys keys;
  private final QueryAnswers answers;

  public TagRoutes(ActorSystem<?> system, Database database, ApiKeys keys, Executor blocking) {
    this.system = system;
    this.nodes = new NodeQueries(database);
    this.keys = keys;
    this.answers = new QueryAnswers(blocking);
  }

  /** The routes below {@code /nodes/{public_key}/tags}, for the raw key segment. */
  public Route routes(String rawKey) {
    return concat(
        pathEnd(() -> get(() -> parameterMap(p -> answers.answer(() -> {
          String publicKey = Params.publicKey("public_key", rawKey);
          PageRequest page = QueryAnswers.page(p);
          return () -> nodes.tags(publicKey).map(tags -> Json.ok(page(tags, page)))
              .orElseGet(() -> unknownNode(publicKey));
        })))),
        path(PathMatchers.segment(), tagKey -> concat(
            get(() -> answers.answer(() -> {
              String publicKey = Params.publicKey("public_key", rawKey);
              String key = tagKey(tagKey);
              return () -> nodes.tags(publicKey).map(tags -> tags.stream().filter(t -> t.key().equals(key))
                  .findFirst().map(Json::ok).orElseGet(() -> QueryAnswers.notFound("node " + publicKey
                      + " has no tag " + key))).orElseGet(() -> unknownNode(publicKey));
            })),
            put(() -> keys.admin(() -> entity(Unmarshaller.entityToString(), body -> write(rawKey, tagKey, body)))),
            delete(() -> keys.admin(() -> write(rawKey, tagKey, null))))));
  }

  private static Page<NodeViews.Tag> page(List<NodeViews.Tag> tags, PageRequest page) {
    int from = Math.min(page.offset(), tags.size());
    int to = Math.min(tags.size(), from + page.limit());
    return new Page<>(tags.subList(from, to), tags.size(), page.limit(), page.offset());
  }

  private static HttpResponse unknownNode(String publicKey) {
    return QueryAnswers.notFound("no node with public key " + publicKey + " has been heard");
  }

  private static String tagKey(String raw) {
    if (!TAG_KEY.matcher(raw).matches()) {
      throw new QueryException("key", "must be 1 to 64 characters of letters, digits, '_', '.' or '-', got ["
          + Params.abbreviate(raw) + "]");
    }
    return raw;
  }

  /** Sets ({@code body} given) or removes the tag through the node's entity. */
  private Route write(String rawKey, String rawTag, String body) {
    String publicKey;
    String key;
    String value = null;
    try {
      publicKey = Params.publicKey("public_key", rawKey);
      key = tagKey(rawTag);
      if (body != null) {
        value = value(body);
      }
    } catch (QueryException e) {
      return complete(QueryAnswers.badRequest(e));
    }
    EntityRef<NodeEntity.Command> node = ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, publicKey);
    String setTo = value;
    CompletionStage<HttpResponse> answer = node.<NodeEntity.Summary>ask(NodeEntity.Get::new, ASK)
        .thenCompose(summary -> {
          if (summary.firstSeen() == null && !summary.observer()) {
            return CompletableFuture.completedFuture(unknownNode(publicKey));
          }
          if (setTo == null && !summary.tags().containsKey(key)) {
            return CompletableFuture.completedFuture(QueryAnswers.notFound("node " + publicKey + " has no tag "
                + key));
          }
          CompletionStage<Outcome> done = setTo == null
              ? node.askWithStatus(r -> new NodeEntity.RemoveTag(key, r), ASK)
              : node.askWithStatus(r -> new NodeEntity.SetTag(key, setTo, r), ASK);
          return done.thenApply(outcome -> {
            if (setTo == null) {
              return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("public_key", publicKey);
            out.put("key", key);
            out.put("value", setTo);
            out.put("changed", outcome != Outcome.DUPLICATE);
            return Json.ok(out);
          });
        })
        .exceptionally(e -> failure(publicKey, e));
    return completeWithFuture(answer);
  }

  private static HttpResponse failure(String publicKey, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof StatusReply.ErrorMessage error) {
      return Json.error(StatusCodes.BAD_REQUEST, "bad_request", error.getMessage());
    }
    if (cause instanceof TimeoutException) {
      log.warn("Tag change of node [{}] timed out", publicKey);
      return Json.error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
          "the node's entity did not answer in time; try again");
    }
    log.error("Tag change of node [{}] failed: {}", publicKey, cause.toString());
    return Json.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error",
        "the tag could not be changed; see the server log");
  }

  /** The body of a PUT: {@code {"value": "text"}}. */
  private static String value(String body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new QueryException("body", "must be a JSON object such as {\"value\": \"alice\"}");
    }
    if (json == null || !json.isObject()) {
      throw new QueryException("body", "must be a JSON object such as {\"value\": \"alice\"}");
    }
    JsonNode value = json.get("value");
    if (value == null || !value.isTextual()) {
      throw new QueryException("value", "must be a string");
    }
    if (value.asText().length() > NodeEntity.MAX_TAG_VALUE_LENGTH) {
      throw new QueryException("value", "must be at most " + NodeEntity.MAX_TAG_VALUE_LENGTH + " characters, got "
          + value.asText().length());
    }
    return value.asText();
  }
}
