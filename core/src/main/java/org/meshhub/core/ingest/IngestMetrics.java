package org.meshhub.core.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The ingest meters, all registered up front so that every series exists at 0:
 *
 * <ul>
 *   <li>{@code meshhub_ingest_messages_total{result=accepted|rejected|ignored}}: every message submitted, by result;
 *   <li>{@code meshhub_ingest_rejected_total{reason}}: rejected messages by {@link IngestReason#code()};
 *   <li>{@code meshhub_ingest_hash_mismatch_total}: packets whose feed {@code hash} differed from the computed one.
 * </ul>
 */
final class IngestMetrics {
  private final Counter accepted;
  private final Counter ignored;
  private final Counter rejectedTotal;
  private final Map<IngestReason, Counter> rejected = new EnumMap<>(IngestReason.class);
  private final Counter hashMismatch;

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
