package org.meshhub.projections.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.StorageException;
import org.meshhub.projections.EventWriter;
import org.meshhub.projections.PooledJdbcSession;
import org.meshhub.projections.ReadModel;
import org.meshhub.projections.TableNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a read model from the journal: replays every event of its slices, with the live projection's own
 * writer, into shadow tables ({@code <table>_rebuild}), committing each batch with its offset (kept under
 * {@code <model>-rebuild}) so that an interrupted rebuild resumes where it stopped. Once the shadow tables have
 * caught up with the journal, one transaction swaps them in: the live tables' rows are replaced by the shadow's and
 * the live projection's offsets by the rebuild's. Until that commit the API keeps reading the old rows.
 *
 * <p>On PostgreSQL a running server may keep projecting meanwhile: the swap locks the live projection's offsets and
 * the model's live tables against writers (readers go on), first replays into the shadow tables whatever the live projection committed beyond the
 * rebuild, and hands the live projection offsets at least as far as its own; the live projection then re-applies
 * at most a few events, which its idempotent writers absorb. Two rebuilds of one model never run at once (an
 * advisory lock). On SQLite the caller holds the file alone (no server runs), so nothing moves meanwhile.
 */
public final class Rebuild {
  private static final Logger log = LoggerFactory.getLogger(Rebuild.class);

  /** What a rebuild reports while it runs. */
  public interface Listener {
    /** Replaying begins; {@code resumed} when an interrupted rebuild is continued. */
    void started(ReadModel model, long eventsToReplay, boolean resumed);

    /** About once a second while replaying. */
    void progress(ReadModel model, long replayed, long eventsToReplay, double eventsPerSecond);

    /** The shadow tables were swapped in. */
    void finished(Result result);
  }

  /**
   * @param replayed events replayed by this run (an interrupted earlier run's are not counted)
   * @param complete false when the run stopped early ({@code maxBatches}) and left the rebuild to be resumed
   */
  public record Result(ReadModel model, long replayed, Duration took, boolean complete) {}

  private final ActorSystem<?> system;
  private final Database database;
  private final int batchSize;
  private final Listener listener;
  private final ShadowTables shadow;
  private final JdbcReadJournal journal;

