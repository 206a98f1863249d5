package org.meshhub.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Dialect;

/**
 * Where this node listens for other cluster members and whom it joins. Unset, a node binds 127.0.0.1 on a free port
 * and joins itself, so several instances can run side by side on one host.
 *
 * @param host CLUSTER_HOST
 * @param port CLUSTER_PORT (0 = any free port)
 * @param seedNodes CLUSTER_SEED_NODES as host:port pairs
 */
public record ClusterSettings(String host, int port, List<String> seedNodes) {
  public static final String CLUSTER_HOST = "CLUSTER_HOST";
  public static final String CLUSTER_PORT = "CLUSTER_PORT";
  public static final String CLUSTER_SEED_NODES = "CLUSTER_SEED_NODES";
  public static final String SYSTEM_NAME = "meshhub";

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
  }

  public static ClusterSettings fromEnv(Env env, Dialect dialect) {
    String host = env.get(CLUSTER_HOST, "127.0.0.1");
    int port = env.getInt(CLUSTER_PORT, 0, 0, 65535);
    List<String> seeds = new ArrayList<>();
    for (String s : env.get(CLUSTER_SEED_NODES, "").split(",")) {
      String seed = s.trim();
      if (seed.isEmpty()) {
        continue;
      }
      if (!seed.matches("[A-Za-z0-9._\\-]+:\\d{1,5}")) {
        throw new SettingsException(CLUSTER_SEED_NODES, "entry '" + seed + "' is not host:port");
      }
      seeds.add(seed);
    }
    if (!seeds.isEmpty() && dialect == Dialect.SQLITE) {
      throw new SettingsException(CLUSTER_SEED_NODES,
          "a cluster of more than one node needs PostgreSQL; SQLite is one process on one host");
    }
    if (!seeds.isEmpty() && port == 0) {
      throw new SettingsException(CLUSTER_PORT, "must be set to a fixed port when CLUSTER_SEED_NODES is set");
    }
    return new ClusterSettings(host, port, seeds);
  }

  /** A single node joining itself on a free loopback port. */
  public static ClusterSettings local() {
    return new ClusterSettings("127.0.0.1", 0, List.of());
  }

  public boolean selfJoin() {
    return seedNodes.isEmpty();
  }

  public Config toConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.hostname", host);
    m.put("pekko.remote.artery.canonical.port", port);
    List<String> seeds = new ArrayList<>();
    for (String s : seedNodes) {
      seeds.add("pekko://" + SYSTEM_NAME + "@" + s);
    }
    m.put("pekko.cluster.seed-nodes", seeds);
    return ConfigFactory.parseMap(m, "cluster settings from the environment");
  }
}
