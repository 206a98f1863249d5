package org.meshhub.app.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.meshhub.core.db.Database;
import org.meshhub.projections.live.LiveFeed;
import org.meshhub.projections.live.LiveSettings;

/**
 * The web dashboard of a running MeshHub: its pages and files (open), its API routes (behind the read key), and
 * the live feed behind {@code /api/v1/stream}, stopped with the server before the database closes.
 */
public final class Dashboard {
  private final WebRoutes pages;
  private final DashboardApiRoutes api;
  private final LiveFeed feed;

  private Dashboard(WebRoutes pages, DashboardApiRoutes api, LiveFeed feed) {
    this.pages = pages;
    this.api = api;
    this.feed = feed;
  }

  /**
   * @param readKeyRequired whether reads need a key: the pages then ask for it before their first request
   */
  public static Dashboard start(ActorSystem<?> system, Database database, DashboardSettings settings,
      String version, boolean readKeyRequired, Executor blocking) {
    LiveFeed feed = new LiveFeed(database, LiveSettings.fromConfig(system.settings().config()),
        Materializer.matFromSystem(system), blocking);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "live-feed-stop", () -> {
      feed.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    return new Dashboard(new WebRoutes(settings, version, readKeyRequired), new DashboardApiRoutes(database, feed, blocking), feed);
  }

  /** The pages and their files, open like {@code /health}. */
  public Route pageRoutes() {
    return pages.routes();
  }

  /** The API routes, to be mounted under {@code /api/v1} behind the read key. */
  public Route apiRoutes() {
    return api.routes();
  }

  public LiveFeed feed() {
    return feed;
  }
}
