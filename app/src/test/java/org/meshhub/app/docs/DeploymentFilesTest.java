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
  void composeHasMeshhubAlwaysAndPostgresAndMosquittoBehindProfiles() throws Exception {
    JsonNode services = compose().get("services");
    assertNotNull(services.get("meshhub"));
    assertTrue(services.get("meshhub").path("profiles").isMissingNode(), "meshhub runs without a profile");
    assertEquals("postgres", services.get("postgres").get("profiles").get(0).asText());
    assertEquals("mqtt", services.get("mosquitto").get("profiles").get(0).asText());
    // meshhub must start without the optional services.
    for (String dep : List.of("postgres", "mosquitto")) {
      assertFalse(services.get("meshhub").get("depends_on").get(dep).get("required").asBoolean(true),
          dep + " must be an optional dependency");
    }
  }

  @Test
  void theClusterProfileRunsTwoCollectorsOnTheBundledPostgresAndBrokerAsTheDocsSay() throws Exception {
    JsonNode services = compose().get("services");
    for (String dependency : List.of("postgres", "mosquitto")) {
      List<String> profiles = new ArrayList<>();
      services.get(dependency).get("profiles").forEach(p -> profiles.add(p.asText()));
      assertTrue(profiles.contains("cluster"), dependency + " runs with the cluster profile: " + profiles);
    }
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
      assertTrue(collector.get("depends_on").has("mosquitto"));
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
