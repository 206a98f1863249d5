package org.meshhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.meshhub.app.http.Json;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.config.Env;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;

/**
 * {@code GET /api/v1/stream} over a real socket, with events sent to the real entities and announced by the real
 * projections: each entity's events arrive in order, each once, and a client that reconnects with its
 * {@code Last-Event-ID} gets exactly what it missed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StreamApiContract {
  static final String READ_KEY = "stream-reader-key";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String OBSERVER = Samples.publicKey(990);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  MeshHubServer server;
  int hashes;

  abstract Map<String, String> databaseEnv();

  void afterServerStopped() {}

  @BeforeAll
  void start() {
    Map<String, String> env = LocalServers.env(databaseEnv());
    env.put("API_READ_KEY", READ_KEY);
    server = MeshHubServer.start(Env.of(env));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    afterServerStopped();
  }

  /** One event of the stream. */
  record Event(String type, String id, JsonNode data) {}

  /** A stream client reading on its own thread until it disconnects. */
  final class Client implements AutoCloseable {
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final InputStream body;
    final Thread reader;

    Client(String lastEventId) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
          + "/api/v1/stream")).header("Authorization", "Bearer " + READ_KEY).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<InputStream> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      body = response.body();
      reader = new Thread(this::read, "sse-test-client");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String type = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.isEmpty()) {
            if (data.length() > 0) {
              events.add(new Event(type, id, Json.MAPPER.readTree(data.toString())));
            }
            type = "message";
            id = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            type = line.substring(6).trim();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
        }
      } catch (Exception e) {
        // disconnected
      }
    }

    Event next() throws InterruptedException {
      Event e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(e, "no event within " + WAIT);
      return e;
    }

    /** Events until {@code n} adverts and messages have arrived (node changes are skipped). */
    List<Event> take(int n) throws InterruptedException {
      List<Event> out = new ArrayList<>();
      while (out.size() < n) {
        Event e = next();
        if (e.type().equals("advert") || e.type().equals("message")) {
          out.add(e);
        }
      }
      return out;
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }

  static String label(Event e) {
    return e.type().equals("advert") ? e.data().get("name").asText() : e.data().get("text").asText();
  }

  void advert(String key, long timestamp, String name) throws Exception {
    Outcome o = ClusterSharding.get(server.system()).entityRefFor(NodeEntity.ENTITY_KEY, key)
        .<Outcome>askWithStatus(r -> new NodeEntity.RecordAdvert(new NodeEntity.Advert(timestamp, name, "repeater",
            0x81, 47.6, -122.3, true, null, null), new Reception(OBSERVER, Instant.now(), 2.0, -90, 1, null), r),
            Duration.ofSeconds(30)).toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(Outcome.RECORDED, o);
  }

  void message(String text) throws Exception {
    String hash = Samples.packetHash(70_000 + hashes++);
    Outcome o = ClusterSharding.get(server.system()).entityRefFor(MessageEntity.ENTITY_KEY, hash)
        .<Outcome>askWithStatus(r -> new MessageEntity.RecordMessage(new MessageEntity.MessageContent("channel", 5,
            0x11, "Public", true, "Ann", text, Instant.now().getEpochSecond(), 0, null, null), null,
            new Reception(OBSERVER, Instant.now(), 2.0, -90, 1, null), r), Duration.ofSeconds(30))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(Outcome.RECORDED, o);
  }

  @Test
  void eachEntitysEventsArriveInOrderOnceAndAReconnectWithLastEventIdMissesNothing() throws Exception {
    String node = Samples.publicKey(991);
    long ts = Instant.now().getEpochSecond() - 1000;
    List<String> adverts = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    String resumeFrom;
    List<String> seenBefore = new ArrayList<>();
    try (Client client = new Client(null)) {
      assertEquals("ready", client.next().type());
      for (int i = 1; i <= 5; i++) {
        adverts.add("advert " + i);
        advert(node, ts + i, "advert " + i);
        messages.add("message " + i);
        message("message " + i);
      }
      List<Event> first = client.take(10);
      assertEquals(adverts, first.stream().filter(e -> e.type().equals("advert")).map(StreamApiContract::label)
          .toList(), "one node's adverts in the order they were recorded");
      assertEquals(messages.stream().sorted().toList(), first.stream().filter(e -> e.type().equals("message"))
          .map(StreamApiContract::label).sorted().toList());
      for (int i = 0; i < 4; i++) {
        seenBefore.add(label(first.get(i)));
      }
      resumeFrom = first.get(3).id();
    }
    // Missed while away: more of the same node's adverts and new messages.
    for (int i = 6; i <= 8; i++) {
      adverts.add("advert " + i);
      advert(node, ts + i, "advert " + i);
      messages.add("message " + i);
      message("message " + i);
    }
    try (Client again = new Client(resumeFrom)) {
      List<Event> rest = again.take(16 - seenBefore.size());
      List<String> all = new ArrayList<>(seenBefore);
      rest.forEach(e -> all.add(label(e)));
      assertEquals(16, all.stream().distinct().count(), "each event exactly once across both connections: " + all);
      assertEquals(adverts, all.stream().filter(l -> l.startsWith("advert")).toList(), "still in order");
      assertFalse(rest.stream().anyMatch(e -> e.type().equals("ready") || e.type().equals("reset")),
          "resumed, not restarted");
      message("after the reconnect");
      assertEquals("after the reconnect", label(again.take(1).get(0)), "and then live again");
    }
  }

  @Test
  void aLastEventIdThatIsNotOursStartsWithReset() throws Exception {
    try (Client client = new Client("12345")) {
      Event first = client.next();
      assertEquals("reset", first.type());
      assertTrue(first.id().contains("~"), first.id());
    }
  }
}
