package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.live.LiveFeed;

class PostgresLiveFeedTest extends LiveFeedContract {
  private static final String SCHEMA = TestDatabases.uniqueSchema(PostgresLiveFeedTest.class);

  @Override
  DatabaseSettings settings() {
    return DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA));
  }

  @Override
  void afterClose() {
    TestDatabases.dropSchema(SCHEMA);
  }

  /**
   * Two slices commit concurrently: the row with the lower ordering becomes visible after the higher one (as
   * PostgreSQL sequence values do across transactions). A reader that kept one "highest id seen" would skip it;
   * the feed keeps one position per slice and delivers it. (SQLite has one writer at a time: this cannot happen
   * there.)
   */
  @Test
  void aRowCommittedAfterAHigherOrderingOfAnotherSliceIsStillDelivered() throws Exception {
    Client client = new Client(Optional.empty());
    client.next();
    long early = ++ordering;
    long late = ++ordering;
    try (Connection slow = db.connection()) {
      slow.setAutoCommit(false);
      new org.meshhub.projections.live.LiveEventWriter("node-1", java.time.Duration.ofHours(1),
          java.time.Clock.systemUTC()).write(slow, List.of(new org.meshhub.projections.live.LiveEventWriter.Envelope(
              early, message("committed late"))));
      try (Connection fast = db.connection()) {
        fast.setAutoCommit(false);
        new org.meshhub.projections.live.LiveEventWriter("message-1", java.time.Duration.ofHours(1),
            java.time.Clock.systemUTC()).write(fast, List.of(new org.meshhub.projections.live.LiveEventWriter
                .Envelope(late, message("committed first"))));
        fast.commit();
      }
      assertEquals(List.of("committed first"), client.texts(1));
      slow.commit();
    }
    assertEquals(List.of("committed late"), client.texts(1));
    LiveFeed.Emitted after = null;
    Client resumed = new Client(Optional.empty());
    after = resumed.next();
    assertEquals(LiveFeed.READY, after.type());
    client.disconnect();
    resumed.disconnect();
  }
}
