package org.meshhub.projections.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Writes the change feed rows of one slice's batch, in the live projection's transaction (so a row becomes visible
 * together with the read rows it announces), and prunes the slice's rows older than the retention. A rebuild does
 * not use it: it replays history into shadow tables, which nobody is waiting to hear about.
 */
public final class LiveEventWriter {
  /** How often a batch leaves a mark to prune up to later. */
  private static final Duration MARK_EVERY = Duration.ofSeconds(10);

  /** One event of a batch: its journal ordering and the event. */
  public record Envelope(long ordering, Object event) {}

  private final String slice;
  private final Duration retention;
  private final Clock clock;
  /** (time written, highest ordering written by then), oldest first. */
  private final ArrayDeque<long[]> marks = new ArrayDeque<>();

  public LiveEventWriter(String slice, Duration retention, Clock clock) {
    this.slice = slice;
    this.retention = retention;
    this.clock = clock;
  }

  public void write(Connection connection, List<Envelope> batch) throws SQLException {
    long now = clock.millis();
    long highest = -1;
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO live_events (slice, ordering, kind,"
        + " written_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (slice, ordering) DO NOTHING")) {
      int rows = 0;
      for (Envelope e : batch) {
        Optional<LiveEvents.Entry> entry = LiveEvents.of(e.event());
        if (entry.isEmpty()) {
          continue;
        }
        insert.setString(1, slice);
        insert.setLong(2, e.ordering());
        insert.setString(3, entry.get().kind());
        insert.setLong(4, now);
        insert.setString(5, entry.get().body());
        insert.addBatch();
        rows++;
        highest = Math.max(highest, e.ordering());
      }
      if (rows > 0) {
        insert.executeBatch();
      }
    }
    if (highest >= 0 && (marks.isEmpty() || now - marks.peekLast()[0] >= MARK_EVERY.toMillis())) {
      marks.addLast(new long[] {now, highest});
    } else if (highest >= 0) {
      marks.peekLast()[1] = Math.max(marks.peekLast()[1], highest);
    }
    prune(connection, now);
  }

  /** Deletes the rows written before the retention, up to the newest mark that old. */
  private void prune(Connection connection, long now) throws SQLException {
    long through = -1;
    while (!marks.isEmpty() && now - marks.peekFirst()[0] >= retention.toMillis()) {
      through = marks.pollFirst()[1];
    }
    if (through < 0) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM live_events WHERE slice = ? AND ordering <= ?")) {
      delete.setString(1, slice);
      delete.setLong(2, through);
      delete.executeUpdate();
    }
    try (PreparedStatement horizon = connection.prepareStatement("INSERT INTO live_event_slices (slice,"
        + " pruned_through) VALUES (?, ?) ON CONFLICT (slice) DO UPDATE SET pruned_through = CASE WHEN"
        + " excluded.pruned_through > live_event_slices.pruned_through THEN excluded.pruned_through"
        + " ELSE live_event_slices.pruned_through END")) {
      horizon.setString(1, slice);
      horizon.setLong(2, through);
      horizon.executeUpdate();
    }
  }
}
