package org.meshhub.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.IngestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/ingest} (admin key): one {@code {"topic": ..., "payload": ...}} object or an array of them, the
 * payload a JSON object or a string, in the same formats and topics as MQTT. Answers
 * {@code {accepted, rejected, ignored, results: [{index, status, reason, detail}]}} once every message is persisted
 * or rejected; 400 for a body that is not such JSON, 413 for a body over {@value #MAX_REQUEST_BYTES} bytes or over
 * {@value #MAX_ITEMS} messages, 503 when some message could not be handled (the database is gone; sending the same
 * request again is safe, ingest is idempotent).
 */
public final class IngestRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);
  public static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024;
  public static final int MAX_ITEMS = 1000;
  private static final long READ_TIMEOUT_MILLIS = 30_000;

  private final ApiKeys keys;
  private final IngestPipeline pipeline;

  public IngestRoutes(ApiKeys keys, IngestPipeline pipeline) {
    this.keys = keys;
    this.pipeline = pipeline;
  }

  /** Mounted under {@code /api/v1}. */
  public Route routes() {
    // Another method is a 405 with Allow: POST, from the API's rejection handler.
    return path("ingest", () -> post(() -> extractMaterializer(materializer -> extractRequestEntity(entity ->
        mapRouteResultWith(result -> readBodyBeforeRefusal(result, entity, materializer),
            () -> keys.admin(() -> completeWithFuture(ingest(entity, materializer))))))));
  }

  /**
   * A refusal (401, 403) is sent only once the body has been read. A server that answers and closes while the client
   * is still sending makes the client's TCP stack drop the answer (a reset), so the client sees no reply at all.
   * Bounded by the server's max-content-length; past that the read fails and the answer goes out anyway.
   */
  private static CompletionStage<RouteResult> readBodyBeforeRefusal(RouteResult result, HttpEntity entity,
      Materializer materializer) {
    if (result instanceof Complete complete && !entity.isStrict()) {
      int status = complete.getResponse().status().intValue();
      if (status == 401 || status == 403) {
        return entity.discardBytes(materializer).completionStage().handle((done, error) -> result);
      }
    }
    return CompletableFuture.completedFuture(result);
  }

  private CompletionStage<HttpResponse> ingest(HttpEntity entity, Materializer materializer) {
    if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > MAX_REQUEST_BYTES) {
      // Read to its end before answering, as for a refusal (see readBodyBeforeRefusal).
      return entity.discardBytes(materializer).completionStage().handle((done, error) -> tooLarge());
    }
    return entity.toStrict(READ_TIMEOUT_MILLIS, MAX_REQUEST_BYTES, materializer)
        .thenCompose(strict -> handle(strict.getData().toArray()))
        .exceptionally(error -> {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          if (cause instanceof EntityStreamSizeException) {
            return tooLarge();
          }
          log.warn("Ingest request failed: {}", cause.toString());
          return Json.error(StatusCodes.BAD_REQUEST, "bad_request", "the request body could not be read");
        });
  }

  private static HttpResponse tooLarge() {
    return Json.error(StatusCodes.CONTENT_TOO_LARGE, "payload_too_large",
        "the request body is over " + MAX_REQUEST_BYTES + " bytes");
  }

  private CompletionStage<HttpResponse> handle(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return done(Json.error(StatusCodes.BAD_REQUEST, "invalid_json", "the body is not JSON"));
    }
    List<JsonNode> items = new ArrayList<>();
    if (root != null && root.isObject()) {
      items.add(root);
    } else if (root != null && root.isArray()) {
      root.forEach(items::add);
    } else {
      return done(Json.error(StatusCodes.BAD_REQUEST, "invalid_json",
          "the body must be a {\"topic\", \"payload\"} object or an array of them"));
    }
    if (items.size() > MAX_ITEMS) {
      return done(Json.error(StatusCodes.CONTENT_TOO_LARGE, "payload_too_large",
          items.size() + " messages in one request; at most " + MAX_ITEMS));
    }
    List<CompletableFuture<IngestResult>> results = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      results.add(submit(item).toCompletableFuture());
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .handle((ignored, error) -> error == null ? answer(results) : unavailable(error));
  }

  /** One item; an item that is not {@code {topic, payload}} is rejected here without reaching the pipeline. */
  private CompletionStage<IngestResult> submit(JsonNode item) {
    if (!item.isObject()) {
      return done(IngestResult.rejected("invalid_json", "the item is not a {\"topic\", \"payload\"} object"));
    }
    JsonNode topic = item.get("topic");
    JsonNode payload = item.get("payload");
    if (topic == null || !topic.isTextual()) {
      return done(IngestResult.rejected("missing_field", "the item has no \"topic\" string"));
    }
    byte[] bytes;
    if (payload != null && payload.isTextual()) {
      bytes = payload.asText().getBytes(StandardCharsets.UTF_8);
    } else if (payload != null && payload.isObject()) {
      try {
        bytes = Json.MAPPER.writeValueAsBytes(payload);
      } catch (JsonProcessingException e) {
        return done(IngestResult.rejected("invalid_json", "the payload could not be encoded"));
      }
    } else {
      return done(IngestResult.rejected("missing_field", "the item has no \"payload\" object or string"));
    }
    return pipeline.submit(topic.asText(), bytes);
  }

  private static HttpResponse answer(List<CompletableFuture<IngestResult>> results) {
    int accepted = 0;
    int rejected = 0;
    int ignored = 0;
    List<Map<String, Object>> rows = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      IngestResult result = results.get(i).join();
      switch (result.status()) {
        case ACCEPTED -> accepted++;
        case REJECTED -> rejected++;
        default -> ignored++;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("index", i);
      row.put("status", result.status().name().toLowerCase(Locale.ROOT));
      row.put("reason", result.reason());
      row.put("detail", result.detail());
      rows.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", accepted);
    body.put("rejected", rejected);
    body.put("ignored", ignored);
    body.put("results", rows);
    return Json.ok(body);
  }

  private static HttpResponse unavailable(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    log.warn("Ingest request not completed: {}", cause.getMessage());
    return Json.error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
        "some messages could not be stored right now; send the request again (ingest is idempotent)");
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
