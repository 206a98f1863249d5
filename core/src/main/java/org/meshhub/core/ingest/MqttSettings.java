package org.meshhub.core.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
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
    int maxInflight) {
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

  public static final String DEFAULT_PREFIX = "meshcore";

  private static final Pattern PREFIX = Pattern.compile("[^#+/\\x00]+(/[^#+/\\x00]+)*");
  private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

  public MqttSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("bad prefix");
    }
  }

  public static MqttSettings fromEnv(Env env, DatabaseSettings database) {
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
    String clientId = env.get(MQTT_CLIENT_ID).orElseGet(() -> defaultClientId(database));
    if (!CLIENT_ID.matcher(clientId).matches()) {
      throw new SettingsException(MQTT_CLIENT_ID, "must be 1 to 128 printable ASCII characters without spaces");
    }
    int keepAlive = env.getInt(MQTT_KEEPALIVE, 30, 1, 65535);
    int maxInflight = env.getInt(MQTT_MAX_INFLIGHT, 100, 1, 65535);
    return new MqttSettings(enabled, host, port, username, password, prefix, tls, clientId, keepAlive, maxInflight);
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

  /** {@code meshhub-<host name>-<first 8 hex of SHA-256 of the database location>}. */
  static String defaultClientId(DatabaseSettings database) {
    String location = database.dialect() == Dialect.SQLITE
        ? database.sqliteFile().toAbsolutePath().normalize().toString()
        : database.endpoint() + "/" + database.schema();
    String hostName;
    try {
      hostName = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      hostName = "localhost";
    }
    String host = hostName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
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
        + prefix + (username == null ? "" : ", user " + username + ", password ***") + "]";
  }
}
