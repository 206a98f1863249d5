package org.meshhub.core.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Dialect;

/**
 * The MQTT source's settings, from the environment.
 *
 * @param enabled {@code MQTT_ENABLED} (default true): false runs MeshHub without a broker (HTTP ingest only)
 * @param host {@code MQTT_HOST} (default {@code localhost})
 * @param port {@code MQTT_PORT} (default 1883)
 * @param username {@code MQTT_USERNAME}, or null
 * @param password {@code MQTT_PASSWORD}, or null; never logged or printed
 * @param prefix {@code MQTT_PREFIX} (default {@code meshcore}): the first topic level(s)
 * @param tls {@code MQTT_TLS} (default false): TLS with the JVM's trust store and host name verification
 * @param clientId {@code MQTT_CLIENT_ID}; default {@code meshhub-<host name>-<8 hex>}, the hex a digest of the
 *     database location, so it is the same on every start (the broker keeps the session, and with it the messages
 *     published while MeshHub was down) and differs between two instances on one host
 * @param keepAliveSeconds {@code MQTT_KEEPALIVE} (default 30): a connection silent for about twice this long is
 *     taken as dead and replaced
 * @param maxInflight {@code MQTT_MAX_INFLIGHT} (default 100): messages being ingested at once; beyond it the source
 *     stops reading from the broker
 * @param sharedGroup the share group when the topics are subscribed as a shared subscription
 *     ({@code $share/<group>/<filter>}), so that the broker hands each message to one member of the group; empty for
 *     plain subscriptions. {@code MQTT_SHARED_SUBSCRIPTION} ({@code auto}: shared when {@code CLUSTER_SEED_NODES} is
 *     set) and {@code MQTT_SHARED_GROUP} (default {@code meshhub})
 */
