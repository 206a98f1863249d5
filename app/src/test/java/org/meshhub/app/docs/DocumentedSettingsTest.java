package org.meshhub.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The environment variables the code reads and the ones the docs promise are the same set: each variable the code
 * reads appears in .env.example and in the README or docs/, and each variable in .env.example is read by the code.
 */
class DocumentedSettingsTest {
  /** Variable names are constants whose value is their own name: {@code String API_PORT = "API_PORT";}. */
  private static final Pattern CONSTANT =
      Pattern.compile("static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]+)\\s*=\\s*\"\\1\"\\s*;");
  /** Variables read directly by name: {@code env.get("X")}, {@code System.getenv("X")}, {@code ${X:-default}}. */
  private static final Pattern DIRECT = Pattern.compile(
      "(?:getenv|\\.get|getInt|getBoolean)\\(\\s*\"([A-Z][A-Z0-9_]+)\"|\\$\\{([A-Z][A-Z0-9_]+)(?::-|})");
  private static final Pattern EXAMPLE_LINE = Pattern.compile("(?m)^#?\\s?([A-Z][A-Z0-9_]+)=");
  /** Read by code but meant only for the test suite or the launcher; documented in AGENTS.md / README. */
  private static final Set<String> NOT_SETTINGS = Set.of("MESHHUB_TEST_DATABASE_URL");

  static Set<String> readByCode() throws IOException {
    Set<String> vars = new TreeSet<>();
    List<Path> sources = ProjectFiles.files(List.of("core/src/main", "projections/src/main", "migration/src/main",
        "app/src/main"), ".java", ".xml", ".conf");
    for (Path p : sources) {
      String text = Files.readString(p);
      Matcher m = CONSTANT.matcher(text);
      while (m.find()) {
        vars.add(m.group(1));
      }
      Matcher d = DIRECT.matcher(text);
      while (d.find()) {
        vars.add(d.group(1) != null ? d.group(1) : d.group(2));
      }
    }
    Matcher launcher = Pattern.compile("\\$\\{(MESHHUB_[A-Z_]+):-").matcher(ProjectFiles.read("bin/meshhub"));
    while (launcher.find()) {
      vars.add(launcher.group(1));
    }
    vars.removeAll(NOT_SETTINGS);
    return vars;
  }

  static Set<String> inEnvExample() {
    Set<String> vars = new TreeSet<>();
    Matcher m = EXAMPLE_LINE.matcher(ProjectFiles.read(".env.example"));
    while (m.find()) {
      vars.add(m.group(1));
    }
    return vars;
  }

  static String allDocs() throws IOException {
    StringBuilder sb = new StringBuilder(ProjectFiles.read("README.md"));
    for (Path p : ProjectFiles.files(List.of("docs"), ".md")) {
      sb.append(Files.readString(p));
    }
    return sb.toString();
  }

  @Test
  void theScanFindsTheKnownVariables() throws IOException {
    Set<String> code = readByCode();
    for (String known : List.of("DATABASE_URL", "DATABASE_SCHEMA", "DATA_HOME", "API_PORT", "API_ADMIN_KEY",
        "CLUSTER_SEED_NODES", "MESHHUB_LOG_LEVEL")) {
      assertTrue(code.contains(known), known + " should be found in the code: " + code);
    }
  }

  @Test
  void everyVariableTheCodeReadsIsInEnvExample() throws IOException {
    Set<String> missing = new TreeSet<>(readByCode());
    missing.removeAll(inEnvExample());
    missing.remove("MESHHUB_JAVA_OPTS");
    assertEquals(Set.of(), missing, "read by the code but missing from .env.example");
  }

  @Test
  void everyVariableTheCodeReadsIsInTheDocs() throws IOException {
    String docs = allDocs();
    Set<String> missing = new TreeSet<>();
    for (String v : readByCode()) {
      if (!docs.contains(v)) {
        missing.add(v);
      }
    }
    assertEquals(Set.of(), missing, "read by the code but not mentioned in README.md or docs/");
  }

  @Test
  void everyVariableInEnvExampleIsReadByTheCode() throws IOException {
    Set<String> extra = new TreeSet<>(inEnvExample());
    extra.removeAll(readByCode());
    assertEquals(Set.of(), extra, "documented in .env.example but read by nothing");
  }

  @Test
  void noRealLookingSecretInEnvExample() {
    Matcher m = Pattern.compile("(?m)^(\\w*(PASSWORD|KEY)\\w*)=(.+)$").matcher(ProjectFiles.read(".env.example"));
    assertFalse(m.find(), "secrets in .env.example must stay commented out and empty");
  }
}
