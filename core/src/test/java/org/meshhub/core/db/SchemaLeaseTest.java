package org.meshhub.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.testing.TestDatabases;

/** The schema lease on PostgreSQL: who may take it, who is refused, and the schema version it guards. */
class SchemaLeaseTest {
  private static final String SCHEMA = TestDatabases.uniqueSchema(SchemaLeaseTest.class);
  private static final int LATEST = SchemaMigrations.latestVersion(Dialect.POSTGRESQL);
  /** A pid no process has on this host (above the kernel's limit). */
  private static final long GONE_PID = 99_999_999L;
  private static Database db;
  private static SchemaLease lease;

  @BeforeAll
  static void open() {
    db = Storage.prepare(DatabaseSettings.fromEnv(TestDatabases.postgresEnv(SCHEMA)), 2);
    lease = new SchemaLease(db);
  }

  @AfterAll
  static void close() {
    db.close();
    TestDatabases.dropSchema(SCHEMA);
  }

  @AfterEach
  void clear() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("DELETE FROM " + SchemaLease.TABLE);
    }
  }

  private static SchemaLease.Claimant node(String address, String... members) {
    return SchemaLease.Claimant.self(address, LATEST, Set.of(members));
  }

  /** A lease row as another host's process left it, its heartbeat {@code ageSeconds} old. */
  private static void heldElsewhere(String holder, String host, long pid, int version, String members,
      int ageSeconds) throws Exception {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
        + SchemaLease.TABLE + " (name, holder, host, pid, schema_version, members, since, heartbeat_at)"
        + " VALUES ('writer', ?, ?, ?, ?, ?, now() - interval '1 hour', now() - ?::interval)")) {
      ps.setString(1, holder);
      ps.setString(2, host);
      ps.setLong(3, pid);
      ps.setInt(4, version);
      ps.setString(5, members);
      ps.setString(6, ageSeconds + " seconds");
      ps.executeUpdate();
    }
  }

  @Test
  void aFreeLeaseIsTakenRenewedAndReleased() throws Exception {
    SchemaLease.Claimant a = node("10.0.0.1:2552", "10.0.0.1:2552");
    SchemaLease.Outcome outcome = lease.acquire(a, held -> false);
    assertInstanceOf(SchemaLease.Held.class, outcome);
    assertEquals("10.0.0.1:2552", outcome.lease().holder());
    assertEquals(LATEST, outcome.lease().schemaVersion());
    assertFalse(outcome.lease().heldByAnother(), "the holder is this very process: " + outcome.lease());
    assertTrue(lease.heartbeat(node("10.0.0.1:2552", "10.0.0.1:2552", "10.0.0.2:2552")));
    assertEquals(Set.of("10.0.0.1:2552", "10.0.0.2:2552"), lease.read().orElseThrow().members());
    lease.release(a);
    assertTrue(lease.read().isEmpty());
  }

  @Test
  void aLiveLeaseOfAnotherHostIsRefusedNamingItsHolder() throws Exception {
    heldElsewhere("10.9.9.9:2552", "other-host", 4242, LATEST, "10.9.9.9:2552", 2);
    SchemaLease.Outcome outcome = lease.acquire(node("10.0.0.1:2552", "10.0.0.1:2552"), held -> false);
    assertInstanceOf(SchemaLease.Refused.class, outcome);
    String line = outcome.lease().describe();
    assertTrue(line.contains("other-host") && line.contains("10.9.9.9:2552") && line.contains("since"), line);
    assertFalse(line.contains("\n"));
    assertFalse(lease.heartbeat(node("10.0.0.1:2552")), "a refused node holds nothing to renew");
  }

  @Test
  void anExpiredLeaseIsTakenOver() throws Exception {
    heldElsewhere("10.9.9.9:2552", "other-host", 4242, LATEST, "10.9.9.9:2552",
        (int) SchemaLease.EXPIRES_AFTER.toSeconds() + 5);
    assertInstanceOf(SchemaLease.Held.class, lease.acquire(node("10.0.0.1:2552"), held -> false));
  }

  @Test
  void aLeaseOfAProcessOfThisHostThatIsGoneIsTakenOverAtOnce() throws Exception {
    heldElsewhere("127.0.0.1:40001", SchemaLease.localHost(), GONE_PID, LATEST, "127.0.0.1:40001", 1);
    assertInstanceOf(SchemaLease.Held.class, lease.acquire(node("127.0.0.1:40002"), held -> false));
  }

  @Test
  void aLeaseOfALiveProcessOfThisHostIsRefused() throws Exception {
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    heldElsewhere("127.0.0.1:40001", SchemaLease.localHost(), parent, LATEST, "127.0.0.1:40001", 1);
    assertInstanceOf(SchemaLease.Refused.class, lease.acquire(node("127.0.0.1:40002"), held -> false));
  }

  @Test
  void aMemberOfTheHoldersClusterTakesTheLeaseOverAtOnce() throws Exception {
    heldElsewhere("10.9.9.9:2552", "other-host", 4242, LATEST, "10.9.9.9:2552,10.0.0.1:2552", 1);
    SchemaLease.Claimant next = node("10.0.0.1:2552", "10.0.0.1:2552");
    assertInstanceOf(SchemaLease.Held.class, lease.acquire(next,
        held -> held.members().contains(next.address())));
  }

  @Test
  void aSchemaUpgradeIsRefusedWhileAClusterOfAnotherVersionRunsOnIt() throws Exception {
    heldElsewhere("10.9.9.9:2552", "other-host", 4242, LATEST - 1, "10.9.9.9:2552", 1);
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      // This build's newest script is not applied yet: as a newer build would find a schema in use.
      st.execute("DELETE FROM " + SchemaMigrations.VERSION_TABLE + " WHERE version = " + LATEST);
    }
    StorageException refused = assertThrows(StorageException.class, () -> new SchemaMigrations(db).migrate());
    assertTrue(refused.isRefusal());
    String line = refused.getMessage();
    assertTrue(line.contains("runs schema version " + (LATEST - 1)) && line.contains("has version " + LATEST)
        && line.contains("other-host"), line);
    assertFalse(line.contains("\n"));

    clear();
    assertEquals(LATEST, new SchemaMigrations(db).migrate().toVersion(), "without a live lease it upgrades");
  }

  @Test
  void aDatabaseNewerThanThisBuildIsRefused() throws Exception {
    try (Connection c = db.connection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + SchemaMigrations.VERSION_TABLE + " (version, description, checksum, applied_at)"
          + " VALUES (" + (LATEST + 1) + ", 'from the future', 'x', 'now')");
    }
    try {
      StorageException refused = assertThrows(StorageException.class, () -> new SchemaMigrations(db).migrate());
      assertTrue(refused.isRefusal());
      assertTrue(refused.getMessage().contains("newer than this MeshHub knows"), refused.getMessage());
    } finally {
      try (Connection c = db.connection(); Statement st = c.createStatement()) {
        st.execute("DELETE FROM " + SchemaMigrations.VERSION_TABLE + " WHERE version = " + (LATEST + 1));
      }
    }
  }
}
