package org.meshhub.projections;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Dialect;
import org.meshhub.projections.live.LiveEventWriter;
import org.meshhub.projections.live.LiveSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the read side on a MeshHub node: for each read model one projection instance per tag slice, spread over
 * the cluster by a sharded daemon process (all of them on a single node), each writing batches of rows with its
 * offset in one transaction on MeshHub's own connection pool.
 */
public final class ReadSide {
  private static final Logger log = LoggerFactory.getLogger(ReadSide.class);

  private ReadSide() {}

  /**
   * Connections in MeshHub's own pool (projections, API reads, status). SQLite has one writer at a time, so a few
   * connections serve the readers; PostgreSQL writes the slices in parallel.
   */
  public static int poolSize(Dialect dialect) {
    return dialect == Dialect.SQLITE ? 6 : 10;
  }

  /** The Pekko settings the projections need: as many JDBC threads as the pool has connections. */
  public static Config config(int poolSize) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size", poolSize),
        "read side");
  }

  /** Starts every read model's projections. */
  public static void start(ActorSystem<?> system, Database database) {
    ReadSideSettings settings = ReadSideSettings.fromConfig(system.settings().config());
    for (ReadModel model : ReadModel.values()) {
      List<String> tags = model.tags();
      ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "projection-" + model.id(),
          tags.size(), i -> ProjectionBehavior.create(projection(system, database, model, tags.get(i), settings)),
          ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
    }
    log.info("Read side started: {} projections of {} slices each, batches of up to {} events",
        ReadModel.values().length, ReadModel.NODES.tags().size(), settings.groupSize());
  }

  static GroupedProjection<Offset, EventEnvelope<Object>> projection(ActorSystem<?> system, Database database,
      ReadModel model, String tag, ReadSideSettings settings) {
    LiveSettings live = LiveSettings.fromConfig(system.settings().config());
    SourceProvider<Offset, EventEnvelope<Object>> events =
        EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.<Offset, EventEnvelope<Object>, PooledJdbcSession>groupedWithin(
            ProjectionId.of(model.id(), tag), events, () -> new PooledJdbcSession(database),
            () -> new BatchHandler<>(model.id() + "/" + tag, model.writer(tag, TableNames.live()),
                new LiveEventWriter(tag, live.retention(), Clock.systemUTC())), system)
        .withGroup(settings.groupSize(), settings.groupDelay())
        .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
  }
}
