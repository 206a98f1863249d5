package org.meshhub.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.http.AdminRoutes;
import org.meshhub.app.http.ApiDocsRoutes;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.http.ApiRoutes;
import org.meshhub.app.http.ApiServer;
import org.meshhub.app.http.ClusterRoutes;
import org.meshhub.app.http.DbRoutes;
import org.meshhub.app.http.HealthRoutes;
import org.meshhub.app.http.HttpMetrics;
import org.meshhub.app.http.IngestRoutes;
import org.meshhub.app.http.MetricsRoutes;
import org.meshhub.app.http.OpenApiRoutes;
import org.meshhub.app.http.ReadRoutes;
import org.meshhub.app.http.TagRoutes;
import org.meshhub.app.web.Dashboard;
import org.meshhub.core.cluster.ClusterException;
import org.meshhub.core.cluster.ClusterStatus;
import org.meshhub.core.cluster.LeaseKeeper;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.SchemaLease;
import org.meshhub.core.db.SchemaMigrations;
import org.meshhub.core.db.Storage;
import org.meshhub.core.db.StorageException;
import org.meshhub.core.ingest.EntityIngestPipeline;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.MqttIngestSource;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.simulate.DemoFeed;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.status.ProjectionMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of a MeshHub node: starts its parts one after the other, each registering its own step of the node's
 * coordinated shutdown, and reports the outcome to whoever started the node.
 *
 * <ol>
 *   <li>storage: the database opened, its schema brought up to date;
 *   <li>membership: the node joins its cluster (itself, unless seed nodes are set) and is up within
 *       {@code CLUSTER_JOIN_TIMEOUT}, or gives up;
 *   <li>on PostgreSQL, the schema lease: the cluster's lease keeper holds it, or the node refuses to run (another
 *       cluster or instance writes this schema);
 *   <li>the sharded entities, the read side's projections, the ingest pipeline;
 *   <li>the HTTP API;
 *   <li>the ingest sources (MQTT, the demo feed), last, so that a failed start never leaves a connection behind.
 * </ol>
 *
 * <p>A step that fails ends the start: the cause goes to the starter and the node stops. Once running, a node that
 * its cluster downs stops ingesting at once; the coordinated shutdown that follows ends the process.
 */