  public Rebuild(ActorSystem<?> system, Database database, int batchSize, Listener listener) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.system = system;
    this.database = database;
    this.batchSize = batchSize;
    this.listener = listener;
    this.shadow = new ShadowTables(database.dialect());
    this.journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class,
        JdbcReadJournal.Identifier());
  }

  /** Rebuilds completely; {@code restart} discards an interrupted rebuild instead of resuming it. */
  public Result run(ReadModel model, boolean restart) throws Exception {
    return run(model, restart, Long.MAX_VALUE);
  }

  /** As {@link #run(ReadModel, boolean)}, but stops (as if interrupted) after {@code maxBatches} batches. */
  public Result run(ReadModel model, boolean restart, long maxBatches) throws Exception {
    long started = System.nanoTime();
    try (Connection guard = database.connection()) {
      lockAgainstOtherRebuilds(guard, model);
      try {
        return runLocked(model, restart, maxBatches, started);
      } finally {
        unlock(guard, model);
      }
    }
  }

  private Result runLocked(ReadModel model, boolean restart, long maxBatches, long started) throws Exception {
    boolean resumed = prepare(model, restart);
    Map<String, Long> offsets = offsets(model.rebuildId());
    long total = 0;
    for (String tag : model.tags()) {
      total += eventsAfter(tag, offsets.getOrDefault(tag, 0L));
    }
    listener.started(model, total, resumed);
    Progress progress = new Progress(model, total);
    long batches = 0;
    for (String tag : model.tags()) {
      EventWriter writer = model.writer(tag, TableNames.shadow());
      long from = offsets.getOrDefault(tag, 0L);
      batches += replay(model, tag, writer, from, maxBatches - batches, progress);
      if (batches >= maxBatches) {
        Result partial = new Result(model, progress.done.get(), elapsed(started), false);
        log.info("Rebuild of {} stopped after {} batches; run it again to resume", model.id(), batches);
        return partial;
      }
    }
    swap(model);
    Result result = new Result(model, progress.done.get(), elapsed(started), true);
    listener.finished(result);
    log.info("Rebuilt read model {} from {} events in {} ms", model.id(), result.replayed(),
        result.took().toMillis());
    return result;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private void lockAgainstOtherRebuilds(Connection guard, ReadModel model) throws SQLException {
    if (database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    try (PreparedStatement ps = guard.prepareStatement(
        "SELECT pg_try_advisory_lock(hashtext(current_schema() || '/rebuild/' || ?))")) {
      ps.setString(1, model.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw StorageException.refused("another rebuild of " + model.id() + " is running on schema "
              + database.settings().schema() + "; wait for it to finish");
        }
      }
    }
  }

  /** The pool keeps the connection open, so the session-level lock is released explicitly. */
  private void unlock(Connection guard, ReadModel model) {
    if (database.dialect() != Dialect.POSTGRESQL) {
      return;
    }
    try (PreparedStatement ps = guard.prepareStatement(
        "SELECT pg_advisory_unlock(hashtext(current_schema() || '/rebuild/' || ?))")) {
      ps.setString(1, model.id());
      ps.executeQuery().close();
    } catch (SQLException e) {
      log.warn("Could not release the rebuild lock of {}: {}", model.id(), e.toString());
    }
  }

  /** Creates the shadow tables, or keeps them to resume; true when resuming. */
  private boolean prepare(ReadModel model, boolean restart) throws SQLException {
    try (Connection c = database.connection()) {
      boolean haveOffsets = !offsets(c, model.rebuildId()).isEmpty();
      boolean resume = !restart && haveOffsets && shadow.exist(c, model.tables());
      if (!resume) {
        c.setAutoCommit(false);
        try {
          deleteOffsets(c, model.rebuildId());
          shadow.drop(c, model.tables());
          shadow.create(c, model.tables());
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
      return resume;
    }
  }

  /** Replays one slice from {@code from}; returns the batches written. */
  private long replay(ReadModel model, String tag, EventWriter writer, long from, long maxBatches,
      Progress progress) throws Exception {
    if (maxBatches <= 0) {
      return 0;
    }
    AtomicLong batches = new AtomicLong();
    journal.currentEventsByTag(tag, Offset.sequence(from))
        .grouped(batchSize)
        .takeWhile(batch -> batches.get() < maxBatches)
        .runWith(Sink.foreach(batch -> {
          write(model.rebuildId(), tag, writer, batch);
          batches.incrementAndGet();
          progress.add(batch.size());
        }), system)
        .toCompletableFuture().get(7, TimeUnit.DAYS);
    return batches.get();
  }

  /** One batch and its offset, in one transaction. */
  private void write(String projection, String tag, EventWriter writer, List<EventEnvelope> batch)
      throws Exception {
    List<Object> events = new ArrayList<>(batch.size());
    for (EventEnvelope e : batch) {
      events.add(e.event());
    }
    long last = ((Sequence) batch.get(batch.size() - 1).offset()).value();
    PooledJdbcSession session = new PooledJdbcSession(database);
    try {
      session.withConnection(c -> {
        writer.write(c, events);
        saveOffset(c, projection, tag, last);
        return null;
      });
      session.commit();
    } catch (Exception e) {
      session.rollback();
      throw e;
    } finally {
      session.close();
    }
  }

  /**
   * Swaps the shadow tables in. On PostgreSQL the live tables are locked against writers first; events the live
   * projection committed beyond the rebuild are replayed into the shadow tables inside the same transaction.
   */
  private void swap(ReadModel model) throws Exception {
    for (int attempt = 1; ; attempt++) {
      PooledJdbcSession session = new PooledJdbcSession(database);
      try {
        session.withConnection(c -> {
          swapIn(c, model);
          return null;
        });
        session.commit();
        return;
      } catch (SQLException e) {
        session.rollback();
        // 40P01: deadlock with a live projection's transaction; 55P03: lock not available. Try again.
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (attempt >= 10 || !(state.equals("40P01") || state.equals("55P03") || state.equals("40001"))) {
          throw e;
        }
        log.warn("Swap of {} collided with the live projection (attempt {}), retrying", model.id(), attempt);
        Thread.sleep(100L * attempt);
      } catch (Exception e) {
        session.rollback();
        throw e;
      } finally {
        session.close();
      }
    }
  }

  private void swapIn(Connection c, ReadModel model) throws Exception {
    if (database.dialect() == Dialect.POSTGRESQL) {
      // The live projection saves its offset before its rows, so take the locks in that order: its offset rows
      // (a live batch in flight finishes first; the next one waits), then its tables against writers.
      try (PreparedStatement ps = c.prepareStatement("SELECT projection_key FROM pekko_projection_offset_store"
          + " WHERE projection_name = ? FOR UPDATE")) {
        ps.setString(1, model.id());
        ps.executeQuery().close();
      }
      try (Statement st = c.createStatement()) {
        st.execute("LOCK TABLE " + String.join(", ", model.tables()) + " IN EXCLUSIVE MODE");
      }
      catchUpWithLive(c, model);
    }
    for (String table : model.tables()) {
      shadow.copyIntoLive(c, table);
    }
    // Updated in place: a live batch waiting on these rows then updates the same rows instead of colliding.
    Map<String, Long> rebuilt = offsets(c, model.rebuildId());
    for (Map.Entry<String, Long> e : rebuilt.entrySet()) {
      saveOffset(c, model.id(), e.getKey(), e.getValue());
    }
    for (String tag : offsets(c, model.id()).keySet()) {
      if (!rebuilt.containsKey(tag)) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pekko_projection_offset_store"
            + " WHERE projection_name = ? AND projection_key = ?")) {
          ps.setString(1, model.id());
          ps.setString(2, tag);
          ps.executeUpdate();
        }
      }
    }
    deleteOffsets(c, model.rebuildId());
    shadow.drop(c, model.tables());
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO read_models (name, generation, rebuilt_at)"
        + " VALUES (?, 1, ?) ON CONFLICT (name) DO UPDATE SET generation = read_models.generation + 1,"
        + " rebuilt_at = excluded.rebuilt_at")) {
      ps.setString(1, model.id());
      ps.setLong(2, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }

  /** Replays, inside the swap transaction, what the live projection committed beyond the rebuild's offsets. */
  private void catchUpWithLive(Connection c, ReadModel model) throws Exception {
    Map<String, Long> live = offsets(c, model.id());
    Map<String, Long> rebuilt = offsets(c, model.rebuildId());
    for (String tag : model.tags()) {
      long target = live.getOrDefault(tag, 0L);
      long at = rebuilt.getOrDefault(tag, 0L);
      EventWriter writer = model.writer(tag, TableNames.shadow());
      for (int tries = 0; at < target; tries++) {
        if (tries >= 100) {
          throw new IllegalStateException("the journal did not deliver the events of " + tag + " up to " + target
              + " (reached " + at + ")");
        }
        long from = at;
        List<EventEnvelope> pending = journal.currentEventsByTag(tag, Offset.sequence(from))
            .takeWhile(e -> ((Sequence) e.offset()).value() <= target)
            .runWith(Sink.seq(), system).toCompletableFuture().get(5, TimeUnit.MINUTES);
        if (!pending.isEmpty()) {
          List<Object> events = new ArrayList<>();
          pending.forEach(e -> events.add(e.event()));
          writer.write(c, events);
          at = ((Sequence) pending.get(pending.size() - 1).offset()).value();
          saveOffset(c, model.rebuildId(), tag, at);
        } else {
          Thread.sleep(100);
        }
      }
    }
  }

  private static void saveOffset(Connection c, String projection, String tag, long offset) throws SQLException {
    long now = System.currentTimeMillis();
    try (PreparedStatement ps = c.prepareStatement("UPDATE pekko_projection_offset_store SET current_offset = ?,"
        + " manifest = 'SEQ', mergeable = FALSE, last_updated = ? WHERE projection_name = ? AND projection_key = ?")) {
      ps.setString(1, Long.toString(offset));
      ps.setLong(2, now);
      ps.setString(3, projection);
      ps.setString(4, tag);
      if (ps.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO pekko_projection_offset_store (projection_name,"
        + " projection_key, current_offset, manifest, mergeable, last_updated) VALUES (?, ?, ?, 'SEQ', FALSE, ?)")) {
      ps.setString(1, projection);
      ps.setString(2, tag);
      ps.setString(3, Long.toString(offset));
      ps.setLong(4, now);
      ps.executeUpdate();
    }
  }

  private Map<String, Long> offsets(String projection) throws SQLException {
    try (Connection c = database.connection()) {
      return offsets(c, projection);
    }
  }

  private static Map<String, Long> offsets(Connection c, String projection) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT projection_key, current_offset FROM"
        + " pekko_projection_offset_store WHERE projection_name = ?")) {
      ps.setString(1, projection);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), Long.parseLong(rs.getString(2)));
        }
      }
    }
    return out;
  }

  private static void deleteOffsets(Connection c, String projection) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM pekko_projection_offset_store WHERE projection_name = ?")) {
      ps.setString(1, projection);
      ps.executeUpdate();
    }
  }

  private long eventsAfter(String tag, long from) throws SQLException {
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM event_tag WHERE tag = ? AND event_id > ?")) {
      ps.setString(1, tag);
      ps.setLong(2, from);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Counts replayed events and tells the listener about once a second. */
  private final class Progress {
    private final ReadModel model;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastReport = System.nanoTime();

    Progress(ReadModel model, long total) {
      this.model = model;
      this.total = total;
    }

    void add(int n) {
      long now = System.nanoTime();
      long d = done.addAndGet(n);
      if (now - lastReport >= 1_000_000_000L || d == total) {
        lastReport = now;
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        listener.progress(model, d, total, d / seconds);
      }
    }
  }
}
