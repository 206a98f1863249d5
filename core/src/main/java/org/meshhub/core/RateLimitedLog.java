package org.meshhub.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps a flood of bad input from flooding the log: at most one line per key (a rejection reason, say) per
 * interval. {@link #permit} says whether to log now and how many lines of that key were held back since the last.
 */
public final class RateLimitedLog {
  /** Returned by {@link #permit} when the line must be held back. */
  public static final long SUPPRESS = -1;

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Duration interval) {
    this(interval, System::nanoTime);
  }

  RateLimitedLog(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** {@link #SUPPRESS}, or the number of lines of this key held back since the last one logged (0 or more). */
  public long permit(String key) {
    Window window = windows.computeIfAbsent(key, k -> new Window());
    synchronized (window) {
      long now = nanoTime.getAsLong();
      if (window.logged && now - window.lastLogged < intervalNanos) {
        window.suppressed++;
        return SUPPRESS;
      }
      long held = window.suppressed;
      window.logged = true;
      window.lastLogged = now;
      window.suppressed = 0;
      return held;
    }
  }

  /** A suffix for a log line: empty, or how many similar lines were held back. */
  public String suffix(long held) {
    return held <= 0 ? "" : " (" + held + " more like it in the last " + Duration.ofNanos(intervalNanos).toSeconds()
        + " s not logged)";
  }

  private static final class Window {
    boolean logged;
    long lastLogged;
    long suppressed;
  }
}
