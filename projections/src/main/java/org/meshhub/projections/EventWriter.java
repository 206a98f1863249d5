package org.meshhub.projections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Turns the events of one slice into read-table rows. Used by the live projection (one batch per transaction, with
 * the offset) and by a rebuild (the same code into the shadow tables), so that both produce the same rows.
 *
 * <p>Writers are idempotent: applying an event twice leaves the rows as applying it once (inserts do nothing on
 * conflict, counters move only when a row was inserted, "latest" values only move forward).
 */
public interface EventWriter {
  /** Applies the events, in journal order, inside the caller's transaction. Unknown event types are ignored. */
  void write(Connection connection, List<?> events) throws SQLException;
}
