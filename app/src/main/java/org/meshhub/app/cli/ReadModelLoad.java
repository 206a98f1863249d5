package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.meshhub.core.Reception;
import org.meshhub.core.Slices;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.EventWriter;
import org.meshhub.projections.ReadModel;
import org.meshhub.projections.TableNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshhub benchmark read-model}: fills the read tables of a scratch database with a large synthetic mesh,
 * through the projections' own writers (the code the live projections run), without the journal: the quickest way
 * to a read model of millions of rows for measuring the read API. The rows are not in the journal, so a rebuild
 * would drop them: use a scratch {@code DATA_HOME} or {@code DATABASE_SCHEMA}.
 */
@Command(name = "read-model", mixinStandardHelpOptions = true,
    description = "Fill the read tables of a scratch database with a synthetic mesh, through the projections'"
        + " writers (not the journal), for read API benchmarks.")
public final class ReadModelLoad implements Callable<Integer> {
  private static final String[] WORDS = {"hello", "mesh", "repeater", "down", "hill", "weather", "fine", "good",
      "morning", "evening", "anyone", "copy", "test", "signal", "strong", "weak", "battery", "solar", "node", "path",
      "route", "relay", "city", "park", "north", "south", "east", "west", "river", "bridge", "tower", "roof"};
  private static final int CHANNELS = 8;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "10000", description = "Nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--adverts", defaultValue = "1000000", description = "Adverts (default ${DEFAULT-VALUE}).")
  int adverts;

  @Option(names = "--messages", defaultValue = "1000000", description = "Messages (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--observers", defaultValue = "20", description = "Observers (default ${DEFAULT-VALUE}).")
  int observers;

  @Option(names = "--days", defaultValue = "30", description = "Days the traffic spreads over, up to now"
      + " (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--batch-size", defaultValue = "2000", description = "Events per transaction"
      + " (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  /**
   * The synthetic mesh to write: {@code nodes} nodes sharing {@code adverts} adverts in turn (so {@code adverts =
   * nodes} gives each node one), {@code messages} messages (85% on 8 channels, the rest contact messages),
   * {@code observers} observers with a status report each hearing 1 to 3 of every advert and message, spread over
   * the last {@code days} days; written {@code batchSize} events per transaction, from {@code seed}.
   */
  public record Shape(int nodes, int adverts, int messages, int observers, int days, int batchSize, long seed) {
    public Shape {
      if (nodes < 1 || adverts < 0 || messages < 0 || observers < 1 || days < 1 || batchSize < 1) {
        throw new IllegalArgumentException("counts must be positive");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    Shape shape;
    try {
      shape = new Shape(nodes, adverts, messages, observers, days, batchSize, seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
    long started = System.nanoTime();
    long written = fill(settings, shape, out);
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("Loaded %,d events (%d nodes, %d observers, %,d adverts, %,d messages) in %.0f s%n", written, nodes,
        observers, adverts, messages, seconds);
    out.printf("RESULT read-model backend=%s nodes=%d adverts=%d messages=%d events=%d seconds=%.0f%n",
        settings.dialect().id(), nodes, adverts, messages, written, seconds);
    return 0;
  }

  /**
   * Writes the synthetic mesh into the read tables of the database the settings name (its schema created or
   * upgraded first), through the projections' writers: one slice per thread on PostgreSQL, one thread on SQLite.
   * Progress goes to {@code out} every 100,000 events. Returns the number of events written.
   */
  public static long fill(DatabaseSettings settings, Shape shape, PrintWriter out) throws Exception {
    boolean parallel = settings.dialect() == Dialect.POSTGRESQL;
    try (Database db = Storage.prepare(settings, parallel ? Slices.COUNT + 1 : 2)) {
      return new Loader(shape).run(db, parallel ? Slices.COUNT : 1, out);
    }
  }

  /** One fill: the mesh's keys and the time it ends at. */
  private static final class Loader {
    private final Shape shape;
    private final String[] nodeKeys;
    private final String[] observerKeys;
    private final long now = Instant.now().toEpochMilli();

    Loader(Shape shape) throws Exception {
      this.shape = shape;
      this.nodeKeys = keys("node", shape.nodes());
      this.observerKeys = keys("observer", shape.observers());
    }

    long run(Database db, int threads, PrintWriter out) throws Exception {
      long started = System.nanoTime();
      AtomicLong written = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int slice = 0; slice < Slices.COUNT; slice++) {
          int s = slice;
          work.add(pool.submit(() -> {
            load(db, s, written, out, started);
            return null;
          }));
        }
        for (Future<?> f : work) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      return written.get();
    }

    /** Every event of one slice of each read model, in batches. */
    private void load(Database db, int slice, AtomicLong written, PrintWriter out, long started) throws Exception {
      String nodeTag = NodeEntity.TAG_PREFIX + "-" + slice;
      String messageTag = MessageEntity.TAG_PREFIX + "-" + slice;
      Batch nodeBatch = new Batch(db, ReadModel.NODES.writer(nodeTag, TableNames.live()), written, out, started);
      for (int i = 0; i < shape.observers(); i++) {
        if (Slices.tagFor(NodeEntity.TAG_PREFIX, observerKeys[i]).equals(nodeTag)) {
          nodeBatch.add(new NodeEntity.ObserverStatusReported(observerKeys[i], new NodeEntity.ObserverStatus(
              "Observer " + i, "online", "Heltec V3", "1.8.2", "869.525,250,11,5", "meshhub-load/1.0",
              "{\"uptime\":" + i + "}", Instant.ofEpochMilli(now - 60_000))));
        }
      }
      for (int i = 0; i < shape.adverts(); i++) {
        String key = nodeKeys[i % shape.nodes()];
        if (!Slices.tagFor(NodeEntity.TAG_PREFIX, key).equals(nodeTag)) {
          continue;
        }
        SplittableRandom r = new SplittableRandom(shape.seed() * 1_000_003L + i);
        long at = now - r.nextLong(shape.days() * 86_400_000L);
        long advertTimestamp = at / 1000 - r.nextInt(30);
        int node = i % shape.nodes();
        int type = 1 + node % 4;
        NodeEntity.Advert advert = new NodeEntity.Advert(advertTimestamp, "Node " + node,
            org.meshhub.core.decoder.Advert.advTypeName(type), 0x80 | type, 40 + (node % 1000) / 100.0,
            -120 + (node % 700) / 100.0, true, hash(1, i), null);
        int heard = 1 + r.nextInt(3);
        int first = r.nextInt(shape.observers());
        nodeBatch.add(new NodeEntity.AdvertRecorded(key, advert, reception(r, first, at)));
        for (int h = 1; h < heard; h++) {
          nodeBatch.add(new NodeEntity.AdvertHeard(key, advertTimestamp,
              reception(r, (first + h) % shape.observers(), at + 50L * h)));
        }
      }
      nodeBatch.flush();
      Batch messageBatch = new Batch(db, ReadModel.MESSAGES.writer(messageTag, TableNames.live()), written, out,
          started);
      for (int i = 0; i < shape.messages(); i++) {
        String hash = hash(2, i);
        if (!Slices.tagFor(MessageEntity.TAG_PREFIX, hash).equals(messageTag)) {
          continue;
        }
        SplittableRandom r = new SplittableRandom(shape.seed() * 2_000_003L + i);
        long at = now - r.nextLong(shape.days() * 86_400_000L);
        StringBuilder text = new StringBuilder();
        int words = 3 + r.nextInt(8);
        for (int w = 0; w < words; w++) {
          text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        MessageEntity.MessageContent content;
        if (r.nextInt(100) < 85) {
          int channel = r.nextInt(CHANNELS);
          content = new MessageEntity.MessageContent("channel", 5, 0x10 + channel, channel == 0 ? "Public"
              : "#channel" + channel, true, "Node " + r.nextInt(shape.nodes()), text.toString(), at / 1000 - 2, 0, null,
              null);
        } else {
          String src = nodeKeys[r.nextInt(shape.nodes())].substring(0, 2);
          String dest = nodeKeys[r.nextInt(shape.nodes())].substring(0, 2);
          content = new MessageEntity.MessageContent("contact", 2, null, null, true, null, text.toString(),
              at / 1000 - 2, 0, src, dest);
        }
        int heard = 1 + r.nextInt(3);
        int first = r.nextInt(shape.observers());
        messageBatch.add(new MessageEntity.MessageRecorded(hash, content, null, reception(r, first, at)));
        for (int h = 1; h < heard; h++) {
          messageBatch.add(new MessageEntity.ReceptionAdded(hash, MessageEntity.KIND_MESSAGE,
              reception(r, (first + h) % shape.observers(), at + 40L * h)));
        }
      }
      messageBatch.flush();
    }

    private Reception reception(SplittableRandom r, int observer, long at) {
      return new Reception(observerKeys[observer], Instant.ofEpochMilli(at), -5 + r.nextInt(200) / 10.0,
          -120 + r.nextInt(60), r.nextInt(6), null);
    }

    /** A packet hash: 16 upper-case hex, distinct per kind and index. */
    private String hash(int kind, int i) {
      long mixed = (shape.seed() * 0x9E3779B97F4A7C15L) ^ ((long) kind << 56) ^ (i * 0xBF58476D1CE4E5B9L);
      return String.format("%016X", mixed);
    }

    private String[] keys(String kind, int n) throws Exception {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        out[i] = HexFormat.of().formatHex(sha.digest((kind + "/" + shape.seed() + "/" + i)
            .getBytes(StandardCharsets.UTF_8)));
      }
      return out;
    }

    /** Events gathered and written through a writer in one transaction per batch. */
    private final class Batch {
      private final Database db;
      private final EventWriter writer;
      private final AtomicLong written;
      private final PrintWriter out;
      private final long started;
      private final List<Object> events = new ArrayList<>();

      Batch(Database db, EventWriter writer, AtomicLong written, PrintWriter out, long started) {
        this.db = db;
        this.writer = writer;
        this.written = written;
        this.out = out;
        this.started = started;
      }

      void add(Object event) throws Exception {
        events.add(event);
        if (events.size() >= shape.batchSize()) {
          flush();
        }
      }

      void flush() throws Exception {
        if (events.isEmpty()) {
          return;
        }
        try (Connection c = db.connection()) {
          c.setAutoCommit(false);
          try {
            writer.write(c, events);
            c.commit();
          } catch (Exception e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
        long before = written.getAndAdd(events.size());
        long after = before + events.size();
        if (before / 100_000 != after / 100_000) {
          synchronized (out) {
            out.printf("  %,d events written, %.0f/s%n", after,
                after / Math.max(1e-3, (System.nanoTime() - started) / 1e9));
            out.flush();
          }
        }
        events.clear();
      }
    }
  }
}
