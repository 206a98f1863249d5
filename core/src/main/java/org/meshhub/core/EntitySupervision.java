package org.meshhub.core;

import java.time.Duration;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.meshhub.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * How the entities survive a journal that fails (the database gone, a connection cut): the entity is restarted
 * with backoff and recovers once the database is back; what was asked of it fails, and the sender keeps the input
 * (MQTT redelivers what was not acknowledged, HTTP answers 503).
 *
 * <p>While the database is away every entity that starts or writes fails, hundreds a second under load. Pekko logs
 * each restart at ERROR with a stack trace; here those go to DEBUG, and the entities log one WARN line per entity
 * type per 10 s instead, with how many more failed since.
 */
public final class EntitySupervision {
  private static volatile RateLimitedLog FAILURES = new RateLimitedLog(Duration.ofSeconds(10));

  private EntitySupervision() {}

  /** Restart after 0.2 s, backing off to 5 s, with the supervisor's own logging at DEBUG. */
  public static BackoffSupervisorStrategy restartWithBackoff() {
    return SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1)
        .withLogLevel(Level.DEBUG);
  }

  /** Logs that an entity could not recover its state from the journal, at most once per 10 s per entity type. */
  public static void recoveryFailed(Logger log, String entityType, String entityId, Throwable failure) {
    RateLimitedLog limit = FAILURES;
    long held = limit.permit(entityType);
    if (held != RateLimitedLog.SUPPRESS) {
      log.warn("{} {} could not recover from the journal and is restarted with backoff: {}{}", entityType, entityId,
          Database.rootMessage(failure), limit.suffix(held));
    }
  }

  /** Starts the rate limit afresh (for tests that check the line is logged). */
  static void forgetRecentFailures() {
    FAILURES = new RateLimitedLog(Duration.ofSeconds(10));
  }
}
