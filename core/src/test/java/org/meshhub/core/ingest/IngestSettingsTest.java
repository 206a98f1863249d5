package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.db.DatabaseSettings;

class IngestSettingsTest {
  static final Config CONFIG = ConfigFactory.load();
  static final ClusterSettings LOCAL = ClusterSettings.local();
  static final DatabaseSettings DB = DatabaseSettings.fromEnv(Env.of(Map.of("DATA_HOME", "/tmp/mh-a")));

  @Test
  void channelKeysAddToThePublicChannel() {
    IngestSettings settings = IngestSettings.from(Env.of(Map.of("CHANNEL_KEYS",
        "#bot, secret=9cd8fcf22a47333b591d96a2b848b73f")), CONFIG);
    assertEquals(3, settings.channelKeys().size());
    assertEquals("Public", settings.channelKeys().all().get(0).name());
    assertEquals(10_000, settings.rejectedRetentionRows());
    assertEquals(Duration.ofDays(30), settings.rejectedRetentionAge());
    assertEquals(Duration.ofSeconds(30), settings.askTimeout(), "meshhub.ingest.ask-timeout of reference.conf");
  }

  @Test
  void aBadChannelKeyNamesTheVariableButNotTheKey() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> IngestSettings.from(Env.of(Map.of("CHANNEL_KEYS", "ops=9cd8fcf22a47333b591d96a2b848")), CONFIG));
    assertEquals("CHANNEL_KEYS", e.variable());
    assertFalse(e.getMessage().contains("9cd8fcf22a47333b591d96a2b848"), e.getMessage());
    assertEquals("REJECTED_RETENTION", assertThrows(SettingsException.class,
        () -> IngestSettings.from(Env.of(Map.of("REJECTED_RETENTION", "0")), CONFIG)).variable());
  }

  @Test
  void mqttDefaultsAndAPasswordThatNeverShows() {
    MqttSettings defaults = MqttSettings.fromEnv(Env.of(Map.of()), DB, LOCAL);
    assertTrue(defaults.enabled());
    assertEquals("tcp://localhost:1883", defaults.serverUri());
    assertEquals("meshcore", defaults.prefix());
    assertEquals(30, defaults.keepAliveSeconds());
    assertTrue(defaults.clientId().startsWith("meshhub-"), defaults.clientId());

    MqttSettings secured = MqttSettings.fromEnv(Env.of(Map.of("MQTT_USERNAME", "hub", "MQTT_PASSWORD", "s3cret-pw",
        "MQTT_TLS", "true", "MQTT_PORT", "8883")), DB, LOCAL);
    assertEquals("ssl://localhost:8883", secured.serverUri());
    assertFalse(secured.toString().contains("s3cret-pw"), secured.toString());
  }

  @Test
  void theDefaultClientIdIsStablePerDatabaseAndDiffersBetweenInstances() {
    DatabaseSettings other = DatabaseSettings.fromEnv(Env.of(Map.of("DATA_HOME", "/tmp/mh-b")));
    String a = MqttSettings.fromEnv(Env.of(Map.of()), DB, LOCAL).clientId();
    assertEquals(a, MqttSettings.fromEnv(Env.of(Map.of()), DB, LOCAL).clientId());
    assertNotEquals(a, MqttSettings.fromEnv(Env.of(Map.of()), other, LOCAL).clientId());
    assertEquals("fixed-id", MqttSettings.fromEnv(Env.of(Map.of("MQTT_CLIENT_ID", "fixed-id")), DB, LOCAL).clientId());
  }

  @Test
  void badMqttSettingsNameTheirVariable() {
    Map<String, Map<String, String>> cases = Map.of(
        "MQTT_PREFIX", Map.of("MQTT_PREFIX", "mesh/#"),
        "MQTT_PORT", Map.of("MQTT_PORT", "0"),
        "MQTT_TLS", Map.of("MQTT_TLS", "maybe"),
        "MQTT_PASSWORD", Map.of("MQTT_PASSWORD", "alone"),
        "MQTT_CLIENT_ID", Map.of("MQTT_CLIENT_ID", "has space"),
        "MQTT_KEEPALIVE", Map.of("MQTT_KEEPALIVE", "0"),
        "MQTT_ENABLED", Map.of("MQTT_ENABLED", "perhaps"),
        "MQTT_SHARED_GROUP", Map.of("MQTT_SHARED_GROUP", "a/b"),
        "MQTT_SHARED_SUBSCRIPTION", Map.of("MQTT_SHARED_SUBSCRIPTION", "sometimes"));
    cases.forEach((variable, env) -> {
      SettingsException e = assertThrows(SettingsException.class, () -> MqttSettings.fromEnv(Env.of(env), DB, LOCAL));
      assertEquals(variable, e.variable());
      assertFalse(e.getMessage().contains("alone"), e.getMessage());
    });
  }

  @Test
  void aSingleNodeSubscribesPlainlyAndAClusteredOneSharesInGroupMeshhub() {
    MqttSettings single = MqttSettings.fromEnv(Env.of(Map.of()), DB, LOCAL);
    assertTrue(single.sharedGroup().isEmpty());
    assertEquals("meshcore/+/+/packets", single.subscriptions()[0]);

    MqttSettings member = MqttSettings.fromEnv(Env.of(Map.of()), DB, member("10.0.0.5"));
    assertEquals("meshhub", member.sharedGroup().orElseThrow());
    for (String topic : member.subscriptions()) {
      assertTrue(topic.startsWith("$share/meshhub/meshcore/"), topic);
    }
    assertEquals("meshcore/+/+/packets", member.otherSubscriptions()[0], "a member drops its plain form");
    assertEquals("$share/meshhub/meshcore/+/+/packets", single.otherSubscriptions()[0],
        "a single node drops the shared form");
  }

  @Test
  void theSharedSubscriptionCanBeForcedEitherWayAndItsGroupChosen() {
    assertTrue(MqttSettings.fromEnv(Env.of(Map.of("MQTT_SHARED_SUBSCRIPTION", "true")), DB, LOCAL)
        .sharedGroup().isPresent());
    assertTrue(MqttSettings.fromEnv(Env.of(Map.of("MQTT_SHARED_SUBSCRIPTION", "false")), DB, member("10.0.0.5"))
        .sharedGroup().isEmpty());
    assertEquals("collectors", MqttSettings.fromEnv(Env.of(Map.of("MQTT_SHARED_SUBSCRIPTION", "auto",
        "MQTT_SHARED_GROUP", "collectors")), DB, member("10.0.0.5")).sharedGroup().orElseThrow());
  }

  @Test
  void membersOfOneClusterOnOneHostNameGetDifferentClientIdsThatSurviveRestarts() {
    String a = MqttSettings.fromEnv(Env.of(Map.of()), DB, member("10.0.0.5")).clientId();
    String b = MqttSettings.fromEnv(Env.of(Map.of()), DB, member("10.0.0.6")).clientId();
    assertNotEquals(a, b);
    assertEquals(a, MqttSettings.fromEnv(Env.of(Map.of()), DB, member("10.0.0.5")).clientId());
    assertTrue(a.startsWith("meshhub-10.0.0.5-2552-"), a);
  }

  private static ClusterSettings member(String host) {
    return ClusterSettings.fromEnv(Env.of(Map.of("CLUSTER_HOST", host, "CLUSTER_PORT", "2552",
        "CLUSTER_SEED_NODES", "10.0.0.5:2552,10.0.0.6:2552")), org.meshhub.core.db.Dialect.POSTGRESQL);
  }
}
