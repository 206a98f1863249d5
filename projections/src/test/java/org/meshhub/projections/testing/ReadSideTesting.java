package org.meshhub.projections.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.projections.ReadModel;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.ReadSideSettings;
import org.meshhub.projections.status.ProjectionStatus;

/** Helpers for tests of the read side: a node with its projections, waiting for them, comparing tables. */
public final class ReadSideTesting {
  private ReadSideTesting() {}

  /** A MeshHub node with entities and running projections, on a prepared database. */
  public static ActorSystem<Void> startNode(DatabaseSettings settings, Database database) {
    ActorSystem<Void> system = MeshHubNode.start(settings, ClusterSettings.local(),
        ReadSide.config(ReadSide.poolSize(settings.dialect())));
    ReadSide.start(system, database, ReadSideSettings.fromConfig(system.settings().config()));
    return system;
  }

  /** Waits (at most {@code deadline}) until every live projection has committed every event of its slice. */
  public static void awaitCaughtUp(Database database, Duration deadline) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    ProjectionStatus.Report report = null;
    while (System.nanoTime() < end) {
      report = ProjectionStatus.read(database, Instant.now());
      boolean caughtUp = report.slices().stream()
          .filter(s -> !s.projection().endsWith("-rebuild"))
          .allMatch(s -> s.lagEvents() == 0);
      if (caughtUp) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the projections did not catch up within " + deadline + ": " + report);
  }

  /**
   * Every row of every table of the read models, as sorted text (surrogate ids and derived search columns left
   * out), for comparing two builds of the same events.
   */
  public static Map<String, List<String>> snapshot(Database database) throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Connection c = database.connection()) {
      for (ReadModel model : ReadModel.values()) {
        for (String table : model.tables()) {
          out.put(table, rows(c, table));
        }
      }
    }
    return out;
  }

  private static List<String> rows(Connection c, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String column = md.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
          if (column.equals("id") || column.equals("search_vector")) {
            continue;
          }
          Object v = rs.getObject(i);
          row.append(column).append('=').append(v == null ? "null" : v instanceof Boolean b ? (b ? "1" : "0")
              : v.toString()).append(' ');
        }
        rows.add(row.toString());
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
