package org.meshhub.core.db;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command that writes a schema on its own, with no server running (an import, for instance), holds the schema's
 * lease while it runs, like a running cluster does: a server started meanwhile is refused, and the command is
 * refused when a server (or another such command) holds the lease. On SQLite the lock on the file does this job, so
 * this holds nothing there.
 */
public final class ExclusiveUse implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExclusiveUse.class);

  private final SchemaLease lease;
  private final SchemaLease.Claimant claimant;
  private final ScheduledExecutorService heartbeat;

  private ExclusiveUse(SchemaLease lease, SchemaLease.Claimant claimant, ScheduledExecutorService heartbeat) {
    this.lease = lease;
    this.claimant = claimant;
    this.heartbeat = heartbeat;
  }

  /**
   * Takes the lease for {@code command} (e.g. {@code "import-meshcore-hub"}) and keeps it renewed until closed.
   *
   * @throws StorageException a refusal naming the holder when another MeshHub holds a live lease
   */
  public static ExclusiveUse take(Database database, String command) {
    if (!SchemaLease.supported(database.dialect())) {
      return new ExclusiveUse(null, null, null);
    }
    SchemaLease lease = new SchemaLease(database);
    SchemaLease.Claimant claimant;
    SchemaLease.Outcome outcome;
    try {
      claimant = SchemaLease.Claimant.self("meshhub " + command, SchemaMigrations.latestVersion(database.dialect()),
          Set.of());
      outcome = lease.acquire(claimant, other -> false);
    } catch (SQLException e) {
      throw StorageException.failed("cannot read the schema lease: " + Database.rootMessage(e), e);
    }
    if (outcome instanceof SchemaLease.Refused refused) {
      throw StorageException.refused("the schema at " + database.settings().displayLocation()
          + " is in use by another MeshHub: " + refused.lease().describe() + "; stop it first");
    }
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshhub-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = SchemaLease.HEARTBEAT.toMillis();
    heartbeat.scheduleWithFixedDelay(() -> {
      try {
        if (!lease.heartbeat(claimant)) {
          log.warn("The schema lease held for '{}' was taken over by another MeshHub", command);
        }
      } catch (SQLException | RuntimeException e) {
        log.warn("Could not renew the schema lease: {}", Database.rootMessage(e));
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return new ExclusiveUse(lease, claimant, heartbeat);
  }

  /** Stops renewing and gives the lease up, so that a server may start at once. */
  @Override
  public void close() {
    if (lease == null) {
      return;
    }
    heartbeat.shutdownNow();
    try {
      lease.release(claimant);
    } catch (SQLException e) {
      log.warn("Could not give the schema lease up (it expires by itself in {} s): {}",
          SchemaLease.EXPIRES_AFTER.toSeconds(), Database.rootMessage(e));
    }
  }
}
