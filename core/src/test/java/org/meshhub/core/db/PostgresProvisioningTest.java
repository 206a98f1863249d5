package org.meshhub.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.config.Env;
import org.meshhub.core.testing.TestDatabases;

/**
 * The provisioning script of docs/database.md, run twice against the real server, leaves a role that is neither
 * superuser nor database creator and that can still run MeshHub: CREATE on its database is all it needs.
 */
class PostgresProvisioningTest {
  private static final String SUFFIX = Long.toHexString(System.nanoTime() & 0xffffff);
  private static final String DB = "mh_prov_db_" + SUFFIX;
  private static final String ROLE = "mh_prov_role_" + SUFFIX;
  private static final String PASSWORD = "prov-pw-" + SUFFIX;

  @AfterAll
  static void cleanUp() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + DB);
      st.execute("DROP ROLE IF EXISTS " + ROLE);
    }
  }

  private static String runScript() throws Exception {
    DatabaseSettings admin = DatabaseSettings.postgres(Env.of(Map.of("DATABASE_URL", TestDatabases.postgresUrl(),
        "DATABASE_PASSWORD", "unused-by-trust-auth")));
    Path script = Path.of("..", "deploy", "postgres", "provision.sh").toAbsolutePath().normalize();
    assertTrue(Files.isExecutable(script), script + " must exist and be executable");
    ProcessBuilder pb = new ProcessBuilder(script.toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("PGHOST", admin.host());
    env.put("PGPORT", Integer.toString(admin.port()));
    env.put("PGUSER", admin.user());
    env.put("PROVISION_ADMIN_DB", admin.database());
    env.put("DATABASE_NAME", DB);
    env.put("DATABASE_USER", ROLE);
    env.put("DATABASE_PASSWORD", PASSWORD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "provision.sh did not finish");
    assertEquals(0, p.exitValue(), "provision.sh failed (it needs psql on the PATH): " + out);
    return out;
  }

  @Test
  void provisioningTwiceLeavesAnUnprivilegedRoleThatCanRunMeshHub() throws Exception {
    runScript();
    String second = runScript();
    assertFalse(second.contains(PASSWORD), "the password is never printed");
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = '"
            + ROLE + "'")) {
      assertTrue(rs.next(), "role created");
      assertFalse(rs.getBoolean(1) || rs.getBoolean(2) || rs.getBoolean(3), "no admin rights");
    }
    DatabaseSettings admin = DatabaseSettings.postgres(Env.of(Map.of("DATABASE_URL", TestDatabases.postgresUrl(),
        "DATABASE_PASSWORD", "x")));
    DatabaseSettings asRole = DatabaseSettings.postgres(Env.of(Map.of(
        "DATABASE_HOST", admin.host(), "DATABASE_PORT", Integer.toString(admin.port()), "DATABASE_NAME", DB,
        "DATABASE_USER", ROLE, "DATABASE_PASSWORD", PASSWORD, "DATABASE_SCHEMA", "meshhub")));
    try (Database db = Storage.prepare(asRole, 1)) {
      assertTrue(DbStatus.read(db).initialized());
    }
  }
}
