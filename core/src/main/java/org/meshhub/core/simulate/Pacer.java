package org.meshhub.core.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Plays a timeline in real time: something due {@code d} after the timeline's origin is released {@code d} after
 * the pacer was made. Items are released one by one at their own time, never in bursts; a consumer that falls
 * behind is not made to wait.
 */
public final class Pacer {
  private final Instant origin;
  private final long startNanos;

  public Pacer(Instant origin) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.startNanos = System.nanoTime();
  }

  /** Waits until {@code at} is due on the wall clock; returns at once when it already is. */
  public void awaitDue(Instant at) throws InterruptedException {
    long due = startNanos + Duration.between(origin, at).toNanos();
    long wait = due - System.nanoTime();
    while (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
      wait = due - System.nanoTime();
    }
  }

  /** Seconds since the pacer was made. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
