package org.meshhub.app;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.http.ApiRoutes;
import org.meshhub.app.http.ApiServer;
import org.meshhub.app.http.DbRoutes;
import org.meshhub.app.http.HealthRoutes;
import org.meshhub.app.http.HttpMetrics;
import org.meshhub.app.http.IngestRoutes;
import org.meshhub.app.http.MetricsRoutes;
import org.meshhub.app.http.OpenApiRoutes;
import org.meshhub.app.http.ReadRoutes;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Storage;
import org.meshhub.core.ingest.EntityIngestPipeline;
import org.meshhub.core.ingest.IngestPipeline;
import org.meshhub.core.ingest.MqttIngestSource;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.core.metrics.MeshHubMetrics;
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
 *   <li>membership: the node joins its cluster (itself, unless seed nodes are set) and waits until it is up;
 *   <li>the sharded entities, the read side's projections, the ingest pipeline;
 *   <li>the HTTP API;
 *   <li>the ingest sources (MQTT, the demo feed), last, so that a failed start never leaves a connection behind.
 * </ol>
 *
 * <p>A step that fails ends the start: the cause goes to the starter and the node stops.
 */
public final class Guardian {
  private static final Logger log = LoggerFactory.getLogger(Guardian.class);

  /** What the guardian hears: the outcomes of its own steps. */
  public interface Command {}

  private record StorageReady(Database database) implements Command {}

  private record MemberUp() implements Command {}

  private record ApiBound(ServerBinding binding) implements Command {}

  private record StartFailed(Throwable cause) implements Command {}

  /** A started node's parts, for its owner. */
  public record Running(Database database, IngestPipeline ingest, ServerBinding binding, Optional<DemoFeed> demo) {}

  private final ActorContext<Command> context;
  private final ActorSystem<?> system;
  private final MeshHubSettings settings;
  private final CompletableFuture<Running> started;
  private final Executor blocking;
  /** What {@code /health/ready} checks besides the database; parts add theirs as they start. */
  private final List<HealthRoutes.Check> checks = new CopyOnWriteArrayList<>();

  private Guardian(ActorContext<Command> context, MeshHubSettings settings, CompletableFuture<Running> started) {
    this.context = context;
    this.system = context.getSystem();
    this.settings = settings;
    this.started = started;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** The node's root behaviour; {@code started} completes once it serves, or with the reason it could not start. */
  public static Behavior<Command> create(MeshHubSettings settings, CompletableFuture<Running> started) {
    return Behaviors.setup(context -> new Guardian(context, settings, started).openStorage());
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
    }
    return Behaviors.receive(Command.class)
        .onMessage(MemberUp.class, up -> attempt(() -> startServices(database)))
        .onMessage(StartFailed.class, failed -> fail(failed.cause()))
        .build();
  }

  private Behavior<Command> startServices(Database database) {
    MeshHubNode.initEntities(system, settings.entities());
    ReadSide.start(system, database, settings.readSide());
    ProjectionMetrics.start(system, MeshHubMetrics.get(system).registry(), database,
        settings.readSide().metricsInterval(), blocking);
    EntityIngestPipeline ingest = EntityIngestPipeline.start(system, database, settings.ingest(),
        settings.mqtt().prefix());
    context.pipeToSelf(ApiServer.bind(system, settings.api(), routes(database, ingest)),
        (binding, error) -> error == null ? new ApiBound(binding) : new StartFailed(error));
    return Behaviors.receive(Command.class)
        .onMessage(ApiBound.class, bound -> attempt(() -> serve(database, ingest, bound.binding())))
        .onMessage(StartFailed.class, failed -> fail(failed.cause()))
        .build();
  }

  /** Every route the node serves. */
  private Route routes(Database database, IngestPipeline ingest) {
    MeshHubMetrics metrics = MeshHubMetrics.get(system);
    return new ApiRoutes(settings.keys(), new HealthRoutes(database, blocking, () -> checks),
        new MetricsRoutes(metrics), new DbRoutes(database, blocking), new IngestRoutes(settings.keys(), ingest),
        new ReadRoutes(database, blocking), new OpenApiRoutes(), new HttpMetrics(metrics.registry())).routes();
  }

  private Behavior<Command> serve(Database database, IngestPipeline ingest, ServerBinding binding) {
    log.info("MeshHub {} listening on http://{}:{} with {} at {}", Version.get(), settings.api().host(),
        binding.localAddress().getPort(), settings.database().dialect().id(),
        settings.database().displayLocation());
    if (settings.mqtt().enabled()) {
      MqttIngestSource mqtt = MqttIngestSource.start(system, settings.mqtt(), ingest);
      checks.add(HealthRoutes.Check.of("mqtt", mqtt::problem));
    } else {
      log.info("MQTT is disabled ({}=false): ingest through POST /api/v1/ingest only", MqttSettings.MQTT_ENABLED);
    }
    Optional<DemoFeed> demo = settings.demo().map(d -> DemoFeed.start(system, ingest, d.nodes(), d.rate(),
        settings.mqtt().prefix()));
    started.complete(new Running(database, ingest, binding, demo));
    return Behaviors.empty();
  }

  /** Runs a step; one that throws ends the start like one whose outcome failed. */
  private Behavior<Command> attempt(java.util.function.Supplier<Behavior<Command>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return fail(e);
    }
  }

  private Behavior<Command> fail(Throwable cause) {
    Throwable reason = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
    started.completeExceptionally(reason);
    return Behaviors.stopped();
  }
}
