package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.Storage;

/** The rejected_messages table (migration V2) on every backend: what goes in comes out, and retention bounds it. */
abstract class RejectedMessagesContract {
  abstract DatabaseSettings settings();

  @Test
  void keepsWhatWasRejectedAndPrunesByCountAndByAge() throws Exception {
    try (Database db = Storage.prepare(settings(), 2)) {
      try (Connection c = db.connection()) {
        assertTrue(SchemaMigrations.tableExists(c, RejectedMessages.TABLE), "created in the instance's schema");
      }
      RejectedMessages store = new RejectedMessages(db);
      Instant now = Instant.parse("2026-03-01T12:00:00.123Z");
      for (int i = 0; i < 12; i++) {
        store.insert("t/" + i, ("payload " + i).getBytes(StandardCharsets.UTF_8), "invalid_json", "detail " + i,
            now.minus(Duration.ofDays(12 - i)));
      }
      // Text PostgreSQL cannot hold (NUL) and bytes that are not text are kept as well as can be.
      store.insert("nul\u0000topic", new byte[] {0, (byte) 0xFF}, "bad_hex", "x\u0000y", now);
      List<RejectedMessages.Row> newest = store.newest(1);
      assertEquals("nul\uFFFDtopic", newest.get(0).topic());
      assertArrayEquals(new byte[] {0, (byte) 0xFF}, newest.get(0).payload());
      assertEquals(now, newest.get(0).receivedAt());
      assertEquals(13, store.count());

      assertEquals(3, store.prune(10, Duration.ZERO, now), "keeps the newest 10");
      assertEquals("t/3", store.newest(10).get(9).topic());
      assertEquals(4, store.prune(10, Duration.ofDays(5), now), "and nothing older than 5 days");
      assertEquals(6, store.count());
      assertEquals("t/7", store.newest(10).get(5).topic());
    }
  }
}
