package org.meshhub.core.simulate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.IngestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in demo feed of {@code meshhub serve --demo}: a {@link SyntheticMesh} played in real time into the
 * ingest pipeline, the same way as messages from the broker, so that a collector without a broker shows live nodes
 * and messages within seconds.
 *
 * <p>At most {@code maxInFlight} messages wait for the pipeline at once; when the pipeline is slower than the rate,
 * the feed waits for it rather than piling work up. A rejected message or a failed submission is counted and
 * logged (at most one warning a minute) and the feed goes on.
 */
public final class DemoFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoFeed.class);

  public static final double DEFAULT_RATE = 20;
  public static final int DEFAULT_NODES = 40;
  /** The demo mesh is always the same mesh: the same nodes come back after a restart. */
  public static final long SEED = 1;
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;
  private static final long SUMMARY_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** What became of the demo messages so far. */
  public record Stats(long submitted, long accepted, long rejected, long ignored, long failed) {}

  private final IngestPipeline pipeline;
  private final SyntheticMesh mesh;
  private final Semaphore inFlight;
  private final int maxInFlight;
  private final Thread thread;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private volatile boolean stopping;

  /**
   * A feed of the mesh described by {@code settings} into {@code pipeline}; {@link #start()} sets it going.
   *
   * @param maxInFlight submissions that may wait for the pipeline at once
   */
  public DemoFeed(IngestPipeline pipeline, SyntheticMesh.Settings settings, int maxInFlight) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.mesh = new SyntheticMesh(settings);
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.thread = new Thread(this::run, "meshhub-demo-feed");
    this.thread.setDaemon(true);
  }

  /** The demo mesh: {@link #SEED}, {@code nodes} nodes, three observers, starting now. */
  public static SyntheticMesh.Settings settings(int nodes, double receptionsPerSecond, String prefix) {
    return SyntheticMesh.Settings.of(SEED, nodes, SyntheticMesh.Settings.DEFAULT_OBSERVERS, receptionsPerSecond,
        Instant.now().truncatedTo(ChronoUnit.MILLIS)).withPrefix(prefix);
  }

  /**
   * The demo feed of a node ({@link #settings}): started now, and stopped first by the node's coordinated shutdown,
   * while the entities it feeds are still there.
   */
  public static DemoFeed start(ActorSystem<?> system, IngestPipeline pipeline, int nodes, double receptionsPerSecond,
      String prefix) {
    DemoFeed feed = new DemoFeed(pipeline, settings(nodes, receptionsPerSecond, prefix), DEFAULT_MAX_IN_FLIGHT);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "demo-feed-stop", () -> {
      feed.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return feed.start();
  }

  public DemoFeed start() {
    SyntheticMesh.Settings s = mesh.settings();
    log.info("Demo feed: {} nodes and {} observers, {} receptions/s, topics {}/...", s.nodes(), s.observers(),
        s.receptionsPerSecond(), s.prefix());
    thread.start();
    return this;
  }

  public Stats stats() {
    return new Stats(submitted.get(), accepted.get(), rejected.get(), ignored.get(), failed.get());
  }

  private void run() {
    Pacer pacer = new Pacer(mesh.settings().start());
    long nextSummary = System.nanoTime() + SUMMARY_EVERY_NANOS;
    try {
      while (!stopping) {
        Publication publication = mesh.next();
        pacer.awaitDue(publication.at());
        inFlight.acquire();
        if (stopping) {
          inFlight.release();
          break;
        }
        submit(publication);
        if (System.nanoTime() - nextSummary > 0) {
          nextSummary += SUMMARY_EVERY_NANOS;
          Stats st = stats();
          log.info("Demo feed: {} messages submitted, {} accepted, {} rejected, {} ignored, {} failed",
              st.submitted(), st.accepted(), st.rejected(), st.ignored(), st.failed());
        }
      }
    } catch (InterruptedException e) {
      // close() stops the feed
    }
  }

  private void submit(Publication publication) {
    submitted.incrementAndGet();
    CompletionStage<IngestResult> stage;
    try {
      stage = pipeline.submit(publication.topic(), publication.payload());
    } catch (RuntimeException e) {
      inFlight.release();
      failed.incrementAndGet();
      warn("Demo feed: the ingest pipeline refused a message: {}", e.toString());
      return;
    }
    stage.whenComplete((result, error) -> {
      inFlight.release();
      if (error != null) {
        failed.incrementAndGet();
        warn("Demo feed: a message could not be ingested: {}", error.toString());
      } else if (result.status() == IngestResult.Status.ACCEPTED) {
        accepted.incrementAndGet();
      } else if (result.status() == IngestResult.Status.IGNORED) {
        ignored.incrementAndGet();
      } else {
        rejected.incrementAndGet();
        warn("Demo feed: the ingest pipeline rejected a demo message: {}", result.reason() + " ("
            + result.detail() + ")");
      }
    });
  }

  private void warn(String message, String detail) {
    long last = lastWarning.get();
    long now = System.nanoTime();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn(message, detail);
    }
  }

  /** Stops the feed and waits (up to 10 s) for the messages still in the pipeline. */
  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
      if (inFlight.tryAcquire(maxInFlight, 10, TimeUnit.SECONDS)) {
        inFlight.release(maxInFlight);
      } else {
        log.warn("Demo feed: stopped with messages still in the pipeline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Stats st = stats();
    log.info("Demo feed stopped: {} messages submitted, {} accepted, {} rejected, {} ignored, {} failed",
        st.submitted(), st.accepted(), st.rejected(), st.ignored(), st.failed());
  }
}
