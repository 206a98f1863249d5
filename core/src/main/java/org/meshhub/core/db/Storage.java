package org.meshhub.core.db;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up of the storage: open (waiting for PostgreSQL, locking SQLite), migrate, then check the journal. */
public final class Storage {
  private static final Logger log = LoggerFactory.getLogger(Storage.class);

  private Storage() {}

  /** Opens the database for this process as its writer, brings the schema up to date and guards the journal. */
  public static Database prepare(DatabaseSettings settings, int poolSize) {
    Database db = Database.open(settings, Database.Access.EXCLUSIVE, poolSize);
    try {
      SchemaMigrations.Result result = new SchemaMigrations(db).migrate();
      JournalGuard.check(db);
      log.info("Storage ready: {} {} (schema version {})", settings.dialect().id(), settings.displayLocation(),
          result.toVersion());
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * As {@link #prepare} for a node: the database is closed by the node's coordinated shutdown, last, once
   * everything that writes to it has stopped.
   */
  public static Database prepare(ActorSystem<?> system, DatabaseSettings settings, int poolSize) {
    Database db = prepare(settings, poolSize);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-database",
        () -> {
          db.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    return db;
  }
}
