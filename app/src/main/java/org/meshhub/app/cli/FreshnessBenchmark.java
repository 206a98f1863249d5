package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.ReadSideSettings;
import org.meshhub.projections.status.ProjectionStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshhub benchmark freshness}: how long after an entity's persist reply a reception is visible in the read
 * tables, under a steady load. Packets are sent at a fixed rate, each heard by several observers (the first
 * reception records the packet, the others add receptions): channel messages to the message entities and, for a
 * share of the packets, adverts of a fixed set of nodes to the node entities, so both read models are under load.
 * A poller looks the pending receptions up in {@code receptions} and {@code advert_receptions} every few
 * milliseconds. Two figures: from the persist reply to the reception's row (per read model and overall), and, for
 * messages, from the journal's write of a packet's last event ({@code write_timestamp}) to the packet's last
 * reception row, which leaves out any queueing of the replies.
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
    description = "Projection lag (persist reply to row visible in the read table) under a steady reception rate.")
public final class FreshnessBenchmark implements Callable<Integer> {
  private static final long POLL_MILLIS = 10;
  private static final String MESSAGE = "M";
  private static final String ADVERT = "A";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--rate", defaultValue = "500", description = "Receptions per second (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--duration", defaultValue = "30s",
      description = "How long to send, e.g. 30s or 2m (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--warmup", defaultValue = "30s",
      description = "Sent first and not measured (default ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--observers", defaultValue = "3",
      description = "Observers hearing each packet (default ${DEFAULT-VALUE}).")
  int observers;

  @Option(names = "--advert-share", defaultValue = "30",
      description = "Percentage of packets that are adverts, the rest channel messages (default ${DEFAULT-VALUE}).")
  int advertShare;

  /** Nodes whose adverts are sent, in turn. */
  private static final int NODES = 200;

