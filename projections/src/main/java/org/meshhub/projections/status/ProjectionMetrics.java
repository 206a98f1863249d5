package org.meshhub.projections.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projection lag and journal size in {@code /metrics}, sampled every few seconds on the blocking dispatcher (a
 * scrape never waits on the database):
 *
 * <ul>
 *   <li>{@code meshhub_projection_lag_events{projection,slice}}: events of the slice the projection has not
 *       committed yet;
 *   <li>{@code meshhub_projection_lag_seconds{projection,slice}}: age of the oldest of them;
 *   <li>{@code meshhub_projection_offset{projection,slice}}: its committed journal ordering;
 *   <li>{@code meshhub_journal_events}: the highest ordering in the journal.
 * </ul>
 */
public final class ProjectionMetrics {
  private static final Logger log = LoggerFactory.getLogger(ProjectionMetrics.class);

  private final MeterRegistry registry;
  private final Database database;
  private final AtomicReference<ProjectionStatus.Report> latest = new AtomicReference<>();
  private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

  private ProjectionMetrics(MeterRegistry registry, Database database) {
    this.registry = registry;
    this.database = database;
    Gauge.builder("meshhub_journal_events", latest, r -> r.get() == null ? 0 : r.get().journalEnd())
        .description("Highest ordering in the event journal (events written)").register(registry);
  }

  /**
   * Samples now and then every {@code interval}, on {@code blocking}, until the node's coordinated shutdown stops
   * its services (before the database closes).
   */
  public static ProjectionMetrics start(ActorSystem<?> system, MeterRegistry registry, Database database,
      Duration interval, Executor blocking) {
    ProjectionMetrics metrics = new ProjectionMetrics(registry, database);
    Cancellable sampling = system.scheduler().scheduleWithFixedDelay(Duration.ZERO, interval,
        () -> blocking.execute(metrics::sample), system.executionContext());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "projection-metrics-stop",
        () -> {
          sampling.cancel();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    return metrics;
  }

  /** Reads the status once and updates the gauges; a failure is logged and the previous values stay. */
  public void sample() {
    try {
      ProjectionStatus.Report report = ProjectionStatus.read(database, Instant.now());
      latest.set(report);
      for (ProjectionStatus.Slice s : report.slices()) {
        register(s.projection(), s.slice());
      }
    } catch (Exception e) {
      log.warn("Could not sample projection lag: {}", e.toString());
    }
  }

  private void register(String projection, String slice) {
    if (registered.putIfAbsent(projection + "/" + slice, Boolean.TRUE) != null) {
      return;
    }
    Tags tags = Tags.of("projection", projection, "slice", slice);
    Gauge.builder("meshhub_projection_lag_events", latest, r -> find(r.get(), projection, slice, 0))
        .tags(tags).description("Events of the slice not yet projected").register(registry);
    Gauge.builder("meshhub_projection_lag_seconds", latest, r -> find(r.get(), projection, slice, 1))
        .tags(tags).description("Age of the oldest event not yet projected").register(registry);
    Gauge.builder("meshhub_projection_offset", latest, r -> find(r.get(), projection, slice, 2))
        .tags(tags).description("Journal ordering of the last projected event").register(registry);
  }

  private static double find(ProjectionStatus.Report report, String projection, String slice, int what) {
    if (report == null) {
      return Double.NaN;
    }
    for (ProjectionStatus.Slice s : report.slices()) {
      if (s.projection().equals(projection) && s.slice().equals(slice)) {
        return switch (what) {
          case 0 -> s.lagEvents();
          case 1 -> s.lagSeconds();
          default -> s.offset() == null ? 0 : s.offset();
        };
      }
    }
    return Double.NaN;
  }
}
