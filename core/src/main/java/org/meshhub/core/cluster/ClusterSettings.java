package org.meshhub.core.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.Dialect;

/**
 * Where this node listens for other cluster members and whom it joins. Unset, a node binds 127.0.0.1 on a free port
 * and joins itself, so several instances can run side by side on one host.
 *
 * @param host CLUSTER_HOST: the address other members reach this node at (advertised)
 * @param bindHost CLUSTER_BIND_HOST: the address the node binds when it differs from the advertised one (behind
 *     NAT, in a container: {@code 0.0.0.0}); empty to bind the advertised one
 * @param port CLUSTER_PORT (0 = any free port)
 * @param seedNodes CLUSTER_SEED_NODES as host:port pairs
 * @param joinTimeout CLUSTER_JOIN_TIMEOUT: a node that is not up in its cluster this long after start gives up
 */
public record ClusterSettings(String host, Optional<String> bindHost, int port, List<String> seedNodes,
    Duration joinTimeout) {
  public static final String CLUSTER_HOST = "CLUSTER_HOST";
  public static final String CLUSTER_BIND_HOST = "CLUSTER_BIND_HOST";
  public static final String CLUSTER_PORT = "CLUSTER_PORT";
  public static final String CLUSTER_SEED_NODES = "CLUSTER_SEED_NODES";
  public static final String CLUSTER_JOIN_TIMEOUT = "CLUSTER_JOIN_TIMEOUT";
  public static final String SYSTEM_NAME = "meshhub";

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]{1,253}");
  private static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(60);

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
  }

  public static ClusterSettings fromEnv(Env env, Dialect dialect) {
    String host = host(env, CLUSTER_HOST).orElse("127.0.0.1");
    Optional<String> bindHost = host(env, CLUSTER_BIND_HOST);
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
    int joinSeconds = env.getInt(CLUSTER_JOIN_TIMEOUT, (int) DEFAULT_JOIN_TIMEOUT.toSeconds(), 5, 3600);
    return new ClusterSettings(host, bindHost, port, seeds, Duration.ofSeconds(joinSeconds));
  }

  private static Optional<String> host(Env env, String variable) {
    Optional<String> value = env.get(variable);
    if (value.isPresent() && !HOST.matcher(value.get()).matches()) {
      throw new SettingsException(variable, "must be a host name or an IPv4 address, got '" + value.get() + "'");
    }
    return value;
  }

  /** A single node joining itself on a free loopback port. */
  public static ClusterSettings local() {
    return new ClusterSettings("127.0.0.1", Optional.empty(), 0, List.of(), DEFAULT_JOIN_TIMEOUT);
  }

  /** A node that joins itself: no seed nodes. */
  public boolean selfJoin() {
    return seedNodes.isEmpty();
  }

  /** A node of a cluster that other nodes may join: seed nodes are set. */
  public boolean clustered() {
    return !seedNodes.isEmpty();
  }

  public Config toConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.hostname", host);
    m.put("pekko.remote.artery.canonical.port", port);
    // The bind port follows the canonical one when unset (also for a free port, 0).
    bindHost.ifPresent(bind -> m.put("pekko.remote.artery.bind.hostname", bind));
    List<String> seeds = new ArrayList<>();
    for (String s : seedNodes) {
      seeds.add("pekko://" + SYSTEM_NAME + "@" + s);
    }
    m.put("pekko.cluster.seed-nodes", seeds);
    return ConfigFactory.parseMap(m, "cluster settings from the environment");
  }
}
