package org.meshhub.core.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.meshhub.core.MeshHubSerializable;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.SchemaLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the schema lease ({@link SchemaLease}) for its cluster: a cluster singleton, so it runs on the oldest member
 * and moves when that member leaves or is downed. It takes the lease when it is free, expired, or held by a member
 * (present or at the last heartbeat) of its own cluster, renews it every {@link SchemaLease#HEARTBEAT} with the
 * list of members, and answers every member's question "does our cluster hold the lease?" at start-up.
 *
 * <p>Should another cluster take the lease from under it (it expired while the database was unreachable), the keeper
 * downs every member of its own cluster: a schema has one writer. The last member to leave gives the lease up, so
 * that another cluster or instance can start at once.
 */
public final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** What the keeper is asked (from any member: serializable) and told. */
  public interface Command extends MeshHubSerializable {}

  /** Whether this cluster holds the lease. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  private record Tick() implements Command {}

  private record Checked(Status status) implements Command {}

  private record Stop() implements Command {}

  /** The keeper's answer (to any member: serializable). */
  public sealed interface Status extends MeshHubSerializable {}

  /** This cluster holds the lease. */
  public record Held(SchemaLease.Lease lease) implements Status {}

  /** Another cluster or instance holds a live lease: this cluster must not write the schema. */
  public record Refused(SchemaLease.Lease lease) implements Status {}

  /** Not known yet (the keeper has not reached the database so far). */
  public record Pending(String reason) implements Status {}

  private final ActorContext<Command> context;
  private final SchemaLease lease;
  private final int schemaVersion;
  private final Cluster cluster;
  private final Executor blocking;
  private final RateLimitedLog rateLimited = new RateLimitedLog(Duration.ofSeconds(30));
  private Status status = new Pending("the lease keeper is starting");

  private LeaseKeeper(ActorContext<Command> context, Database database, int schemaVersion) {
    this.context = context;
    this.lease = new SchemaLease(database);
    this.schemaVersion = schemaVersion;
    this.cluster = Cluster.get(context.getSystem());
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** Starts the keeper of this cluster (on its oldest member) and returns a proxy to it on this node. */
  public static ActorRef<Command> init(org.apache.pekko.actor.typed.ActorSystem<?> system, Database database,
      int schemaVersion) {
    return ClusterSingleton.get(system).init(SingletonActor.of(
            Behaviors.<Command>setup(context -> Behaviors.withTimers(timers ->
                new LeaseKeeper(context, database, schemaVersion).start(timers))), "schema-lease")
        .withStopMessage(new Stop()));
  }

  private Behavior<Command> start(TimerScheduler<Command> timers) {
    check();
    return Behaviors.receive(Command.class)
        .onMessage(GetStatus.class, get -> {
          get.replyTo().tell(status);
          return Behaviors.same();
        })
        .onMessage(Checked.class, checked -> {
          changed(checked.status());
          timers.startSingleTimer(new Tick(), SchemaLease.HEARTBEAT);
          return Behaviors.same();
        })
        .onMessage(Tick.class, tick -> {
          check();
          return Behaviors.same();
        })
        .onMessage(Stop.class, stop -> Behaviors.stopped())
        .onSignal(PostStop.class, signal -> {
          releaseIfLast();
          return Behaviors.same();
        })
        .build();
  }

  /** One round on the blocking dispatcher: renew the lease held, or try to take it. */
  private void check() {
    Status before = status;
    SchemaLease.Claimant self = claimant();
    context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
      try {
        if (before instanceof Held && lease.heartbeat(self)) {
          return (Status) new Held(lease.read().orElseThrow());
        }
        SchemaLease.Outcome outcome = lease.acquire(self, this::sameCluster);
        return outcome instanceof SchemaLease.Held held ? new Held(held.lease())
            : new Refused(outcome.lease());
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking), (next, error) -> new Checked(error == null ? next : pending(before, error)));
  }

  private Status pending(Status before, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    long held = rateLimited.permit("database");
    if (held != RateLimitedLog.SUPPRESS) {
      log.warn("The schema lease could not be checked: {}{}", cause.toString(), rateLimited.suffix(held));
    }
    // What was known stays known: a lease held is not given up for a database that does not answer for a moment.
    return before instanceof Pending ? new Pending("the database did not answer: " + cause.getMessage()) : before;
  }

  private void changed(Status next) {
    Status before = status;
    status = next;
    if (next instanceof Held held && !(before instanceof Held)) {
      log.info("This cluster holds the lease on the schema (holder {})", held.lease().holder());
    } else if (next instanceof Refused refused && before instanceof Held) {
      log.error("Another MeshHub took the lease on the schema ({}); downing every member of this cluster, a schema"
          + " has one writer", refused.lease().describe());
      for (Member member : cluster.state().getMembers()) {
        cluster.manager().tell(new Down(member.address()));
      }
    } else if (next instanceof Refused refused && !(before instanceof Refused)) {
      log.error("The schema is in use by another MeshHub: {}", refused.lease().describe());
    }
  }

  /** A lease holder of this cluster: a member now, or the lease lists this node among its cluster's members. */
  private boolean sameCluster(SchemaLease.Lease held) {
    return held.members().contains(address(cluster.selfMember().address())) || members().contains(held.holder());
  }

  private SchemaLease.Claimant claimant() {
    return SchemaLease.Claimant.self(address(cluster.selfMember().address()), schemaVersion, members());
  }

  private Set<String> members() {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .map(m -> address(m.address())).collect(Collectors.toSet());
  }

  /** When no other member stays up, nobody takes the lease over: give it up. */
  private void releaseIfLast() {
    if (!(status instanceof Held)) {
      return;
    }
    boolean othersUp = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .anyMatch(m -> !m.address().equals(cluster.selfMember().address())
            && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()));
    if (othersUp) {
      return;
    }
    try {
      lease.release(claimant());
      log.info("Released the lease on the schema: this was the last member");
    } catch (SQLException | RuntimeException e) {
      log.warn("Could not release the lease on the schema ({}); it expires after {} s", e.toString(),
          SchemaLease.EXPIRES_AFTER.toSeconds());
    }
  }

  /** A cluster address as the lease records it: host:port. */
  public static String address(Address address) {
    return address.getHost().orElse("?") + ":" + address.getPort().map(String::valueOf).orElse("?");
  }
}
