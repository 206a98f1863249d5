package org.meshhub.app.simulate;

import org.meshhub.core.config.Env;
import org.meshhub.core.ingest.MqttSettings;

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
  /** Reads the collector's own variables, with the collector's checks ({@link MqttSettings}). */
  public static BrokerSettings fromEnv(Env env) {
    return new BrokerSettings(env.get(MqttSettings.MQTT_HOST, "localhost"),
        env.getInt(MqttSettings.MQTT_PORT, 1883, 1, 65535), env.get(MqttSettings.MQTT_USERNAME).orElse(null),
        env.get(MqttSettings.MQTT_PASSWORD).orElse(null), MqttSettings.prefix(env),
        env.getBoolean(MqttSettings.MQTT_TLS, false));
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