public final class Guardian {
  private static final Logger log = LoggerFactory.getLogger(Guardian.class);
  private static final Duration LEASE_ASK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration LEASE_RETRY = Duration.ofSeconds(1);
  private static final CoordinatedShutdown.Reason START_FAILED = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "start-up failed";
    }
  };

  /** What the guardian hears: the outcomes of its own steps, and what the cluster says of this node. */
  public interface Command {}

  private record StorageReady(Database database) implements Command {}

  private record MemberUp() implements Command {}

  private record JoinTimedOut() implements Command {}

  private record LeaseAnswer(LeaseKeeper.Status status) implements Command {}

  private record AskLease() implements Command {}

  private record ApiBound(ServerBinding binding) implements Command {}

  private record StartFailed(Throwable cause) implements Command {}

  private record MemberDowned(ClusterEvent.MemberDowned event) implements Command {}

  /** A started node's parts, for its owner. */
  public record Running(Database database, IngestPipeline ingest, ServerBinding binding, Optional<DemoFeed> demo) {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorSystem<?> system;
  private final MeshHubSettings settings;
  private final CompletableFuture<Running> started;
  private final Executor blocking;
  /** What {@code /health/ready} checks besides the database; parts add theirs as they start. */
  private final List<HealthRoutes.Check> checks = new CopyOnWriteArrayList<>();

  private Guardian(ActorContext<Command> context, TimerScheduler<Command> timers, MeshHubSettings settings,
      CompletableFuture<Running> started) {
    this.context = context;
    this.timers = timers;
    this.system = context.getSystem();
    this.settings = settings;
    this.started = started;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** The node's root behaviour; {@code started} completes once it serves, or with the reason it could not start. */
  public static Behavior<Command> create(MeshHubSettings settings, CompletableFuture<Running> started) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Guardian(context, timers, settings, started).openStorage()));
  }

  private Behavior<Command> openStorage() {
    context.pipeToSelf(
        CompletableFuture.supplyAsync(() -> Storage.prepare(system, settings.database(), settings.poolSize()),
            blocking),
        (database, error) -> error == null ? new StorageReady(database) : new StartFailed(error));
    return Behaviors.receive(Command.class)
        .onMessage(StorageReady.class, ready -> join(ready.database()))
        .onMessage(StartFailed.class, failed -> fail(failed.cause()))
        .build();
  }

  private Behavior<Command> join(Database database) {
    Cluster cluster = Cluster.get(system);
    cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(SelfUp.class, up -> new MemberUp()),
        SelfUp.class));
    if (settings.cluster().selfJoin()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      log.info("Joining the cluster through seed nodes {} as {}:{}", settings.cluster().seedNodes(),
          settings.cluster().host(), cluster.selfMember().address().getPort().orElse(0));
    }
    timers.startSingleTimer(new JoinTimedOut(), settings.cluster().joinTimeout());
    return Behaviors.receive(Command.class)
        .onMessage(MemberUp.class, up -> {
          timers.cancel(JoinTimedOut.class);
          log.info("This node is up in its cluster as {}", LeaseKeeper.address(cluster.selfMember().address()));
          return attempt(() -> checkLease(database));
        })
        .onMessage(JoinTimedOut.class, timedOut -> fail(new ClusterException("this node did not join its cluster"
            + " within " + settings.cluster().joinTimeout().toSeconds() + " s (" + (settings.cluster().selfJoin()
            ? "joining itself" : "seed nodes " + String.join(", ", settings.cluster().seedNodes()))
            + "); check that a seed node runs and that the members reach each other at CLUSTER_HOST:CLUSTER_PORT")))
        .build();
  }

  /** On PostgreSQL the node runs only once its cluster holds the schema lease. */
  private Behavior<Command> checkLease(Database database) {
    if (!SchemaLease.supported(database.dialect())) {
      return startServices(database, Optional.empty());
    }
    ActorRef<LeaseKeeper.Command> keeper = LeaseKeeper.init(system, database,
        SchemaMigrations.latestVersion(database.dialect()));
    long deadline = System.nanoTime() + settings.cluster().joinTimeout().toNanos();
    context.getSelf().tell(new AskLease());
    return Behaviors.receive(Command.class)
        .onMessage(AskLease.class, ask -> {
          context.ask(LeaseKeeper.Status.class, keeper, LEASE_ASK_TIMEOUT, LeaseKeeper.GetStatus::new,
              (status, error) -> new LeaseAnswer(error == null ? status
                  : new LeaseKeeper.Pending("the lease keeper did not answer")));
          return Behaviors.same();
        })
        .onMessage(LeaseAnswer.class, answer -> {
          if (answer.status() instanceof LeaseKeeper.Held) {
            return attempt(() -> startServices(database, Optional.of(keeper)));
          }
          if (answer.status() instanceof LeaseKeeper.Refused refused) {
            return fail(StorageException.refused("the schema at " + settings.database().displayLocation()
                + " is in use by another MeshHub: "
                + refused.lease().describe() + "; one cluster writes a schema: join that cluster"
                + " (CLUSTER_SEED_NODES) or use another DATABASE_SCHEMA"));
          }
          if (System.nanoTime() - deadline > 0) {
            return fail(new ClusterException("the schema lease could not be checked within "
                + settings.cluster().joinTimeout().toSeconds() + " s: "
                + ((LeaseKeeper.Pending) answer.status()).reason()));
          }
          timers.startSingleTimer(new AskLease(), LEASE_RETRY);
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> startServices(Database database, Optional<ActorRef<LeaseKeeper.Command>> keeper) {
    MeshHubNode.initEntities(system, settings.entities());
    ReadSide.start(system, database, settings.readSide());
    ProjectionMetrics.start(system, MeshHubMetrics.get(system).registry(), database,
        settings.readSide().metricsInterval(), blocking);
    EntityIngestPipeline ingest = EntityIngestPipeline.start(system, database, settings.ingest(),
        settings.mqtt().prefix());
    checks.add(HealthRoutes.Check.of("cluster", () -> ClusterStatus.readinessProblem(system)));
    Supplier<CompletionStage<ClusterStatus>> clusterStatus = () -> ClusterStatus.collect(system,
        Map.<String, EntityTypeKey<?>>of("node", NodeEntity.ENTITY_KEY, "message", MessageEntity.ENTITY_KEY),
        ReadSide.daemons(), keeper);
    context.pipeToSelf(ApiServer.bind(system, settings.api(), routes(database, ingest, clusterStatus)),
        (binding, error) -> error == null ? new ApiBound(binding) : new StartFailed(error));
    return Behaviors.receive(Command.class)
        .onMessage(ApiBound.class, bound -> attempt(() -> serve(database, ingest, bound.binding())))
        .onMessage(StartFailed.class, failed -> fail(failed.cause()))
        .build();
  }

  /** Every route the node serves. */
  private Route routes(Database database, IngestPipeline ingest,
      Supplier<CompletionStage<ClusterStatus>> clusterStatus) {
    MeshHubMetrics metrics = MeshHubMetrics.get(system);
    ApiKeys keys = settings.keys();
    return new ApiRoutes(new ApiRoutes.Parts(keys, settings.cors(), new HealthRoutes(database, blocking, () -> checks),
        new MetricsRoutes(metrics), new DbRoutes(database, blocking), new IngestRoutes(keys, ingest),
        new ReadRoutes(database, blocking, new TagRoutes(system, database, keys, blocking)),
        new AdminRoutes(database, keys, blocking), new ClusterRoutes(clusterStatus), new OpenApiRoutes(),
        new ApiDocsRoutes(), new HttpMetrics(metrics.registry()), Dashboard.start(system, database,
            settings.dashboard(), settings.readSide().live(), Version.get(), keys.readKeyRequired(), blocking))).routes();
  }

  private Behavior<Command> serve(Database database, EntityIngestPipeline ingest, ServerBinding binding) {
    log.info("MeshHub {} listening on http://{}:{} with {} at {}", Version.get(), settings.api().host(),
        binding.localAddress().getPort(), settings.database().dialect().id(),
        settings.database().displayLocation());
    log.info("API keys: {}; CORS: {}", settings.keys().describe(), settings.cors().describe());
    Optional<MqttIngestSource> mqtt = Optional.empty();
    if (settings.mqtt().enabled()) {
      MqttIngestSource source = MqttIngestSource.start(system, settings.mqtt(), ingest);
      checks.add(HealthRoutes.Check.of("mqtt", source::problem));
      mqtt = Optional.of(source);
    } else {
      log.info("MQTT is disabled ({}=false): ingest through POST /api/v1/ingest only", MqttSettings.MQTT_ENABLED);
    }
    Optional<DemoFeed> demo = settings.demo().map(d -> DemoFeed.start(system, ingest, d.nodes(), d.rate(),
        settings.mqtt().prefix()));
    Cluster.get(system).subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberDowned.class, MemberDowned::new), ClusterEvent.MemberDowned.class));
    started.complete(new Running(database, ingest, binding, demo));
    return running(ingest, mqtt);
  }

  /** A node its cluster downed stops taking messages at once: its entities are about to run on other members. */
  private Behavior<Command> running(EntityIngestPipeline ingest, Optional<MqttIngestSource> mqtt) {
    return Behaviors.receive(Command.class)
        .onMessage(MemberDowned.class, downed -> {
          if (!downed.event().member().address().equals(Cluster.get(system).selfMember().address())) {
            return Behaviors.same();
          }
          log.error("This node was downed by its cluster (unreachable, or on the minority side of a partition):"
              + " ingest stopped; the node shuts down");
          ingest.close();
          mqtt.ifPresent(source -> blocking.execute(() -> source.stop(Duration.ZERO)));
          return Behaviors.same();
        })
        .build();
  }

  /** Runs a step; one that throws ends the start like one whose outcome failed. */
  private Behavior<Command> attempt(Supplier<Behavior<Command>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return fail(e);
    }
  }

  /** Ends the start: the starter gets the reason, and the node shuts down in order (it may have joined). */
  private Behavior<Command> fail(Throwable cause) {
    Throwable reason = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    started.completeExceptionally(reason);
    CoordinatedShutdown.get(system).runAll(START_FAILED);
    return Behaviors.ignore();
  }
}
