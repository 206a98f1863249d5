package org.meshhub.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No Docker engine runs on the test machines, so the compose file and the Dockerfile are checked by structure. */
class DeploymentFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode compose() throws Exception {
    return YAML.readTree(ProjectFiles.read("docker-compose.yml"));
  }

  @Test
  void theDefaultComposeRunsMeshhubWithItsBrokerAndPostgresBehindAProfile() throws Exception {
    JsonNode services = compose().get("services");
    assertNotNull(services.get("meshhub"));
    assertTrue(services.get("meshhub").path("profiles").isMissingNode(), "meshhub runs without a profile");
    assertTrue(services.get("mosquitto").path("profiles").isMissingNode(),
        "the broker MQTT_HOST points at by default runs by default too");
    assertTrue(services.get("meshhub").get("environment").get("MQTT_HOST").asText().contains(":-mosquitto}"));
    assertEquals("postgres", services.get("postgres").get("profiles").get(0).asText());
    assertFalse(services.get("meshhub").get("depends_on").get("postgres").get("required").asBoolean(true),
        "postgres must be an optional dependency");
    assertTrue(services.get("meshhub").get("depends_on").path("mosquitto").isMissingNode(),
        "meshhub starts without the bundled broker (a broker elsewhere: --scale mosquitto=0)");
  }

  @Test
  void theHealthCheckIsReadinessNotJustLiveness() throws Exception {
    String test = compose().get("services").get("meshhub").get("healthcheck").get("test").toString();
    assertTrue(test.contains("/health/ready"), test);
    assertTrue(test.contains("$${API_PORT}"), "the container's own API_PORT, not one interpolated by compose");
    assertTrue(ProjectFiles.read("Dockerfile").contains("GET /health/ready"));
  }

  @Test
  void envExampleLeavesMqttHostToTheDefaultsSoThatACopiedEnvWorksInCompose() {
    assertFalse(ProjectFiles.read(".env.example").matches("(?s).*\\nMQTT_HOST=.*"),
        "an uncommented MQTT_HOST=localhost would point the container at itself");
  }

  @Test
  void theGrafanaDashboardIsJsonWithPanelsOnPrometheusQueries() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(ProjectFiles.read("deploy/grafana/meshhub.json"));
    assertEquals("MeshHub", dashboard.get("title").asText());
    assertTrue(dashboard.get("panels").size() >= 8);
    dashboard.get("panels").forEach(p -> assertTrue(p.get("targets").get(0).get("expr").asText()
        .contains("meshhub_"), p.get("title").asText()));
  }

  @Test
  void theClusterProfileRunsTwoCollectorsOnTheBundledPostgresAndBrokerAsTheDocsSay() throws Exception {
    JsonNode services = compose().get("services");
    List<String> postgresProfiles = new ArrayList<>();
    services.get("postgres").get("profiles").forEach(p -> postgresProfiles.add(p.asText()));
    assertTrue(postgresProfiles.contains("cluster"), "PostgreSQL runs with the cluster profile: " + postgresProfiles);
    assertTrue(services.get("mosquitto").path("profiles").isMissingNode(), "the broker runs in every profile");
    List<String> seeds = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (String name : List.of("collector-1", "collector-2")) {
      JsonNode collector = services.get(name);
      assertNotNull(collector, name);
      assertEquals("cluster", collector.get("profiles").get(0).asText());
      JsonNode env = collector.get("environment");
      assertEquals("postgres", env.get("DATABASE_BACKEND").asText(), name + ": a cluster needs PostgreSQL");
      assertEquals("postgres", env.get("DATABASE_HOST").asText());
      assertEquals("mosquitto", env.get("MQTT_HOST").asText());
      assertEquals(name, env.get("CLUSTER_HOST").asText(), name + " advertises its service name");
      assertEquals("0.0.0.0", env.get("CLUSTER_BIND_HOST").asText());
      assertEquals("2552", env.get("CLUSTER_PORT").asText());
      assertFalse(env.has("MQTT_CLIENT_ID"), name + ": each member's default client id is its own");
      seeds.add(env.get("CLUSTER_SEED_NODES").asText());
      ports.add(collector.get("ports").get(0).asText());
      assertEquals("service_healthy", collector.get("depends_on").get("postgres").get("condition").asText());
      assertTrue(collector.get("healthcheck").get("test").toString().contains("/health/ready"), name);
      assertEquals("unless-stopped", collector.get("restart").asText(), name + ": a downed member is restarted");
    }
    assertEquals(seeds.get(0), seeds.get(1), "both members list the same seed nodes");
    assertEquals("collector-1:2552,collector-2:2552", seeds.get(0));
    assertEquals(List.of("8001:8000", "8002:8000"), ports);
    String docs = ProjectFiles.read("docs/cluster.md");
    assertTrue(docs.contains("docker compose --profile cluster up -d collector-1 collector-2"), "the docs' command");
  }

  @Test
  void postgresCredentialsComeFromTheDatabaseVariables() throws Exception {
    JsonNode pg = compose().get("services").get("postgres");
    JsonNode env = pg.get("environment");
    assertTrue(env.get("POSTGRES_PASSWORD").asText().contains("${DATABASE_PASSWORD"));
    assertTrue(env.get("DATABASE_USER").asText().contains("${DATABASE_USER"));
    assertTrue(env.get("DATABASE_NAME").asText().contains("${DATABASE_NAME"));
    assertTrue(pg.get("healthcheck").get("test").toString().contains("pg_isready"));
    List<String> volumes = new ArrayList<>();
    pg.get("volumes").forEach(v -> volumes.add(v.asText()));
    assertTrue(volumes.stream().anyMatch(v -> v.startsWith("postgres-data:")), "named volume");
    assertTrue(volumes.stream().anyMatch(v -> v.contains("provision.sh:/docker-entrypoint-initdb.d/")),
        "provisioning script mounted");
    assertNotNull(compose().get("volumes").get("postgres-data"));
  }

  @Test
  void everyFileTheComposeFileMountsExists() throws Exception {
    JsonNode services = compose().get("services");
    services.fields().forEachRemaining(service -> service.getValue().path("volumes").forEach(v -> {
      String spec = v.asText();
      if (spec.startsWith("./")) {
        String host = spec.substring(0, spec.indexOf(':'));
        assertTrue(Files.exists(ProjectFiles.ROOT.resolve(host)), service.getKey() + " mounts missing " + host);
      }
    }));
  }

  @Test
  void mosquittoKeepsEveryQueuedMessageForAnOfflineCollector() {
    String conf = ProjectFiles.read("deploy/mosquitto/mosquitto.conf");
    assertTrue(conf.contains("max_queued_messages 0"));
    assertTrue(conf.contains("persistence true"));
  }

  @Test
  void dockerfileBuildsInOneStageAndRunsAsANonRootUserWithAHealthCheck() {
    String dockerfile = ProjectFiles.read("Dockerfile");
    assertTrue(dockerfile.matches("(?s).*FROM maven:\\S+ AS build.*FROM eclipse-temurin:17-jre.*"), "multi-stage");
    assertTrue(dockerfile.contains("USER meshhub"));
    assertTrue(dockerfile.contains("HEALTHCHECK"));
    assertTrue(dockerfile.contains("COPY --from=build /src/app/target/meshhub.jar"));
  }
}