public record MqttSettings(
    boolean enabled,
    String host,
    int port,
    String username,
    String password,
    String prefix,
    boolean tls,
    String clientId,
    int keepAliveSeconds,
    int maxInflight,
    Optional<String> sharedGroup) {
  public static final String MQTT_ENABLED = "MQTT_ENABLED";
  public static final String MQTT_HOST = "MQTT_HOST";
  public static final String MQTT_PORT = "MQTT_PORT";
  public static final String MQTT_USERNAME = "MQTT_USERNAME";
  public static final String MQTT_PASSWORD = "MQTT_PASSWORD";
  public static final String MQTT_PREFIX = "MQTT_PREFIX";
  public static final String MQTT_TLS = "MQTT_TLS";
  public static final String MQTT_CLIENT_ID = "MQTT_CLIENT_ID";
  public static final String MQTT_KEEPALIVE = "MQTT_KEEPALIVE";
  public static final String MQTT_MAX_INFLIGHT = "MQTT_MAX_INFLIGHT";
  public static final String MQTT_SHARED_SUBSCRIPTION = "MQTT_SHARED_SUBSCRIPTION";
  public static final String MQTT_SHARED_GROUP = "MQTT_SHARED_GROUP";

  public static final String DEFAULT_PREFIX = "meshcore";
  public static final String DEFAULT_SHARED_GROUP = "meshhub";

  private static final Pattern PREFIX = Pattern.compile("[^#+/\\x00]+(/[^#+/\\x00]+)*");
  private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
  /** A share name: MQTT forbids '/', '+' and '#' in it. */
  private static final Pattern SHARE_NAME = Pattern.compile("[\\x21-\\x7E&&[^/+#]]{1,64}");

  public MqttSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("bad prefix");
    }
    if (sharedGroup == null || sharedGroup.filter(g -> !SHARE_NAME.matcher(g).matches()).isPresent()) {
      throw new IllegalArgumentException("bad share group");
    }
  }

  /**
   * The settings of a node with these database and cluster settings: a clustered node shares the subscription with
   * the other members by default, and its default client id names its cluster address, so that it differs from the
   * other members' (on one host too) and stays the same across its restarts.
   */
  public static MqttSettings fromEnv(Env env, DatabaseSettings database, ClusterSettings cluster) {
    boolean enabled = env.getBoolean(MQTT_ENABLED, true);
    String host = env.get(MQTT_HOST, "localhost");
    int port = env.getInt(MQTT_PORT, 1883, 1, 65535);
    String username = env.get(MQTT_USERNAME).orElse(null);
    String password = env.get(MQTT_PASSWORD).orElse(null);
    if (password != null && username == null) {
      throw new SettingsException(MQTT_PASSWORD, "is set but MQTT_USERNAME is not; MQTT sends a password only with"
          + " a user name");
    }
    String prefix = prefix(env);
    boolean tls = env.getBoolean(MQTT_TLS, false);
    String clientId = env.get(MQTT_CLIENT_ID).orElseGet(() -> defaultClientId(database, cluster));
    if (!CLIENT_ID.matcher(clientId).matches()) {
      throw new SettingsException(MQTT_CLIENT_ID, "must be 1 to 128 printable ASCII characters without spaces");
    }
    int keepAlive = env.getInt(MQTT_KEEPALIVE, 30, 1, 65535);
    int maxInflight = env.getInt(MQTT_MAX_INFLIGHT, 100, 1, 65535);
    String group = env.get(MQTT_SHARED_GROUP, DEFAULT_SHARED_GROUP);
    if (!SHARE_NAME.matcher(group).matches()) {
      throw new SettingsException(MQTT_SHARED_GROUP, "must be 1 to 64 printable ASCII characters without spaces, '/',"
          + " '+' or '#', got '" + abbreviate(group) + "'");
    }
    boolean shared = env.get(MQTT_SHARED_SUBSCRIPTION).filter(v -> !v.equalsIgnoreCase("auto")).isPresent()
        ? env.getBoolean(MQTT_SHARED_SUBSCRIPTION, false)
        : cluster.clustered();
    return new MqttSettings(enabled, host, port, username, password, prefix, tls, clientId, keepAlive, maxInflight,
        shared ? Optional.of(group) : Optional.empty());
  }

  /** These settings with a shared subscription in {@code group}. */
  public MqttSettings withSharedGroup(String group) {
    return new MqttSettings(enabled, host, port, username, password, prefix, tls, clientId, keepAliveSeconds,
        maxInflight, Optional.of(group));
  }

  /** The topic filters to subscribe: the feeds under the prefix, each as a shared subscription when shared. */
  public String[] subscriptions() {
    String[] topics = IngestTopic.subscriptions(prefix);
    return sharedGroup.map(group -> shared(group, topics)).orElse(topics);
  }

  /**
   * The filters of the other form (plain when shared, shared when plain): a persistent session keeps its
   * subscriptions, so a node that switched form unsubscribes these, or it would get every message twice.
   */
  public String[] otherSubscriptions() {
    String[] topics = IngestTopic.subscriptions(prefix);
    return sharedGroup.isPresent() ? topics : shared(DEFAULT_SHARED_GROUP, topics);
  }

  private static String[] shared(String group, String[] topics) {
    String[] out = new String[topics.length];
    for (int i = 0; i < topics.length; i++) {
      out[i] = "$share/" + group + "/" + topics[i];
    }
    return out;
  }

  /** {@code MQTT_PREFIX}, checked: the collector and the simulator read it through here. */
  public static String prefix(Env env) {
    String prefix = env.get(MQTT_PREFIX, DEFAULT_PREFIX);
    if (!PREFIX.matcher(prefix).matches()) {
      throw new SettingsException(MQTT_PREFIX, "must be one or more topic levels without '+', '#', empty levels or"
          + " a leading or trailing '/', got '" + abbreviate(prefix) + "'");
    }
    return prefix;
  }

  /** {@code tcp://host:port} or {@code ssl://host:port}. */
  public String serverUri() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return (tls ? "ssl://" : "tcp://") + h + ":" + port;
  }

  /**
   * {@code meshhub-<host name>-<first 8 hex of SHA-256 of the database location>}; a clustered node, whose cluster
   * address is fixed, is {@code meshhub-<cluster host>-<cluster port>-<the same 8 hex>} instead, since the members
   * of one cluster may share a host name (containers, network namespaces) but never a cluster address.
   */
  static String defaultClientId(DatabaseSettings database, ClusterSettings cluster) {
    String location = database.dialect() == Dialect.SQLITE
        ? database.sqliteFile().toAbsolutePath().normalize().toString()
        : database.endpoint() + "/" + database.schema();
    String name;
    if (cluster.clustered()) {
      name = cluster.host() + "-" + cluster.port();
    } else {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "localhost";
      }
    }
    String host = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    if (host.length() > 64) {
      host = host.substring(0, 64);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((database.dialect().id() + "|" + location).getBytes(StandardCharsets.UTF_8));
      return "meshhub-" + host + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "MqttSettings[" + (enabled ? "" : "disabled, ") + serverUri() + ", client " + clientId + ", prefix "
        + prefix + sharedGroup.map(g -> ", shared in group " + g).orElse("")
        + (username == null ? "" : ", user " + username + ", password ***") + "]";
  }
}
