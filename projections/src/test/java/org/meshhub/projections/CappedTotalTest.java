package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.meshhub.projections.node.NodeFilter;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Total;

/** A filtered list counts its matches only up to the cap, says so, and counts exactly up to a deeper page's end. */
class CappedTotalTest {
  private static final int NODES = Total.COUNT_CAP + 50;

  @TempDir
  Path dataHome;

  @Test
  void aFilteredTotalStopsAtTheCapOnSqlite() throws Exception {
    check(DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome)));
  }

  @Test
  void aFilteredTotalStopsAtTheCapOnPostgres() throws Exception {
    String schema = TestDatabases.uniqueSchema(CappedTotalTest.class);
    try {
      check(DatabaseSettings.fromEnv(TestDatabases.postgresEnv(schema)));
    } finally {
      TestDatabases.dropSchema(schema);
    }
  }

  private static void check(DatabaseSettings settings) throws Exception {
    try (Database db = Storage.prepare(settings, 2)) {
      try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO nodes"
          + " (public_key, name, adv_type, last_seen, is_observer, advert_count, reception_count)"
          + " VALUES (?, ?, 'repeater', ?, FALSE, 0, 0)")) {
        c.setAutoCommit(false);
        for (int i = 0; i < NODES; i++) {
          ps.setString(1, Samples.publicKey(i));
          ps.setString(2, "Node " + i);
          ps.setLong(3, 1_700_000_000_000L + i);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
        c.setAutoCommit(true);
      }
      NodeQueries nodes = new NodeQueries(db);
      NodeFilter repeaters = new NodeFilter(null, null, "repeater", null, null, "last_seen", false);
      Page<?> first = nodes.list(repeaters, PageRequest.first());
      assertEquals(Total.COUNT_CAP, first.total());
      assertTrue(first.totalCapped(), "more matches than the cap");
      assertEquals(PageRequest.DEFAULT_LIMIT, first.items().size());
      Page<?> deep = nodes.list(repeaters, new PageRequest(50, Total.COUNT_CAP));
      assertEquals(NODES, deep.total(), "a page past the cap is counted to its end, which here is every match");
      assertFalse(deep.totalCapped());
      assertEquals(50, deep.items().size());
      Page<?> few = nodes.list(new NodeFilter("node 104", null, null, null, null, "last_seen", false),
          PageRequest.first());
      assertEquals(11, few.total(), "Node 104 and Node 1040 to 1049");
      assertFalse(few.totalCapped());
    }
  }
}
