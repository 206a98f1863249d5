package org.meshhub.core.journal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The blocking JDBC threads of the journal DAOs: a fixed pool of named daemon threads, one per connection. */
final class JdbcThreads {
  private JdbcThreads() {}

  static ExecutorService fixedPool(String namePrefix, int threads) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, namePrefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
