package org.meshhub.core.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The real Mosquitto the MQTT tests run against: {@code MESHHUB_TEST_MQTT_URL}, default {@value #DEFAULT_URL}. Each
 * test class uses a topic prefix and client ids of its own, so that runs never see each other's traffic. A broker
 * that cannot be reached fails the test with a message naming it.
 */
public final class TestMqtt {
  public static final String URL_VARIABLE = "MESHHUB_TEST_MQTT_URL";
  public static final String DEFAULT_URL = "tcp://127.0.0.1:1883";

  private TestMqtt() {}

  public static String serverUri() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url.trim();
  }

  public static String host() {
    return URI.create(serverUri()).getHost();
  }

  public static int port() {
    return URI.create(serverUri()).getPort();
  }

  /** {@code mhtest-<class>-<random>}: a topic prefix no other run uses. */
  public static String uniquePrefix(Class<?> testClass) {
    return "mhtest-" + base(testClass) + "-" + random();
  }

  /** A client id no other run uses. */
  public static String uniqueClientId(Class<?> testClass) {
    return "mhtest-" + base(testClass) + "-" + random();
  }

  /** The MeshHub environment for the test broker with this prefix and client id. */
  public static Map<String, String> env(String prefix, String clientId) {
    return env(host(), port(), prefix, clientId);
  }

  public static Map<String, String> env(String host, int port, String prefix, String clientId) {
    Map<String, String> env = new HashMap<>();
    env.put("MQTT_HOST", host);
    env.put("MQTT_PORT", Integer.toString(port));
    env.put("MQTT_PREFIX", prefix);
    env.put("MQTT_CLIENT_ID", clientId);
    return env;
  }

  /** A connected publisher on a clean session. */
  public static MqttClient publisher(String serverUri) {
    try {
      MqttClient client = new MqttClient(serverUri, "mhtest-pub-" + random(), new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setConnectionTimeout(10);
      options.setMaxInflight(1000);
      client.connect(options);
      return client;
    } catch (MqttException e) {
      throw new AssertionError("Mosquitto is needed for this test but is not reachable at " + serverUri + " (set "
          + URL_VARIABLE + " or start it: mosquitto -d -c /etc/mosquitto/mosquitto.conf): " + e, e);
    }
  }

  public static MqttClient publisher() {
    return publisher(serverUri());
  }

  /** Publishes at QoS 1 and waits for the broker's acknowledgement. */
  public static void publish(MqttClient client, String topic, byte[] payload) {
    try {
      MqttMessage message = new MqttMessage(payload);
      message.setQos(1);
      client.publish(topic, message);
    } catch (MqttException e) {
      throw new AssertionError("publish to " + topic + " failed: " + e, e);
    }
  }

  public static void publish(MqttClient client, String topic, String payload) {
    publish(client, topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Ends a persistent session left on the broker by a test (a clean-session connect discards it). */
  public static void forgetSession(String serverUri, String clientId) {
    try {
      MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setConnectionTimeout(10);
      client.connect(options);
      client.disconnect();
      client.close();
    } catch (MqttException e) {
      // best effort: the broker may be gone (a private one the test stopped)
    }
  }

  public static void disconnect(MqttClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    } catch (MqttException e) {
      // closing anyway
    }
  }

  private static String base(Class<?> testClass) {
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return base.length() > 30 ? base.substring(0, 30) : base;
  }

  private static String random() {
    return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
  }
}
