package org.meshhub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  @Test
  void logsOneLinePerKeyPerIntervalAndCountsTheOthers() {
    AtomicLong now = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(Duration.ofSeconds(10), now::get);
    assertEquals(0, log.permit("bad_hex"));
    assertEquals(RateLimitedLog.SUPPRESS, log.permit("bad_hex"));
    assertEquals(RateLimitedLog.SUPPRESS, log.permit("bad_hex"));
    assertEquals(0, log.permit("invalid_json"), "keys are limited separately");
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertEquals(2, log.permit("bad_hex"), "the next line says how many were held back");
    assertEquals(" (2 more like it in the last 10 s not logged)", log.suffix(2));
    assertEquals("", log.suffix(0));
  }
}
