package org.meshhub.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

class DatabaseSettingsTest {
  private static final String SECRET = "s3cr3t-Pa55";

  private static DatabaseSettings parse(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return DatabaseSettings.fromEnv(Env.of(env));
  }

  private static SettingsException bad(String... kv) {
    return assertThrows(SettingsException.class, () -> parse(kv));
  }

  @Test
  void defaultsToSqliteFileUnderDataHome() {
    DatabaseSettings s = parse();
    assertEquals(Dialect.SQLITE, s.dialect());
    assertEquals(Path.of("data/meshhub.db").toAbsolutePath().normalize(), s.sqliteFile());
    assertEquals("meshhub", s.schema());
    assertEquals(60, s.connectTimeout().toSeconds());
    assertTrue(s.jdbcUrl().contains("journal_mode=WAL"));
    assertTrue(s.jdbcUrl().contains("synchronous=NORMAL"));
    assertTrue(s.jdbcUrl().contains("busy_timeout=30000"));
  }

  @Test
  void dataHomeMovesTheSqliteFile() {
    assertEquals(Path.of("/srv/mesh/meshhub.db"), parse("DATA_HOME", "/srv/mesh").sqliteFile());
  }

  @Test
  void postgresFromParts() {
    DatabaseSettings s = parse("DATABASE_BACKEND", "postgres", "DATABASE_HOST", "db.local", "DATABASE_PORT", "6543",
        "DATABASE_NAME", "mesh", "DATABASE_USER", "collector", "DATABASE_PASSWORD", SECRET,
        "DATABASE_SCHEMA", "staging");
    assertEquals(Dialect.POSTGRESQL, s.dialect());
    assertEquals("jdbc:postgresql://db.local:6543/mesh?currentSchema=staging&ApplicationName=meshhub"
        + "&reWriteBatchedInserts=true&options=-c+idle_in_transaction_session_timeout%3D60000+-c+tcp_keepalives_idle"
        + "%3D30+-c+tcp_keepalives_interval%3D10+-c+tcp_keepalives_count%3D3", s.jdbcUrl());
    assertEquals("collector", s.user());
    assertEquals(SECRET, s.password());
  }

  @Test
  void postgresDefaultsFollowTheDesign() {
    DatabaseSettings s = parse("DATABASE_BACKEND", "postgres", "DATABASE_PASSWORD", SECRET);
    assertEquals("postgres", s.host());
    assertEquals(5432, s.port());
    assertEquals("meshhub", s.database());
    assertEquals("meshhub", s.user());
    assertEquals("meshhub", s.schema());
  }

  @Test
  void acceptsEveryPostgresUrlForm() {
    for (String scheme : new String[] {"postgresql", "postgres", "postgresql+psycopg2", "postgresql+asyncpg"}) {
      DatabaseSettings s = parse("DATABASE_BACKEND", "postgres",
          "DATABASE_URL", scheme + "://hub:" + SECRET + "@pg.example:5433/meshdb?sslmode=require");
      assertEquals("pg.example", s.host(), scheme);
      assertEquals(5433, s.port(), scheme);
      assertEquals("meshdb", s.database(), scheme);
      assertEquals("hub", s.user(), scheme);
      assertEquals(SECRET, s.password(), scheme);
      assertEquals("require", s.jdbcParameters().get("sslmode"), scheme);
    }
    DatabaseSettings jdbc = parse("DATABASE_BACKEND", "postgres",
        "DATABASE_URL", "jdbc:postgresql://10.0.0.5:5432/mesh?user=hub&password=" + SECRET + "&ssl=true");
    assertEquals("10.0.0.5", jdbc.host());
    assertEquals("hub", jdbc.user());
    assertEquals(SECRET, jdbc.password());
    assertEquals("true", jdbc.jdbcParameters().get("ssl"));
  }

  @Test
  void percentEncodedPasswordsAreDecoded() {
    DatabaseSettings s = parse("DATABASE_BACKEND", "postgres",
        "DATABASE_URL", "postgresql://hub:p%40ss%3Aword@h/db");
    assertEquals("p@ss:word", s.password());
  }

