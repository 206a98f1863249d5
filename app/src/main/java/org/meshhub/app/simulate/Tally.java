package org.meshhub.app.simulate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What a sink delivered so far; updated from the sink's callbacks, read by the progress and summary lines. */
public final class Tally {
  final AtomicLong receptions = new AtomicLong();
  final AtomicLong statuses = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();

  /** Receptions the broker or the API acknowledged. */
  public long receptions() {
    return receptions.get();
  }

  /** Status messages acknowledged. */
  public long statuses() {
    return statuses.get();
  }

  /** Messages that were not acknowledged. */
  public long failed() {
    return failed.get();
  }

  /** For the HTTP target: messages the API answered as accepted (-1 when it did not say). */
  public long accepted() {
    return accepted.get();
  }

  public long rejected() {
    return rejected.get();
  }

  /** The first failure's reason, or null. */
  public String firstFailure() {
    return firstFailure.get();
  }

  void fail(long count, String reason) {
    failed.addAndGet(count);
    firstFailure.compareAndSet(null, reason);
  }
}
