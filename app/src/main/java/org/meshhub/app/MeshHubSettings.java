package org.meshhub.app;

import com.typesafe.config.Config;
import java.util.Objects;
import java.util.Optional;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.http.Cors;
import org.meshhub.app.web.DashboardSettings;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.ingest.IngestSettings;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.projections.ReadSide;
import org.meshhub.projections.ReadSideSettings;

/**
 * Everything a MeshHub node runs with, read once before it starts: the environment's settings (a bad one stops
 * start-up with one line naming its variable) and MeshHub's own defaults under {@code meshhub.*} in the node's
 * configuration. The parts of the node are handed their piece of it; none reads the environment or the
 * configuration itself.
 *
 * @param poolSize connections of MeshHub's own pool (read side, API, status)
 * @param demo the built-in demo feed, when {@code serve --demo} asked for it
 * @param config the actor system's configuration (Pekko, persistence, cluster)
 */
public record MeshHubSettings(
    DatabaseSettings database,
    ClusterSettings cluster,
    MqttSettings mqtt,
    IngestSettings ingest,
    ApiSettings api,
    ApiKeys keys,
    Cors cors,
    MeshHubNode.Entities entities,
    ReadSideSettings readSide,
    DashboardSettings dashboard,
    int poolSize,
    Optional<Demo> demo,
    Config config) {

  /** {@code serve --demo}: receptions per second, and nodes besides the observers. */
  public record Demo(double rate, int nodes) {}

  public MeshHubSettings {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(demo, "demo");
    Objects.requireNonNull(config, "config");
  }

  public static MeshHubSettings load(Env env) {
    return load(env, Optional.empty());
  }

  public static MeshHubSettings load(Env env, Optional<Demo> demo) {
    DatabaseSettings database = DatabaseSettings.fromEnv(env);
    ApiSettings api = ApiSettings.fromEnv(env);
    ClusterSettings cluster = ClusterSettings.fromEnv(env, database.dialect());
    // The demo needs no broker: unless MQTT_ENABLED says otherwise, serve --demo runs without MQTT.
    MqttSettings mqtt = MqttSettings.fromEnv(demo.isPresent() && env.get(MqttSettings.MQTT_ENABLED).isEmpty()
        ? env.with(MqttSettings.MQTT_ENABLED, "false") : env, database, cluster);
    ApiKeys keys = ApiKeys.fromEnv(env);
    Cors cors = Cors.fromEnv(env);
    int poolSize = ReadSide.poolSize(database.dialect());
    Config config = MeshHubNode.config(database, cluster, ReadSide.config(poolSize));
    return new MeshHubSettings(database, cluster, mqtt, IngestSettings.from(env, config), api, keys, cors,
        MeshHubNode.Entities.fromConfig(config), ReadSideSettings.fromConfig(config), DashboardSettings.fromEnv(env),
        poolSize, demo, config);
  }
}
