package org.meshhub.app.http;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.Version;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.SchemaMigrations;

/**
 * {@code GET /health}: the process is up. {@code GET /health/ready}: the database answers, the schema is current,
 * and every registered ingest connection is up; 503 naming what is not.
 */
public final class HealthRoutes extends AllDirectives {
  /** Something readiness depends on besides the database (an MQTT connection, say). */
  public interface Check {
    String name();

    /** Empty when fine, else why not. */
    java.util.Optional<String> problem();

    static Check of(String name, Supplier<java.util.Optional<String>> problem) {
      return new Check() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public java.util.Optional<String> problem() {
          return problem.get();
        }
      };
    }
  }

  private final Database database;
  private final Executor blocking;
  private final Supplier<List<Check>> checks;

  public HealthRoutes(Database database, Executor blocking, Supplier<List<Check>> checks) {
    this.database = database;
    this.blocking = blocking;
    this.checks = checks;
  }

  public Route routes() {
    return pathPrefix("health", () -> concat(
        pathEnd(() -> get(() -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", "ok");
          body.put("version", Version.get());
          body.put("dialect", database.dialect().id());
          return complete(Json.ok(body));
        })),
        path("ready", () -> get(() -> completeWithFuture(CompletableFuture.supplyAsync(this::ready, blocking))))));
  }

  private org.apache.pekko.http.javadsl.model.HttpResponse ready() {
    List<String> problems = new ArrayList<>();
    try (Connection c = database.connection(); Statement st = c.createStatement()) {
      st.setQueryTimeout(5);
      st.execute("SELECT 1");
      List<Integer> pending = SchemaMigrations.pending(c, database.dialect());
      if (!pending.isEmpty()) {
        problems.add("database schema migrations not applied: " + pending);
      }
    } catch (Exception e) {
      problems.add("database not reachable: " + e.getClass().getSimpleName());
    }
    for (Check check : checks.get()) {
      check.problem().ifPresent(p -> problems.add(check.name() + ": " + p));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", problems.isEmpty() ? "ready" : "not_ready");
    body.put("problems", problems);
    return Json.response(problems.isEmpty() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
  }
}
