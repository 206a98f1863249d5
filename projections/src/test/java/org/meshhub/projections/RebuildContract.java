package org.meshhub.projections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.projections.message.MessageFilter;
import org.meshhub.projections.message.MessageQueries;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.rebuild.Rebuild;
import org.meshhub.projections.testing.ReadSideData;
import org.meshhub.projections.testing.ReadSideTesting;

/** A read model rebuilt from the journal equals the one the live projections built from the same events. */
abstract class RebuildContract {
  static final Duration CATCH_UP = Duration.ofSeconds(90);

  abstract DatabaseSettings settings();

  /** Records what the rebuild reports, to check it. */
  static final class Recorder implements Rebuild.Listener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void started(ReadModel model, long events, boolean resumed) {
      lines.add("started " + model.id() + " " + events + (resumed ? " resumed" : ""));
    }

    @Override
    public void progress(ReadModel model, long replayed, long total, double rate) {
      lines.add("progress " + model.id() + " " + replayed + "/" + total);
    }

    @Override
    public void finished(Rebuild.Result result) {
      lines.add("finished " + result.model().id() + " " + result.replayed());
    }
  }

  static long count(Database db, String sql) throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Test
  void aRebuiltReadModelEqualsTheOneBuiltLiveEvenWhenTheRebuildWasInterrupted() throws Exception {
    DatabaseSettings settings = settings();
    try (Database db = Storage.prepare(settings, ReadSide.poolSize(settings.dialect()))) {
      ActorSystem<Void> system = ReadSideTesting.startNode(settings, db);
      Map<String, List<String>> live;
      try {
        ReadSideData.send(system, Instant.now());
        ReadSideTesting.awaitCaughtUp(db, CATCH_UP);
        live = ReadSideTesting.snapshot(db);
      } finally {
        MeshHubNode.stop(system);
      }
      live.forEach((table, rows) -> assertFalse(rows.isEmpty(), "the live build wrote rows into " + table));
      assertEquals(0, count(db, "SELECT COUNT(*) FROM read_models"), "a new schema has no bookkeeping rows");

      // Damage the live tables, so that only a real rebuild can bring them back.
      try (Connection c = db.connection(); Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM receptions WHERE observer = '" + ReadSideData.O2 + "'");
        st.executeUpdate("UPDATE nodes SET name = 'broken'");
        st.executeUpdate("DELETE FROM node_stats");
      }
      assertNotEquals(live, ReadSideTesting.snapshot(db));

      ActorSystem<Void> reader = JournalReader.start(settings);
      try {
        Recorder recorder = new Recorder();
        Rebuild rebuild = new Rebuild(reader, db, 3, recorder);
        Rebuild.Result partial = rebuild.run(ReadModel.NODES, false, 2);
        assertFalse(partial.complete(), "stopped as if interrupted");
        assertEquals(6, partial.replayed());
        Rebuild.Result rest = rebuild.run(ReadModel.NODES, false);
        assertTrue(rest.complete());
        assertTrue(recorder.lines.stream().anyMatch(l -> l.startsWith("started nodes") && l.endsWith("resumed")),
            "the second run resumed: " + recorder.lines);
        Rebuild.Result messages = rebuild.run(ReadModel.MESSAGES, false);
        assertTrue(messages.complete());
        assertTrue(recorder.lines.contains("finished messages " + messages.replayed()), recorder.lines.toString());
      } finally {
        MeshHubNode.stop(reader);
      }
      assertEquals(live, ReadSideTesting.snapshot(db));
      assertEquals(1, count(db, "SELECT generation FROM read_models WHERE name = 'nodes' AND rebuilt_at > 0"),
          "the swap recorded the model's first rebuild");
      // The full-text index follows the swapped-in rows.
      assertEquals(3, new MessageQueries(db).list(new MessageFilter(null, null, null, null, null, null, "hello"),
          PageRequest.first()).total());
    }
  }
}
