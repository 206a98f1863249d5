package org.meshhub.app.simulate;

import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

/**
 * Where {@code meshhub simulate --target mqtt} publishes: the collector's own MQTT variables, so that one
 * environment serves both.
 *
 * @param host MQTT_HOST (localhost)
 * @param port MQTT_PORT (1883)
 * @param username MQTT_USERNAME, none by default
 * @param password MQTT_PASSWORD, none by default; never printed
 * @param prefix MQTT_PREFIX (meshcore), the first topic level(s)
 * @param tls MQTT_TLS (false): TLS with the JVM's trusted certificates
 */
public record BrokerSettings(String host, int port, String username, String password, String prefix, boolean tls) {
  public static final String MQTT_HOST = "MQTT_HOST";
  public static final String MQTT_PORT = "MQTT_PORT";
  public static final String MQTT_USERNAME = "MQTT_USERNAME";
  public static final String MQTT_PASSWORD = "MQTT_PASSWORD";
  public static final String MQTT_PREFIX = "MQTT_PREFIX";
  public static final String MQTT_TLS = "MQTT_TLS";
  public static final String DEFAULT_PREFIX = "meshcore";

  public static BrokerSettings fromEnv(Env env) {
    String prefix = prefix(env);
    return new BrokerSettings(env.get(MQTT_HOST, "localhost"), env.getInt(MQTT_PORT, 1883, 1, 65535),
        env.get(MQTT_USERNAME).orElse(null), env.get(MQTT_PASSWORD).orElse(null), prefix,
        env.getBoolean(MQTT_TLS, false));
  }

  /** MQTT_PREFIX: topic levels without wildcards or empty levels. */
  public static String prefix(Env env) {
    String prefix = env.get(MQTT_PREFIX, DEFAULT_PREFIX);
    if (!prefix.matches("[^/+#\\s]+(/[^/+#\\s]+)*")) {
      throw new SettingsException(MQTT_PREFIX,
          "must be one or more topic levels without '+', '#', spaces or empty levels, got '" + prefix + "'");
    }
    return prefix;
  }

  /** The Paho server URI. */
  public String uri() {
    return (tls ? "ssl://" : "tcp://") + host + ":" + port;
  }

  /** host:port, for messages. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "BrokerSettings[" + uri() + ", user=" + username + ", password " + (password == null ? "none" : "***")
        + ", prefix=" + prefix + "]";
  }
}
