package org.meshhub.core.db;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The lease row of a PostgreSQL schema (table {@code meshhub_lease}, schema version 15): which MeshHub cluster, or
 * single instance, writes the schema. The cluster's lease keeper takes it and renews it every {@link #HEARTBEAT};
 * a node of another cluster, or another instance, finds it held and refuses to start. A lease whose heartbeat is
 * older than {@link #EXPIRES_AFTER} (by the database's clock) is taken over, and so is one whose holder was a process
 * of this host that is gone (a restart after a crash need not wait). On SQLite the lock on the file does this job.
 */
public final class SchemaLease {
  public static final String TABLE = "meshhub_lease";
  public static final Duration HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration EXPIRES_AFTER = Duration.ofSeconds(30);
  private static final String NAME = "writer";
  private static final String COLUMNS = "holder, host, pid, schema_version, members, since, heartbeat_at,"
      + " EXTRACT(EPOCH FROM (now() - heartbeat_at))";

  /**
   * A node that wants the lease, or holds it.
   *
   * @param address its cluster address, host:port
   * @param host the host name of its machine
   * @param pid its process id
   * @param schemaVersion the schema version it runs
   * @param members the cluster addresses of its cluster's members
   */
  public record Claimant(String address, String host, long pid, int schemaVersion, Set<String> members) {
    public Claimant {
      members = Set.copyOf(members);
    }

    /** This process, at {@code address}, running {@code schemaVersion}, in a cluster of {@code members}. */
    public static Claimant self(String address, int schemaVersion, Set<String> members) {
      return new Claimant(address, localHost(), ProcessHandle.current().pid(), schemaVersion, members);
    }
  }

  /**
   * The row as read.
   *
   * @param age how long ago its last heartbeat was, by the database's clock
   */
  public record Lease(String holder, String host, long pid, int schemaVersion, Set<String> members, Instant since,
      Instant heartbeatAt, Duration age) {
    public Lease {
      members = Set.copyOf(members);
    }

    public boolean expired() {
      return age.compareTo(EXPIRES_AFTER) >= 0;
    }

    /**
     * Whether a process other than this one may still hold it: its heartbeat is recent, and its holder is not a
     * process of this host that is gone, nor this very process (or an earlier one of this host with the same
     * process id, as in a restarted container).
     */
    public boolean heldByAnother() {
      if (expired()) {
        return false;
      }
      if (host.equals(localHost())) {
        long self = ProcessHandle.current().pid();
        return pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      }
      return true;
    }

    /** Who holds it, for one line: host, process, cluster address, since when, last heartbeat. */
    public String describe() {
      return "host " + host + " (pid " + pid + "), cluster address " + holder + ", since " + since
          + ", last heartbeat " + age.toSeconds() + " s ago";
    }
  }

  /** What an attempt to take or keep the lease found. */
  public sealed interface Outcome {
    Lease lease();
  }

  /** The claimant holds the lease (now renewed). */
  public record Held(Lease lease) implements Outcome {}

  /** Someone else holds a live lease. */
  public record Refused(Lease lease) implements Outcome {}

  private final Database database;

  public SchemaLease(Database database) {
    this.database = database;
  }

  /** Whether this backend keeps a lease row (PostgreSQL); on SQLite the file lock keeps a second process out. */
  public static boolean supported(Dialect dialect) {
    return dialect == Dialect.POSTGRESQL;
  }

  /** The lease, if the table exists and the row is there. */
  public Optional<Lease> read() throws SQLException {
    try (Connection c = database.connection()) {
      return read(c);
    }
  }

  /** The lease as seen on {@code c}, if the table exists and the row is there. */
  public static Optional<Lease> read(Connection c) throws SQLException {
    if (!SchemaMigrations.tableExists(c, TABLE)) {
      return Optional.empty();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE name = ?")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Takes the lease for {@code claimant} when it is free, expired, its own (the same address), held by a process of
   * this host that is gone, or held by a node that {@code sameCluster} says belongs to the claimant's cluster;
   * otherwise leaves it. Decided with the row locked, so two claimants never both take it.
   */
  public Outcome acquire(Claimant claimant, Predicate<Lease> sameCluster) throws SQLException {
    try (Connection c = database.connection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Optional<Lease> current = lockRow(c);
        if (current.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (name, holder, host, pid,"
              + " schema_version, members, since, heartbeat_at) VALUES (?, '', '', 0, 0, '', now(), now() - ?::interval)"
              + " ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, NAME);
            ps.setString(2, (EXPIRES_AFTER.toSeconds() * 2) + " seconds");
            ps.executeUpdate();
          }
          current = lockRow(c);
        }
        Lease lease = current.orElseThrow(() -> new SQLException("the lease row vanished"));
        Outcome outcome;
        if (lease.holder().equals(claimant.address()) || !lease.heldByAnother() || sameCluster.test(lease)) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET holder = ?, host = ?, pid = ?,"
              + " schema_version = ?, members = ?, since = now(), heartbeat_at = now() WHERE name = ?")) {
            bindClaimant(ps, claimant);
            ps.setString(6, NAME);
            ps.executeUpdate();
          }
          outcome = new Held(lockRow(c).orElseThrow());
        } else {
          outcome = new Refused(lease);
        }
        c.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /** Renews the claimant's lease and its list of members; false when the claimant does not hold it any more. */
  public boolean heartbeat(Claimant claimant) throws SQLException {
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET heartbeat_at = now(), members = ?,"
            + " schema_version = ? WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
      ps.setString(1, String.join(",", new TreeSet<>(claimant.members())));
      ps.setInt(2, claimant.schemaVersion());
      ps.setString(3, NAME);
      ps.setString(4, claimant.address());
      ps.setString(5, claimant.host());
      ps.setLong(6, claimant.pid());
      return ps.executeUpdate() == 1;
    }
  }

  /** Gives the lease up, if the claimant holds it, so that another cluster may start at once. */
  public void release(Claimant claimant) throws SQLException {
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE
            + " WHERE name = ? AND holder = ? AND host = ? AND pid = ?")) {
      ps.setString(1, NAME);
      ps.setString(2, claimant.address());
      ps.setString(3, claimant.host());
      ps.setLong(4, claimant.pid());
      ps.executeUpdate();
    }
  }

  private static Optional<Lease> lockRow(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
        + " WHERE name = ? FOR UPDATE")) {
      ps.setString(1, NAME);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
      }
    }
  }

  private static void bindClaimant(PreparedStatement ps, Claimant claimant) throws SQLException {
    ps.setString(1, claimant.address());
    ps.setString(2, claimant.host());
    ps.setLong(3, claimant.pid());
    ps.setInt(4, claimant.schemaVersion());
    ps.setString(5, String.join(",", new TreeSet<>(claimant.members())));
  }

  private static Lease lease(ResultSet rs) throws SQLException {
    String members = rs.getString(5);
    Set<String> memberSet = members == null || members.isBlank() ? Set.of()
        : Arrays.stream(members.split(",")).collect(Collectors.toSet());
    double ageSeconds = rs.getDouble(8);
    return new Lease(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), memberSet,
        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
        Duration.ofMillis(Math.max(0, Math.round(ageSeconds * 1000))));
  }

  /** The host name of this machine, as a lease records it (looked up once). */
  public static String localHost() {
    return LocalHost.NAME;
  }

  private static final class LocalHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }
}
