package org.meshhub.migration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs a prepared migration in an actor system of its own: the command line asks the {@link MigratorActor} for its
 * status to draw progress, and tells it to stop on Ctrl-C. The actor system ends with the run.
 */
public final class MigrationRunner {
  private static final Duration ASK = Duration.ofSeconds(10);

  private final ActorSystem<Void> system;
  private final ActorRef<MigratorActor.Command> migrator;
  private final CompletableFuture<MigrationResult> result;

  private MigrationRunner(ActorSystem<Void> system, ActorRef<MigratorActor.Command> migrator,
      CompletableFuture<MigrationResult> result) {
    this.system = system;
    this.migrator = migrator;
    this.result = result;
  }

  /**
   * An actor system for a migration. Starting one takes a moment, so the command line starts it while it checks the
   * source and the target.
   */
  public static ActorSystem<Void> newSystem() {
    return ActorSystem.create(Behaviors.empty(), "meshhub-migrate", config());
  }

  /** Starts copying at once, in a new actor system. */
  public static MigrationRunner start(Migration migration) {
    return start(newSystem(), migration);
  }

  /** Starts copying at once in {@code system}, which ends with the run. */
  public static MigrationRunner start(ActorSystem<Void> system, Migration migration) {
    CompletableFuture<MigrationResult> result = new CompletableFuture<>();
    ActorRef<MigratorActor.Command> migrator = system.systemActorOf(MigratorActor.create(migration, result),
        "migrator", Props.empty());
    result.whenComplete((r, e) -> system.terminate());
    system.getWhenTerminated().whenComplete((done, error) ->
        // A system that ended without an outcome (it should not) must not leave the caller waiting forever.
        result.completeExceptionally(new IllegalStateException("the migrator stopped without an outcome")));
    return new MigrationRunner(system, migrator, result);
  }

  /** The actor system's settings: {@code migration.conf} over the defaults. */
  static Config config() {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseResources("migration.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  public CompletionStage<MigrationStatus> status() {
    return AskPattern.ask(migrator, MigratorActor.GetStatus::new, ASK, system.scheduler());
  }

  /** Asks the migrator to stop after the batch being written; completes with the status at the end. */
  public CompletionStage<MigrationStatus> stop() {
    return AskPattern.ask(migrator, MigratorActor.Stop::new, Duration.ofMinutes(5), system.scheduler());
  }

  public CompletableFuture<MigrationResult> result() {
    return result;
  }

  /** Waits for the outcome and for the actor system to end. */
  public MigrationResult await() throws InterruptedException {
    try {
      MigrationResult r = result.get();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return r;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      return result.join();
    }
  }
}
