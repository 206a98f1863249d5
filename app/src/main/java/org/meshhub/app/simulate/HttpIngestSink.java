package org.meshhub.app.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.meshhub.app.http.Json;
import org.meshhub.core.simulate.Publication;

/**
 * Posts publications to MeshHub's {@code POST /api/v1/ingest} in batches: a JSON array of {@code {topic, payload}}
 * objects, the payload being the upload's JSON object itself. A batch goes when it is full or when its first
 * publication has waited {@link #MAX_BATCH_WAIT}, so slow rates are not held back. Up to {@code maxRequests}
 * requests are in flight at once.
 *
 * <p>401, 403 and 404 end the run (wrong key, admin disabled, no ingest endpoint), as does a lost connection;
 * other error statuses count the batch as failed and the run goes on.
 */
public final class HttpIngestSink implements PublicationSink {
  public static final String INGEST_PATH = "/api/v1/ingest";
  static final Duration MAX_BATCH_WAIT = Duration.ofMillis(200);
  private static final ObjectMapper JSON = Json.MAPPER;

  private final URI base;
  private final URI endpoint;
  private final String adminKey;
  private final int batchSize;
  private final int maxRequests;
  private final HttpClient http;
  private final Semaphore requests;
  private final Tally tally = new Tally();
  private final List<Publication> batch = new ArrayList<>();
  private long batchStarted;
  private volatile String fatal;

  private HttpIngestSink(URI base, String adminKey, int batchSize, int maxRequests) {
    this.base = base;
    this.endpoint = URI.create(base.toString().replaceAll("/+$", "") + INGEST_PATH);
    this.adminKey = adminKey;
    this.batchSize = batchSize;
    this.maxRequests = maxRequests;
    this.requests = new Semaphore(maxRequests);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Checks that the API answers at all ({@code GET /health}), or fails with one line naming it.
   *
   * @param base the API's base address, e.g. {@code http://127.0.0.1:8000}
   */
  public static HttpIngestSink connect(URI base, String adminKey, int batchSize, int maxRequests)
      throws InterruptedException {
    HttpIngestSink sink = new HttpIngestSink(base, adminKey, batchSize, maxRequests);
    try {
      sink.http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + "/health"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new SinkUnavailableException("the MeshHub API at " + base + " is not reachable (" + reason(e) + ")");
    }
    return sink;
  }

  @Override
  public void publish(Publication publication) throws InterruptedException {
    checkFatal();
    if (batch.isEmpty()) {
      batchStarted = System.nanoTime();
    }
    batch.add(publication);
    if (batch.size() >= batchSize || System.nanoTime() - batchStarted >= MAX_BATCH_WAIT.toNanos()) {
      send();
    }
  }

  private void send() throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    List<Publication> items = List.copyOf(batch);
    batch.clear();
    long receptions = items.stream().filter(Publication::isReception).count();
    long statuses = items.size() - receptions;
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(items)))
        .build();
    requests.acquire();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      try {
        if (error != null) {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
            fatal = "lost the MeshHub API at " + base + " (" + reason(cause) + ")";
          }
          tally.fail(items.size(), "request failed: " + reason(cause));
        } else {
          answered(response, items.size(), receptions, statuses);
        }
      } finally {
        requests.release();
      }
    });
  }

  private void answered(HttpResponse<String> response, int items, long receptions, long statuses) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      tally.receptions.addAndGet(receptions);
      tally.statuses.addAndGet(statuses);
      try {
        JsonNode answer = JSON.readTree(response.body());
        if (answer != null && answer.path("accepted").isNumber()) {
          tally.accepted.addAndGet(answer.get("accepted").asLong());
          tally.rejected.addAndGet(answer.path("rejected").asLong());
        }
      } catch (IOException notJson) {
        // counted as delivered; the API just did not say more
      }
      return;
    }
    String detail = "HTTP " + status + errorOf(response.body());
    if (status == 401 || status == 403) {
      fatal = "the MeshHub API at " + base + " refused the admin key (" + detail + ")";
    } else if (status == 404) {
      fatal = "no ingest endpoint at " + endpoint + " (" + detail + ")";
    }
    tally.fail(items, detail);
  }

  private static String errorOf(String body) {
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.hasNonNull("error")) {
        return ": " + error.get("error").asText()
            + (error.hasNonNull("detail") ? ": " + error.get("detail").asText() : "");
      }
    } catch (IOException notJson) {
      // no detail to show
    }
    return "";
  }

  private void checkFatal() {
    if (fatal != null) {
      throw new SinkUnavailableException(fatal);
    }
  }

  /** {@code [{"topic": "...", "payload": <the upload's JSON>}, ...]}; payloads are copied in as they are. */
  static byte[] body(List<Publication> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 600);
    out.write('[');
    for (int i = 0; i < items.size(); i++) {
      Publication p = items.get(i);
      if (i > 0) {
        out.write(',');
      }
      try {
        out.writeBytes(("{\"topic\":" + JSON.writeValueAsString(p.topic()) + ",\"payload\":")
            .getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("a string always serializes", e);
      }
      out.writeBytes(p.payload());
      out.write('}');
    }
    out.write(']');
    return out.toByteArray();
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    send();
    if (requests.tryAcquire(maxRequests, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      requests.release(maxRequests);
      checkFatal();
      return true;
    }
    return false;
  }

  @Override
  public Tally tally() {
    return tally;
  }

  @Override
  public String describe() {
    return "MeshHub API " + endpoint + " (batches of up to " + batchSize + ")";
  }

  @Override
  public void close() {
    // The JDK client has nothing to close before Java 21.
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      message = e.getCause() != null && e.getCause().getMessage() != null
          ? e.getCause().getMessage() : e.getClass().getSimpleName();
    }
    return message;
  }
}
