package org.meshhub.app.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
import org.meshhub.core.node.NodeEntity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshhub benchmark ...}: measurements of MeshHub's own paths on the configured backend. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Measure MeshHub on the configured backend (use a scratch DATA_HOME or DATABASE_SCHEMA).",
    subcommands = {BenchmarkCommand.Write.class, FreshnessBenchmark.class, ReadModelLoad.class,
        CommandLine.HelpCommand.class})
public final class BenchmarkCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The write path: advert receptions sent to sharded node entities and persisted to the journal. Every reception
   * produces one event (the first observer of an advert records it, the others add their reception).
   */
  @Command(name = "write", mixinStandardHelpOptions = true,
      description = "Receptions persisted per second, and persist latency, from entities to the journal.")
  public static final class Write implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "200", description = "Distinct nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--receptions", defaultValue = "20000",
        description = "Receptions to persist (default ${DEFAULT-VALUE}).")
    int receptions;

    @Option(names = "--observers", defaultValue = "3",
        description = "Observers hearing each advert (default ${DEFAULT-VALUE}).")
    int observers;

    @Option(names = "--concurrency", defaultValue = "256",
        description = "Receptions in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() throws Exception {
      if (nodes < 1 || receptions < 1 || observers < 1 || concurrency < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "all counts must be at least 1");
      }
      var out = spec.commandLine().getOut();
      DatabaseSettings settings = DatabaseSettings.fromEnv(Env.system());
      try (Database db = Storage.prepare(settings, 2)) {
        ActorSystem<Void> system = MeshHubNode.start(settings, ClusterSettings.local());
        try {
          String[] nodeKeys = keys(nodes, 1);
          String[] observerKeys = keys(observers, 2);
          long base = Instant.now().getEpochSecond() + new Random().nextInt(1_000_000);
          int warmup = Math.min(2_000, Math.max(nodes, receptions / 10));
          out.printf("Write path on %s %s: %d nodes, %d observers, %d receptions, %d in flight (+%d warm-up)%n",
              settings.dialect().id(), settings.displayLocation(), nodes, observers, receptions, concurrency,
              warmup);
          run(system, nodeKeys, observerKeys, base, 0, warmup, null);
          long[] latencies = new long[receptions];
          long start = System.nanoTime();
          run(system, nodeKeys, observerKeys, base, warmup, receptions, latencies);
          double seconds = (System.nanoTime() - start) / 1e9;
          Arrays.sort(latencies);
          out.printf("persisted %d receptions in %.2f s: %.0f receptions/s; persist latency p50 %.1f ms,"
              + " p99 %.1f ms, max %.1f ms%n", receptions, seconds, receptions / seconds,
              latencies[receptions / 2] / 1e6, latencies[(int) Math.min(receptions - 1, receptions * 0.99)] / 1e6,
              latencies[receptions - 1] / 1e6);
        } finally {
          MeshHubNode.stop(system);
        }
      }
      return 0;
    }

    private void run(ActorSystem<Void> system, String[] nodeKeys, String[] observerKeys, long base, int offset,
        int count, long[] latencies) throws Exception {
      ClusterSharding sharding = ClusterSharding.get(system);
      Semaphore inFlight = new Semaphore(concurrency);
      AtomicLong done = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      CompletableFuture<Void> all = new CompletableFuture<>();
      int perAdvert = nodeKeys.length * observerKeys.length;
      for (int i = 0; i < count && failure.get() == null; i++) {
        int r = offset + i;
        String node = nodeKeys[r % nodeKeys.length];
        String observer = observerKeys[(r / nodeKeys.length) % observerKeys.length];
        long advertTs = base + r / perAdvert;
        NodeEntity.Advert advert = new NodeEntity.Advert(advertTs, "bench-" + (r % nodeKeys.length), "repeater",
            0x92, 47.5, -122.1, true, null, null);
        Reception reception = new Reception(observer, Instant.now(), 6.5, -97, 1, null);
        inFlight.acquire();
        long t0 = System.nanoTime();
        int index = i;
        sharding.entityRefFor(NodeEntity.ENTITY_KEY, node)
            .<Outcome>askWithStatus(reply -> new NodeEntity.RecordAdvert(advert, reception, reply),
                Duration.ofSeconds(60))
            .whenComplete((outcome, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else if (latencies != null) {
                latencies[index] = System.nanoTime() - t0;
              }
              inFlight.release();
              if (done.incrementAndGet() == count) {
                all.complete(null);
              }
            });
      }
      if (failure.get() == null) {
        all.get(30, TimeUnit.MINUTES);
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a persist failed: " + failure.get().getMessage(), failure.get());
      }
    }

    private static String[] keys(int n, int salt) {
      String[] keys = new String[n];
      Random random = new Random(31L * salt + n);
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        keys[i] = HexFormat.of().formatHex(b);
      }
      return keys;
    }
  }
}
