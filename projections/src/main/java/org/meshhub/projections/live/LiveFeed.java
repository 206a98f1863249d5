package org.meshhub.projections.live;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed as streams for clients of one node. One thread polls {@code live_events} for every client of the
 * node at once (one query per poll, however many clients), keeps the latest events in memory for clients that
 * reconnect, and hands each event to every client's bounded queue. A client that does not keep up has its stream
 * ended instead of growing memory; it reconnects with its {@code Last-Event-ID} and resumes from memory or, when it
 * was away longer, from the table, page by page.
 *
 * <p>Resuming never skips: every position is a {@link LiveCursor}, one journal ordering per slice, and a slice's
 * rows are committed in ordering order by its one projection instance, so "after this ordering in this slice" is
 * exact even when rows of different slices become visible out of order (PostgreSQL sequences). A client that asks
 * for rows already pruned, or from before a rebuild swapped the read models, is sent {@code reset}: it reloads.
 *
 * <p>Polling stops while the node has no clients, and starts again from the feed's end with the next one.
 */
public final class LiveFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

  /** First event of a new stream: where it starts. */
  public static final String READY = "ready";
  /** The client must reload what it shows: it missed events (away too long, or the read models were rebuilt). */
  public static final String RESET = "reset";

  /** One event for a stream client: the SSE {@code event}, {@code id} and {@code data}. */
  public record Emitted(String type, String id, String data) {}

  /** Refused: too many clients on this node. */
  public static final class FullException extends RuntimeException {
    FullException(String message) {
      super(message);
    }
  }

  private sealed interface Item permits Row, Control {}

  private record Row(LiveEvent event) implements Item {}

  private record Control(String type, LiveCursor cursor) implements Item {}

  /** What was read besides rows: the read models' generation and the prune horizon per slice. */
  private record Horizon(String generation, Map<String, Long> pruned) {}

  private final Database database;
  private final LiveSettings settings;
  private final Materializer materializer;
  private final Executor blocking;
  private final ScheduledExecutorService thread;
  private final RateLimitedLog failures = new RateLimitedLog(java.time.Duration.ofSeconds(10));
  private final Set<BoundedSourceQueue<Item>> clients = ConcurrentHashMap.newKeySet();

  // Touched only on the feed's thread.
  private boolean started;
  private LiveCursor current;
  private Map<String, Long> pruned = Map.of();
  private final ArrayDeque<LiveEvent> memory = new ArrayDeque<>();
  /** Per slice: every event of the slice after this ordering (up to {@link #current}) is in memory. */
  private Map<String, Long> floor = Map.of();

  public LiveFeed(Database database, LiveSettings settings, Materializer materializer, Executor blocking) {
    this.database = database;
    this.settings = settings;
    this.materializer = materializer;
    this.blocking = blocking;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshhub-live-feed");
      t.setDaemon(true);
      return t;
    });
    long interval = settings.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** Clients streaming from this node now. */
  public int clients() {
    return clients.size();
  }

  /**
   * A new client's stream. Without {@code lastEventId} it starts at the feed's end with a {@value #READY} event;
   * with one it resumes right after it, or starts with {@value #RESET} when that position cannot be resumed.
   * Fails with {@link FullException} when the node has its maximum of clients.
   */
  public CompletionStage<Source<Emitted, NotUsed>> subscribe(Optional<String> lastEventId) {
    return CompletableFuture.supplyAsync(() -> {
      if (clients.size() >= settings.maxClients()) {
        throw new FullException("this node already streams to " + settings.maxClients() + " clients");
      }
      try {
        start();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
      Source<Item, NotUsed> head;
      LiveCursor from;
      Optional<LiveCursor> asked = lastEventId.flatMap(LiveCursor::parse);
      if (lastEventId.isEmpty()) {
        from = current;
        head = Source.single(new Control(READY, current));
      } else if (asked.isEmpty() || !asked.get().generation().equals(current.generation())
          || below(asked.get(), pruned)) {
        from = current;
        head = Source.single(new Control(RESET, current));
      } else if (!below(asked.get(), floor)) {
        from = asked.get();
        List<Item> kept = new ArrayList<>();
        for (LiveEvent e : memory) {
          if (from.isBefore(e.slice(), e.ordering())) {
            kept.add(new Row(e));
          }
        }
        head = Source.from(kept);
      } else {
        from = asked.get();
        head = replay(from, current);
      }
      Pair<BoundedSourceQueue<Item>, Source<Item, NotUsed>> queue =
          Source.<Item>queue(settings.clientBuffer()).preMaterialize(materializer);
      clients.add(queue.first());
      LiveCursor start = from;
      return head.concat(queue.second())
          .statefulMap(() -> start, LiveFeed::emit, cursor -> Optional.empty())
          .filter(Optional::isPresent)
          .map(Optional::get)
          .watchTermination((mat, done) -> {
            done.whenComplete((d, failure) -> {
              clients.remove(queue.first());
              end(queue.first());
            });
            return mat;
          });
    }, thread);
  }

  /** Moves the client's cursor; drops what it has already seen. */
  private static Pair<LiveCursor, Optional<Emitted>> emit(LiveCursor cursor, Item item) {
    if (item instanceof Control control) {
      return Pair.create(control.cursor(), Optional.of(new Emitted(control.type(), control.cursor().text(), "{}")));
    }
    LiveEvent e = ((Row) item).event();
    if (!cursor.isBefore(e.slice(), e.ordering())) {
      return Pair.create(cursor, Optional.empty());
    }
    LiveCursor next = cursor.with(e.slice(), e.ordering());
    return Pair.create(next, Optional.of(new Emitted(e.kind(), next.text(), e.body())));
  }

  private static boolean below(LiveCursor cursor, Map<String, Long> bounds) {
    for (String slice : LiveCursor.SLICES) {
      if (cursor.ordering(slice) < bounds.getOrDefault(slice, 0L)) {
        return true;
      }
    }
    return false;
  }

  /** The rows between {@code from} and {@code to}, read page by page as the client takes them. */
  private Source<Item, NotUsed> replay(LiveCursor from, LiveCursor to) {
    return Source.unfoldAsync(from, after -> CompletableFuture.supplyAsync(() -> {
      try (Connection c = database.connection()) {
        List<LiveEvent> rows = read(c, after, to, settings.pageSize());
        if (rows.isEmpty()) {
          return Optional.<Pair<LiveCursor, List<Item>>>empty();
        }
        // Read after the rows: had a prune deleted rows this page should have held, its horizon shows it now.
        Horizon horizon = horizon(c);
        if (below(after, horizon.pruned())) {
          return Optional.of(Pair.create(to, List.<Item>of(new Control(RESET, to))));
        }
        LiveCursor next = after;
        List<Item> items = new ArrayList<>();
        for (LiveEvent e : rows) {
          next = next.with(e.slice(), e.ordering());
          items.add(new Row(e));
        }
        return Optional.of(Pair.create(next, items));
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking)).mapConcat(items -> items);
  }

  /** On the feed's thread: reads where the feed ends, once per run of clients. */
  private void start() throws SQLException {
    if (started) {
      return;
    }
    try (Connection c = database.connection()) {
      Horizon horizon = horizon(c);
      Map<String, Long> ends = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(ordering) FROM live_events WHERE slice = ?")) {
        for (String slice : LiveCursor.SLICES) {
          ps.setString(1, slice);
          try (ResultSet rs = ps.executeQuery()) {
            long end = rs.next() ? rs.getLong(1) : 0;
            ends.put(slice, Math.max(end, horizon.pruned().getOrDefault(slice, 0L)));
          }
        }
      }
      current = new LiveCursor(horizon.generation(), ends);
      pruned = horizon.pruned();
      floor = current.orderings();
      memory.clear();
      started = true;
    }
  }

  /** On the feed's thread: one poll for every client of the node. */
  private void poll() {
    try {
      if (clients.isEmpty()) {
        if (started) {
          started = false;
          memory.clear();
        }
        return;
      }
      start();
      try (Connection c = database.connection()) {
        Horizon horizon = horizon(c);
        if (!horizon.generation().equals(current.generation()) || below(current, horizon.pruned())) {
          // A rebuild swapped the read models in (its offsets may skip what this feed announced), or this node
          // fell behind the retention: every client reloads.
          LiveCursor restart = new LiveCursor(horizon.generation(), current.orderings());
          for (String slice : LiveCursor.SLICES) {
            restart = restart.with(slice, horizon.pruned().getOrDefault(slice, 0L));
          }
          current = restart;
          memory.clear();
          floor = current.orderings();
          broadcast(new Control(RESET, current));
        }
        pruned = horizon.pruned();
        List<LiveEvent> rows;
        do {
          rows = read(c, current, null, settings.pageSize());
          for (LiveEvent e : rows) {
            remember(e);
            current = current.with(e.slice(), e.ordering());
            broadcast(new Row(e));
          }
        } while (rows.size() == settings.pageSize());
      }
    } catch (Exception e) {
      long held = failures.permit("poll");
      if (held != RateLimitedLog.SUPPRESS) {
        log.warn("The live feed could not read new events: {}{}", e.toString(), failures.suffix(held));
      }
    }
  }

  private void remember(LiveEvent e) {
    memory.addLast(e);
    while (memory.size() > settings.memory()) {
      LiveEvent evicted = memory.removeFirst();
      Map<String, Long> next = new HashMap<>(floor);
      next.merge(evicted.slice(), evicted.ordering(), Math::max);
      floor = next;
    }
  }

  private void broadcast(Item item) {
    for (BoundedSourceQueue<Item> queue : clients) {
      QueueOfferResult result = queue.offer(item);
      if (result != QueueOfferResult.enqueued()) {
        // Full (a slow client) or gone: end the stream; the client resumes from its Last-Event-ID.
        clients.remove(queue);
        end(queue);
        if (result == QueueOfferResult.dropped()) {
          log.debug("A live stream client fell {} events behind; its stream was ended", settings.clientBuffer());
        }
      }
    }
  }

  /** Rows after {@code after}, up to {@code upTo} when given, oldest first. */
  static List<LiveEvent> read(Connection c, LiveCursor after, LiveCursor upTo, int limit) throws SQLException {
    StringBuilder where = new StringBuilder();
    List<Object[]> bounds = new ArrayList<>();
    for (String slice : LiveCursor.SLICES) {
      long low = after.ordering(slice);
      if (upTo != null && upTo.ordering(slice) <= low) {
        continue;
      }
      where.append(where.length() == 0 ? "" : " OR ")
          .append(upTo == null ? "(slice = ? AND ordering > ?)" : "(slice = ? AND ordering > ? AND ordering <= ?)");
      bounds.add(new Object[] {slice, low, upTo == null ? null : upTo.ordering(slice)});
    }
    List<LiveEvent> out = new ArrayList<>();
    if (bounds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT slice, ordering, kind, body FROM live_events WHERE "
        + where + " ORDER BY ordering LIMIT ?")) {
      int i = 1;
      for (Object[] b : bounds) {
        ps.setString(i++, (String) b[0]);
        ps.setLong(i++, (Long) b[1]);
        if (b[2] != null) {
          ps.setLong(i++, (Long) b[2]);
        }
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LiveEvent(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  private static Horizon horizon(Connection c) throws SQLException {
    long nodes = 0;
    long messages = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT name, generation FROM read_models");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if ("nodes".equals(rs.getString(1))) {
          nodes = rs.getLong(2);
        } else if ("messages".equals(rs.getString(1))) {
          messages = rs.getLong(2);
        }
      }
    }
    Map<String, Long> pruned = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT slice, pruned_through FROM live_event_slices");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        pruned.put(rs.getString(1), rs.getLong(2));
      }
    }
    return new Horizon(LiveCursor.generation(nodes, messages), Map.copyOf(pruned));
  }

  /** Ends every client's stream and stops polling. */
  @Override
  public void close() {
    thread.shutdownNow();
    for (BoundedSourceQueue<Item> queue : clients) {
      end(queue);
    }
    clients.clear();
  }

  /** Completes a client's queue (its stream ends once the client has read what it holds), unless it already is. */
  private static void end(BoundedSourceQueue<Item> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyCompleted) {
      // the client's stream ended first
    }
  }
}
