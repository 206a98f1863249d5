package org.meshhub.migration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Runs a prepared migration in an actor system of its own, with the {@link MigratorActor} as its guardian: the
 * command line asks it for status to draw progress, and tells it to stop on Ctrl-C.
 */
public final class MigrationRunner {
  private static final Duration ASK = Duration.ofSeconds(10);

  private final ActorSystem<MigratorActor.Command> system;
  private final CompletableFuture<MigrationResult> result;

  private MigrationRunner(ActorSystem<MigratorActor.Command> system, CompletableFuture<MigrationResult> result) {
    this.system = system;
    this.result = result;
  }

  /** Starts copying at once. */
  public static MigrationRunner start(Migration migration) {
    CompletableFuture<MigrationResult> result = new CompletableFuture<>();
    ActorSystem<MigratorActor.Command> system = ActorSystem.create(MigratorActor.create(migration, result),
        "meshhub-migrate", config());
    system.getWhenTerminated().whenComplete((done, error) -> {
      // A guardian that died without an outcome (it should not) must not leave the caller waiting forever.
      result.completeExceptionally(new IllegalStateException("the migrator stopped without an outcome"));
    });
    return new MigrationRunner(system, result);
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
    return AskPattern.ask(system, MigratorActor.GetStatus::new, ASK, system.scheduler());
  }

  /** Asks the migrator to stop after the batch being written; completes with the status at the end. */
  public CompletionStage<MigrationStatus> stop() {
    return AskPattern.ask(system, MigratorActor.Stop::new, Duration.ofMinutes(5), system.scheduler());
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
    } catch (java.util.concurrent.TimeoutException e) {
      return result.join();
    }
  }
}
