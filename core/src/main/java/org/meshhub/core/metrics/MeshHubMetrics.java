package org.meshhub.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The metrics of one MeshHub node, exposed as Prometheus text at {@code GET /metrics}. One registry per actor
 * system, so that several MeshHubs in one JVM (tests) keep their counts apart. Metric names start with
 * {@code meshhub_}.
 */
public final class MeshHubMetrics implements Extension {
  private static final Id ID = new Id();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private MeshHubMetrics() {}

  public static MeshHubMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  private static final class Id extends ExtensionId<MeshHubMetrics> {
    @Override
    public MeshHubMetrics createExtension(ActorSystem<?> system) {
      return new MeshHubMetrics();
    }
  }
}
