package org.meshhub.core.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.IngestResult;

/**
 * The demo feed against a recording pipeline: the real pipeline lives in the ingest package and is tested there;
 * here only what the feed hands over, and how it copes with what comes back, matter.
 */
class DemoFeedTest {

  /** Records every submission and answers with whatever {@code answer} says. */
  static final class RecordingPipeline implements IngestPipeline {
    final List<String> topics = Collections.synchronizedList(new ArrayList<>());
    final List<byte[]> payloads = Collections.synchronizedList(new ArrayList<>());
    private final Function<Integer, CompletionStage<IngestResult>> answer;

    RecordingPipeline(Function<Integer, CompletionStage<IngestResult>> answer) {
      this.answer = answer;
    }

    @Override
    public CompletionStage<IngestResult> submit(String topic, byte[] payload) {
      int n;
      synchronized (this) {
        topics.add(topic);
        payloads.add(payload);
        n = topics.size();
      }
      return answer.apply(n);
    }

    int count() {
      return topics.size();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private static SyntheticMesh.Settings settings(double rate) {
    return SyntheticMesh.Settings.of(5, 10, 3, rate, Instant.now()).withPrefix("demo-test");
  }

  @Test
  void feedsTheSyntheticMeshIntoThePipelineInOrderAndStopsWhenClosed() throws Exception {
    RecordingPipeline pipeline =
        new RecordingPipeline(n -> CompletableFuture.completedFuture(IngestResult.accepted("recorded")));
    SyntheticMesh.Settings settings = settings(400);
    DemoFeed feed = new DemoFeed(pipeline, settings, 16).start();
    await("200 submissions", () -> pipeline.count() >= 200);
    feed.close();
    int submitted = pipeline.count();
    Thread.sleep(300);
    assertEquals(submitted, pipeline.count(), "nothing is submitted after close");

    SyntheticMesh reference = new SyntheticMesh(settings);
    for (int i = 0; i < submitted; i++) {
      Publication expected = reference.next();
      assertEquals(expected.topic(), pipeline.topics.get(i));
      assertArrayEquals(expected.payload(), pipeline.payloads.get(i));
    }
    DemoFeed.Stats stats = feed.stats();
    assertEquals(submitted, stats.submitted());
    assertEquals(submitted, stats.accepted());
    assertEquals(0, stats.rejected() + stats.ignored() + stats.failed());
  }

  @Test
  void waitsForASlowPipelineWithAtMostTheGivenNumberInFlight() throws Exception {
    List<CompletableFuture<IngestResult>> open = Collections.synchronizedList(new ArrayList<>());
    RecordingPipeline pipeline = new RecordingPipeline(n -> {
      CompletableFuture<IngestResult> f = new CompletableFuture<>();
      open.add(f);
      return f;
    });
    DemoFeed feed = new DemoFeed(pipeline, settings(1_000), 8).start();
    try {
      await("8 submissions", () -> pipeline.count() >= 8);
      Thread.sleep(300);
      assertEquals(8, pipeline.count(), "no ninth message while eight wait for the pipeline");
      synchronized (open) {
        open.forEach(f -> f.complete(IngestResult.accepted("recorded")));
      }
      await("the feed to go on", () -> pipeline.count() > 8);
    } finally {
      synchronized (open) {
        open.forEach(f -> f.complete(IngestResult.accepted("recorded")));
      }
      feed.close();
    }
  }

  @Test
  void countsRejectionsIgnoredMessagesAndFailuresAndGoesOn() throws Exception {
    AtomicInteger thrown = new AtomicInteger();
    RecordingPipeline pipeline = new RecordingPipeline(n -> {
      switch (n % 5) {
        case 0:
          return CompletableFuture.completedFuture(IngestResult.rejected("bad_hex", "test"));
        case 1:
          return CompletableFuture.completedFuture(IngestResult.ignored("tx_packet", "test"));
        case 2:
          return CompletableFuture.failedFuture(new IllegalStateException("database gone"));
        case 3:
          thrown.incrementAndGet();
          throw new IllegalStateException("pipeline closed");
        default:
          return CompletableFuture.completedFuture(IngestResult.accepted("recorded"));
      }
    });
    DemoFeed feed = new DemoFeed(pipeline, settings(500), 4).start();
    await("50 submissions", () -> pipeline.count() >= 50);
    feed.close();
    DemoFeed.Stats stats = feed.stats();
    assertEquals(pipeline.count(), stats.submitted());
    assertEquals(stats.submitted(), stats.accepted() + stats.rejected() + stats.ignored() + stats.failed());
    assertTrue(stats.accepted() >= 9 && stats.rejected() >= 10 && stats.ignored() >= 10, stats.toString());
    long failing = 0;
    for (int n = 1; n <= stats.submitted(); n++) {
      failing += n % 5 == 2 || n % 5 == 3 ? 1 : 0;
    }
    assertEquals(failing, stats.failed(), "failed stages and thrown submissions: " + stats);
    assertTrue(thrown.get() > 0);
  }
}
