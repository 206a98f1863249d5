package org.meshhub.core.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ingest meters, all registered up front so that every series exists at 0:
 *
 * <ul>
 *   <li>{@code meshhub_ingest_messages_total{result=accepted|rejected|ignored}}: every message submitted, by result;
 *   <li>{@code meshhub_ingest_rejected_total{reason}}: rejected messages by {@link IngestReason#code()};
 *   <li>{@code meshhub_ingest_hash_mismatch_total}: packets whose feed {@code hash} differed from the computed one;
 *   <li>{@code meshhub_ingest_persist_seconds{entity=node|message}}: from a message's command sent to its entity to
 *       the entity's answer (its event persisted, or found a duplicate), with {@code _bucket} series for quantiles.
 * </ul>
 */
final class IngestMetrics {
  private final Counter accepted;
  private final Counter ignored;
  private final Counter rejectedTotal;
  private final Map<IngestReason, Counter> rejected = new EnumMap<>(IngestReason.class);
  private final Counter hashMismatch;
  private final Timer persistNode;
  private final Timer persistMessage;

  IngestMetrics(MeterRegistry registry) {
    accepted = messages(registry, "accepted");
    rejectedTotal = messages(registry, "rejected");
    ignored = messages(registry, "ignored");
    for (IngestReason reason : IngestReason.values()) {
      rejected.put(reason, Counter.builder("meshhub.ingest.rejected")
          .description("Ingested messages rejected, by reason")
          .tag("reason", reason.code())
          .register(registry));
    }
    hashMismatch = Counter.builder("meshhub.ingest.hash.mismatch")
        .description("Packets whose uploaded hash differed from the hash computed from raw (the computed one is used)")
        .register(registry);
    persistNode = persist(registry, "node");
    persistMessage = persist(registry, "message");
  }

  private static Timer persist(MeterRegistry registry, String entity) {
    return Timer.builder("meshhub.ingest.persist")
        .description("Time from a command sent to its entity to the entity's answer")
        .tag("entity", entity)
        .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
        .register(registry);
  }

  /** An entity answered a command after {@code nanos}. */
  void persisted(boolean node, long nanos) {
    (node ? persistNode : persistMessage).record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Counter messages(MeterRegistry registry, String result) {
    return Counter.builder("meshhub.ingest.messages")
        .description("Ingested messages, by result")
        .tag("result", result)
        .register(registry);
  }

  void accepted() {
    accepted.increment();
  }

  void ignored() {
    ignored.increment();
  }

  void rejected(IngestReason reason) {
    rejectedTotal.increment();
    rejected.get(reason).increment();
  }

  void hashMismatch() {
    hashMismatch.increment();
  }
}