  @Override
  public Integer call() throws Exception {
    Duration measured = parseDuration("--duration", duration);
    Duration warm = parseDuration("--warmup", warmup);
    if (rate < 1 || rate > 100_000 || observers < 1 || observers > 64 || advertShare < 0 || advertShare > 100) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--rate must be 1-100000, --observers 1-64 and --advert-share 0-100");
    }
    PrintWriter out = spec.commandLine().getOut();
    DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
    int pool = ReadSide.poolSize(settings.dialect());
    try (Database db = Storage.prepare(settings, pool)) {
      ActorSystem<Void> system = MeshHubNode.start(settings, ClusterSettings.local(), ReadSide.config(pool));
      try {
        ReadSide.start(system, db, ReadSideSettings.fromConfig(system.settings().config()));
        awaitCaughtUp(db);
        var journal = system.settings().config().getConfig("jdbc-read-journal");
        out.printf(Locale.ROOT, "Freshness on %s %s: %d receptions/s for %d s (+%d s warm-up), %d observers per"
            + " packet, %d%% of packets adverts; read journal refresh-interval %s, query-delay %s%n",
            settings.dialect().id(), settings.displayLocation(), rate, measured.toSeconds(), warm.toSeconds(),
            observers, advertShare,
            journal.getString("refresh-interval"), journal.getString("journal-sequence-retrieval.query-delay"));
        out.flush();
        Run run = new Run(system, db, (int) (rate * warm.toMillis() / 1000));
        run.drive((int) (rate * (warm.toMillis() + measured.toMillis()) / 1000));
        run.report(out, measured);
        if (!run.clean()) {
          return 1;
        }
      } finally {
        MeshHubNode.stop(system);
      }
    }
    return 0;
  }

  private static void awaitCaughtUp(Database db) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      ProjectionStatus.Report r = ProjectionStatus.read(db, Instant.now());
      if (r.slices().stream().allMatch(s -> s.lagEvents() == 0)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the projections did not catch up with the existing journal within 10 minutes");
  }

  private Duration parseDuration(String option, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must look like 30s, 2m or 500ms");
    }
  }

  /** One benchmark run: the sender, the poller and the figures. */
  private final class Run {
    private final ActorSystem<Void> system;
    private final Database db;
    private final int warmupCount;
    private final String[] observerKeys = new String[observers];
    private final String[] nodeKeys = new String[NODES];
    private final long advertBase = Instant.now().getEpochSecond();
    private final long base = new Random().nextLong() & 0x0FFF_FFFF_FFFF_FFFFL;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Throwable> firstTimeout = new AtomicReference<>();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private long[] persistNanos;
    private long[] replyAt;
    private long[] lagNanos;
    private final List<Long> journalLagMillis = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> completed = new java.util.HashSet<>();
    private volatile int sentTotal;
    private volatile boolean stop;
    private double sendSeconds;

    Run(ActorSystem<Void> system, Database db, int warmupCount) {
      this.system = system;
      this.db = db;
      this.warmupCount = warmupCount;
      Random random = new Random(7);
      for (int i = 0; i < observers; i++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        observerKeys[i] = HexFormat.of().formatHex(b);
      }
      for (int i = 0; i < NODES; i++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        nodeKeys[i] = HexFormat.of().formatHex(b);
      }
    }

    void drive(int total) throws Exception {
      persistNanos = new long[total];
      replyAt = new long[total];
      lagNanos = new long[total];
      Arrays.fill(lagNanos, -1);
      Thread poller = new Thread(this::poll, "freshness-poller");
      poller.setDaemon(true);
      poller.start();
      ClusterSharding sharding = ClusterSharding.get(system);
      long start = System.nanoTime();
      for (int i = 0; i < total && failure.get() == null; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int packet = i / observers;
        String observer = observerKeys[i % observers];
        Reception reception = new Reception(observer, Instant.now(), 6.5, -97, 1, null);
        long t0 = System.nanoTime();
        int index = i;
        sentTotal = i + 1;
        String key;
        java.util.concurrent.CompletionStage<Outcome> reply;
        if (isAdvert(packet)) {
          String node = nodeKeys[packet % NODES];
          long timestamp = advertBase + packet;
          NodeEntity.Advert advert = new NodeEntity.Advert(timestamp, "Bench " + packet % NODES, "repeater", 0x92,
              47.5, -122.1, true, null, null);
          key = ADVERT + node + "/" + timestamp + "/" + observer;
          reply = sharding.entityRefFor(NodeEntity.ENTITY_KEY, node)
              .askWithStatus(r -> new NodeEntity.RecordAdvert(advert, reception, r), Duration.ofSeconds(60));
        } else {
          String hash = HexFormat.of().withUpperCase().formatHex(longBytes(base + packet));
          MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", 5, 0x11, "Public",
              true, "Bench", "benchmark message " + packet, Instant.now().getEpochSecond(), 0, null, null);
          key = MESSAGE + hash + "/" + observer;
          reply = sharding.entityRefFor(MessageEntity.ENTITY_KEY, hash)
              .askWithStatus(r -> new MessageEntity.RecordMessage(content, null, reception, r),
                  Duration.ofSeconds(60));
        }
        reply.whenComplete((outcome, error) -> {
              if (error != null) {
                // An overloaded write path: counted and reported, the run goes on.
                firstTimeout.compareAndSet(null, error);
                timeouts.incrementAndGet();
                replies.incrementAndGet();
                return;
              }
              long now = System.nanoTime();
              persistNanos[index] = now - t0;
              replyAt[index] = now;
              pending.put(key, (long) index);
              replies.incrementAndGet();
            });
      }
      sendSeconds = (System.nanoTime() - start) / 1e9;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((replies.get() < sentTotal || !pending.isEmpty()) && System.nanoTime() < deadline
          && failure.get() == null) {
        Thread.sleep(20);
      }
      stop = true;
      poller.join(5_000);
      if (failure.get() != null) {
        throw new IllegalStateException("a persist failed: " + failure.get().getMessage(), failure.get());
      }
    }

    private void poll() {
      while (!stop) {
        try {
          List<String> messages = new ArrayList<>();
          List<String> adverts = new ArrayList<>();
          for (String key : pending.keySet()) {
            (key.startsWith(ADVERT) ? adverts : messages).add(key.substring(1));
          }
          for (int from = 0; from < messages.size(); from += 500) {
            lookUp(messages.subList(from, Math.min(messages.size(), from + 500)));
          }
          for (int from = 0; from < adverts.size(); from += 250) {
            lookUpAdverts(adverts.subList(from, Math.min(adverts.size(), from + 250)));
          }
          Thread.sleep(POLL_MILLIS);
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          return;
        }
      }
    }

    private void lookUp(List<String> keys) throws Exception {
      List<String> hashes = keys.stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().toList();
      String sql = "SELECT packet_hash, observer FROM receptions WHERE packet_hash IN ("
          + String.join(", ", java.util.Collections.nCopies(hashes.size(), "?")) + ")";
      Map<String, Integer> rowsPerHash = new java.util.HashMap<>();
      java.util.Set<String> measuredNow = new java.util.HashSet<>();
      long wallNow;
      try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < hashes.size(); i++) {
          ps.setString(i + 1, hashes.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          long now = System.nanoTime();
          wallNow = System.currentTimeMillis();
          while (rs.next()) {
            String hash = rs.getString(1);
            rowsPerHash.merge(hash, 1, Integer::sum);
            Long index = pending.remove(MESSAGE + hash + "/" + rs.getString(2));
            if (index != null) {
              lagNanos[index.intValue()] = Math.max(0, now - replyAt[index.intValue()]);
              if (index >= warmupCount) {
                measuredNow.add(hash);
              }
            }
          }
        }
        List<String> complete = measuredNow.stream()
            .filter(h -> rowsPerHash.get(h) == observers && completed.add(h)).toList();
        if (!complete.isEmpty()) {
          journalLag(c, complete, wallNow);
        }
      }
    }

    /** Pending advert receptions ({@code node/timestamp/observer}) looked up in {@code advert_receptions}. */
    private void lookUpAdverts(List<String> keys) throws Exception {
      List<String> nodes = keys.stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().toList();
      List<Long> timestamps = keys.stream()
          .map(k -> Long.parseLong(k.substring(k.indexOf('/') + 1, k.lastIndexOf('/')))).distinct().toList();
      String sql = "SELECT public_key, advert_timestamp, observer FROM advert_receptions WHERE public_key IN ("
          + String.join(", ", java.util.Collections.nCopies(nodes.size(), "?")) + ") AND advert_timestamp IN ("
          + String.join(", ", java.util.Collections.nCopies(timestamps.size(), "?")) + ")";
      try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
        int p = 1;
        for (String node : nodes) {
          ps.setString(p++, node);
        }
        for (long timestamp : timestamps) {
          ps.setLong(p++, timestamp);
        }
        try (ResultSet rs = ps.executeQuery()) {
          long now = System.nanoTime();
          while (rs.next()) {
            Long index = pending.remove(ADVERT + rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getString(3));
            if (index != null) {
              lagNanos[index.intValue()] = Math.max(0, now - replyAt[index.intValue()]);
            }
          }
        }
      }
    }

    /** For packets whose last reception just became visible: now minus the journal's write of their last event. */
    private void journalLag(Connection c, List<String> hashes, long wallNow) throws Exception {
      String sql = "SELECT MAX(write_timestamp) FROM event_journal WHERE persistence_id IN ("
          + String.join(", ", java.util.Collections.nCopies(hashes.size(), "?")) + ") GROUP BY persistence_id";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < hashes.size(); i++) {
          ps.setString(i + 1, "Message|" + hashes.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            journalLagMillis.add(Math.max(0, wallNow - rs.getLong(1)));
          }
        }
      }
    }

    void report(PrintWriter out, Duration measured) {
      int total = sentTotal;
      long[] lags = Arrays.stream(lagNanos, warmupCount, total).filter(v -> v >= 0).sorted().toArray();
      long[] messageLags = java.util.stream.IntStream.range(warmupCount, total)
          .filter(i -> !isAdvert(i / observers) && lagNanos[i] >= 0).mapToLong(i -> lagNanos[i]).sorted().toArray();
      long[] advertLags = java.util.stream.IntStream.range(warmupCount, total)
          .filter(i -> isAdvert(i / observers) && lagNanos[i] >= 0).mapToLong(i -> lagNanos[i]).sorted().toArray();
      long[] persists = Arrays.stream(persistNanos, warmupCount, total).sorted().toArray();
      long missing = Arrays.stream(lagNanos, warmupCount, total).filter(v -> v < 0).count();
      out.printf(Locale.ROOT, "sent %d receptions in %.1f s: %.0f receptions/s (%d measured after warm-up)%n",
          total, sendSeconds, total / sendSeconds, total - warmupCount);
      int slow = 0;
      int lastSlow = -1;
      for (int i = 0; i < total; i++) {
        if (persistNanos[i] > 1_000_000_000L) {
          slow++;
          lastSlow = i;
        }
      }
      out.printf(Locale.ROOT, "persist reply: p50 %.1f ms, p99 %.1f ms%n", pct(persists, 0.50), pct(persists, 0.99));
      if (slow > 0) {
        out.printf(Locale.ROOT, "  %d persist replies took over 1 s (warm-up included), the last one sent %.1f s into"
            + " the run%n", slow, lastSlow / (double) rate);
      }
      out.printf(Locale.ROOT, "visible in read table after reply: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
          + " (poll every %d ms)%n", pct(lags, 0.50), pct(lags, 0.90), pct(lags, 0.99), pct(lags, 1.0),
          POLL_MILLIS);
      out.printf(Locale.ROOT, "  messages (%d receptions): p50 %.0f ms, p99 %.0f ms;"
          + " adverts (%d receptions): p50 %.0f ms, p99 %.0f ms%n", messageLags.length, pct(messageLags, 0.50),
          pct(messageLags, 0.99), advertLags.length, pct(advertLags, 0.50), pct(advertLags, 0.99));
      long[] journal;
      synchronized (journalLagMillis) {
        journal = journalLagMillis.stream().mapToLong(v -> v * 1_000_000).sorted().toArray();
      }
      out.printf(Locale.ROOT, "message visible in read table after journal write: p50 %.0f ms, p90 %.0f ms,"
          + " p99 %.0f ms, max %.0f ms (%d packets)%n", pct(journal, 0.50), pct(journal, 0.90), pct(journal, 0.99),
          pct(journal, 1.0), journal.length);
      if (timeouts.get() > 0) {
        out.printf("%d persists failed or timed out (the write path did not keep up), first: %s%n", timeouts.get(),
            firstTimeout.get().getMessage());
      }
      if (missing > timeouts.get()) {
        out.printf("%d receptions were not visible within 60 s after the run%n", missing - timeouts.get());
      }
      out.flush();
    }

    boolean clean() {
      return timeouts.get() == 0;
    }

    private boolean isAdvert(int packet) {
      return (long) (packet + 1) * advertShare / 100 > (long) packet * advertShare / 100;
    }

    private double pct(long[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
      return sorted[Math.max(0, i)] / 1e6;
    }

    private byte[] longBytes(long v) {
      byte[] b = new byte[8];
      for (int i = 7; i >= 0; i--) {
        b[i] = (byte) v;
        v >>>= 8;
      }
      return b;
    }
  }
}
