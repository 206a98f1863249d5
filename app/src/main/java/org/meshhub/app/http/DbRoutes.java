package org.meshhub.app.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DbStatus;

/** {@code GET /api/v1/db/status}: backend, schema, schema version and row counts. */
public final class DbRoutes extends AllDirectives {
  private final Database database;
  private final Executor blocking;

  public DbRoutes(Database database, Executor blocking) {
    this.database = database;
    this.blocking = blocking;
  }

  public Route routes() {
    return path("status", () -> get(() -> completeWithFuture(
        CompletableFuture.supplyAsync(() -> Json.ok(DbStatus.read(database)), blocking))));
  }
}
