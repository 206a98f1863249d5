package org.meshhub.core.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.meshhub.core.db.SchemaLease;

/**
 * Where a cluster stands, as one member sees it: the members with their status and reachability, the entity shards
 * and projection instances each one runs, and who holds the schema lease. {@code GET /api/v1/cluster} and
 * {@code meshhub cluster status} show it; {@code /health/ready} uses {@link #readinessProblem}.
 *
 * @param self this member's cluster address (host:port)
 * @param leader the cluster's leader, when there is one
 * @param members every member, this one included, by address
 * @param lease the schema lease (PostgreSQL), when this node knows it
 */
public record ClusterStatus(String self, String leader, List<MemberView> members, Optional<LeaseView> lease) {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final String DAEMON_PREFIX = "sharded-daemon-process-";

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /**
   * One member.
   *
   * @param status Pekko's member status: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed
   * @param reachable whether this member's failure detector hears it
   * @param shards entity shards it hosts, by entity type
   * @param projections the projection instances (read model / slice) it runs
   */
  public record MemberView(String address, String status, boolean reachable, boolean self,
      Map<String, Integer> shards, List<String> projections) {
    public MemberView {
      shards = Map.copyOf(shards);
      projections = List.copyOf(projections);
    }
  }

  /**
   * The schema lease as this member's cluster sees it.
   *
   * @param state {@code held} (by this cluster), {@code refused} (another holds it) or {@code pending}
   */
  public record LeaseView(String state, String holder, String host, Long pid, Integer schemaVersion, Instant since,
      Double heartbeatAgeSeconds, String detail) {
    static LeaseView of(LeaseKeeper.Status status) {
      if (status instanceof LeaseKeeper.Held held) {
        return of("held", held.lease());
      }
      if (status instanceof LeaseKeeper.Refused refused) {
        return of("refused", refused.lease());
      }
      return new LeaseView("pending", null, null, null, null, null, null, ((LeaseKeeper.Pending) status).reason());
    }

    private static LeaseView of(String state, SchemaLease.Lease lease) {
      return new LeaseView(state, lease.holder(), lease.host(), lease.pid(), lease.schemaVersion(), lease.since(),
          lease.age().toMillis() / 1000.0, null);
    }
  }

  /** A sharded daemon process whose instances run one per slice (the projections of one read model). */
  public record Daemon(String processName, List<String> slices) {
    public Daemon {
      slices = List.copyOf(slices);
    }
  }

  /**
   * Collects the status: asks sharding where the shards of {@code entities} and the instances of {@code daemons}
   * are, and the lease keeper (when there is one) about the lease. Parts that do not answer in time are left out.
   *
   * @param entities entity type name (as shown) to its key
   * @param daemons read model name to its daemon process
   */
  public static CompletionStage<ClusterStatus> collect(ActorSystem<?> system,
      Map<String, EntityTypeKey<?>> entities, Map<String, Daemon> daemons,
      Optional<ActorRef<LeaseKeeper.Command>> keeper) {
    Map<String, CompletableFuture<Map<Address, Set<String>>>> shards = new LinkedHashMap<>();
    entities.forEach((name, key) -> shards.put(name, shardsOf(system, key.name())));
    Map<String, CompletableFuture<Map<Address, Set<String>>>> instances = new LinkedHashMap<>();
    daemons.forEach((name, daemon) -> instances.put(name, shardsOf(system, DAEMON_PREFIX + daemon.processName())));
    CompletableFuture<Optional<LeaseView>> lease = keeper.map(k -> AskPattern.<LeaseKeeper.Command,
            LeaseKeeper.Status>ask(k, LeaseKeeper.GetStatus::new, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().thenApply(s -> Optional.of(LeaseView.of(s)))
        .exceptionally(e -> Optional.of(new LeaseView("pending", null, null, null, null, null, null,
            "the lease keeper did not answer"))))
        .orElse(CompletableFuture.completedFuture(Optional.empty()));
    List<CompletableFuture<?>> all = new ArrayList<>(shards.values());
    all.addAll(instances.values());
    all.add(lease);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Cluster cluster = Cluster.get(system);
      ClusterEvent.CurrentClusterState state = cluster.state();
      Set<Address> unreachable = state.getUnreachable().stream().map(Member::address).collect(Collectors.toSet());
      Address self = cluster.selfMember().address();
      List<MemberView> members = new ArrayList<>();
      for (Member m : sorted(state.getMembers())) {
        Map<String, Integer> counts = new TreeMap<>();
        shards.forEach((name, f) -> counts.put(name, f.join().getOrDefault(m.address(), Set.of()).size()));
        List<String> running = new ArrayList<>();
        instances.forEach((name, f) -> {
          List<String> slices = daemons.get(name).slices();
          f.join().getOrDefault(m.address(), Set.of()).stream().map(Integer::parseInt).sorted()
              .forEach(i -> running.add(name + "/" + (i < slices.size() ? slices.get(i) : "#" + i)));
        });
        members.add(new MemberView(LeaseKeeper.address(m.address()), status(m.status()),
            !unreachable.contains(m.address()), m.address().equals(self), counts, running));
      }
      String leader = state.getLeader() == null ? null : LeaseKeeper.address(state.getLeader());
      return new ClusterStatus(LeaseKeeper.address(self), leader, members, lease.join());
    });
  }

  /**
   * Why this node is not ready as a member, if it is not: it is not up (yet, or any more), or some members are
   * unreachable from it.
   */
  public static Optional<String> readinessProblem(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    MemberStatus status = cluster.selfMember().status();
    if (status != MemberStatus.up() && status != MemberStatus.weaklyUp()) {
      return Optional.of("this node is " + status(status) + " in its cluster, not Up");
    }
    List<String> unreachable = cluster.state().getUnreachable().stream().map(m -> LeaseKeeper.address(m.address()))
        .sorted().toList();
    return unreachable.isEmpty() ? Optional.empty()
        : Optional.of("members unreachable from this node: " + String.join(", ", unreachable));
  }

  /** Shard ids hosted per member for one entity type (empty when sharding does not answer in time). */
  private static CompletableFuture<Map<Address, Set<String>>> shardsOf(ActorSystem<?> system, String typeName) {
    EntityTypeKey<Object> key = EntityTypeKey.create(Object.class, typeName);
    CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(
        ClusterSharding.get(system).shardState(),
        (ActorRef<ShardRegion.ClusterShardingStats> replyTo) -> new GetClusterShardingStats(key, ASK_TIMEOUT, replyTo),
        ASK_TIMEOUT.plusSeconds(1), system.scheduler());
    return stats.toCompletableFuture().thenApply(s -> {
      Map<Address, Set<String>> out = new LinkedHashMap<>();
      s.getRegions().forEach((address, region) -> out.put(address, region.getStats().keySet()));
      return out;
    }).exceptionally(e -> Map.of());
  }

  private static List<Member> sorted(Iterable<Member> members) {
    List<Member> list = new ArrayList<>();
    StreamSupport.stream(members.spliterator(), false).forEach(list::add);
    list.sort(Comparator.comparing(m -> LeaseKeeper.address(m.address())));
    return list;
  }

  private static String status(MemberStatus status) {
    String s = status.toString();
    return s.endsWith("$") ? s.substring(0, s.length() - 1) : s;
  }
}