  @Test
  void passwordFromTheVariableFillsAUrlWithoutOne() {
    DatabaseSettings s = parse("DATABASE_BACKEND", "postgres", "DATABASE_URL", "postgresql://hub@h:5432/db",
        "DATABASE_PASSWORD", SECRET);
    assertEquals(SECRET, s.password());
  }

  @Test
  void acceptsSqliteUrlForms() {
    assertEquals(Path.of("/var/lib/mesh/hub.db"), parse("DATABASE_URL", "sqlite:////var/lib/mesh/hub.db").sqliteFile());
    assertEquals(Path.of("rel/hub.db").toAbsolutePath().normalize(),
        parse("DATABASE_URL", "sqlite:///rel/hub.db").sqliteFile());
    assertEquals(Path.of("/tmp/x.db"), parse("DATABASE_URL", "jdbc:sqlite:/tmp/x.db?foo=bar").sqliteFile());
  }

  @Test
  void passwordNeverAppearsInPrintableForms() {
    DatabaseSettings s = parse("DATABASE_BACKEND", "postgres", "DATABASE_URL",
        "postgresql://hub:" + SECRET + "@h:5432/db");
    assertFalse(s.toString().contains(SECRET));
    assertFalse(s.displayLocation().contains(SECRET));
    assertFalse(s.jdbcUrl().contains(SECRET));
    assertFalse(s.endpoint().contains(SECRET));
    assertTrue(s.displayLocation().contains("***"));
  }

  @Test
  void postgresWithoutPasswordNamesTheVariable() {
    SettingsException e = bad("DATABASE_BACKEND", "postgres");
    assertEquals("DATABASE_PASSWORD", e.variable());
    assertTrue(e.getMessage().startsWith("DATABASE_PASSWORD: "));
  }

  @Test
  void unknownBackendNamesTheVariable() {
    SettingsException e = bad("DATABASE_BACKEND", "oracle");
    assertEquals("DATABASE_BACKEND", e.variable());
    assertTrue(e.getMessage().contains("oracle"));
  }

  @Test
  void invalidSchemaNamesTheVariable() {
    for (String schema : new String[] {"Prod", "1abc", "a-b", "drop table x;", "x".repeat(64)}) {
      SettingsException e = bad("DATABASE_SCHEMA", schema);
      assertEquals("DATABASE_SCHEMA", e.variable(), schema);
    }
    assertEquals("a".repeat(63), parse("DATABASE_SCHEMA", "a".repeat(63)).schema());
  }

  @Test
  void postgresUrlWithoutPostgresBackendIsNotSilentlyIgnored() {
    SettingsException e = bad("DATABASE_URL", "postgresql://hub:" + SECRET + "@h/db");
    assertEquals("DATABASE_URL", e.variable());
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void unsupportedUrlIsRefusedWithoutEchoingIt() {
    SettingsException e = bad("DATABASE_BACKEND", "postgres", "DATABASE_URL", "mysql://u:" + SECRET + "@h/db");
    assertEquals("DATABASE_URL", e.variable());
    assertFalse(e.getMessage().contains(SECRET));
    assertEquals("DATABASE_URL", bad("DATABASE_URL", "sqlite://").variable());
  }

  @Test
  void badPortAndTimeoutNameTheirVariables() {
    assertEquals("DATABASE_PORT", bad("DATABASE_BACKEND", "postgres", "DATABASE_PASSWORD", "x",
        "DATABASE_PORT", "abc").variable());
    assertEquals("DATABASE_CONNECT_TIMEOUT", bad("DATABASE_CONNECT_TIMEOUT", "-1").variable());
  }

  @Test
  void unwritableDataHomeNamesTheVariable(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    DatabaseSettings s = parse("DATA_HOME", file.resolve("sub").toString());
    SettingsException e = assertThrows(SettingsException.class,
        () -> Database.open(s, Database.Access.EXCLUSIVE, 1));
    assertEquals("DATA_HOME", e.variable());
  }
}
