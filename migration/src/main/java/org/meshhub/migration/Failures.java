package org.meshhub.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.StorageException;

/** Turns what went wrong during a migration into one line for the operator, and tells the passing failures apart. */
final class Failures {
  private static final String CARRY_ON = "run the command again: it carries on from the last checkpoint";

  private Failures() {}

  /** A lost connection or a server restart: worth carrying on from the last checkpoint once the server is back. */
  static boolean transientFailure(Throwable t) {
    SQLException e = find(t);
    if (e == null) {
      return t instanceof IOException || (t.getCause() instanceof IOException);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
        || state.equals("53300");
  }

  /**
   * One line for a failure while {@code doing} something ("copying event_journal").
   *
   * @param source the source file, for errors of SQLite
   */
  static StorageException describe(Throwable t, String doing, DatabaseSettings target, Path source) {
    Throwable root = unwrap(t);
    if (root instanceof StorageException se) {
      return se;
    }
    SQLException e = find(root);
    if (e != null && e.getClass().getName().startsWith("org.sqlite")) {
      return SourceDatabase.describe(source, e);
    }
    String where = "PostgreSQL at " + target.endpoint();
    if (e == null) {
      return StorageException.failed(doing + " failed: " + message(root) + "; " + CARRY_ON, root);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("53100")) {
      return StorageException.failed(where + " has no disk space left (while " + doing + "); free some space, then "
          + CARRY_ON, e);
    }
    if (state.equals("42501")) {
      return StorageException.refused("PostgreSQL role '" + target.user() + "' lacks a right needed for " + doing
          + " (" + message(e) + "); grant it CREATE on database '" + target.database() + "' and use a schema it owns");
    }
    if (transientFailure(e)) {
      return StorageException.failed("lost the connection to " + where + " while " + doing + " (" + message(e)
          + "); " + CARRY_ON, e);
    }
    if (state.equals("23505")) {
      return StorageException.refused(where + " already holds a row with the same key while " + doing + " ("
          + message(e) + "): the target schema holds data this migration did not write");
    }
    return StorageException.failed(where + " failed while " + doing + ": " + message(e), e);
  }

  static Throwable unwrap(Throwable t) {
    Throwable x = t;
    while ((x instanceof java.util.concurrent.CompletionException
        || x instanceof java.util.concurrent.ExecutionException) && x.getCause() != null) {
      x = x.getCause();
    }
    return x;
  }

  private static SQLException find(Throwable t) {
    Throwable x = t;
    for (int i = 0; i < 10 && x != null; i++) {
      if (x instanceof SQLException e) {
        return e;
      }
      x = x.getCause();
    }
    return null;
  }

  static String message(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    // PostgreSQL appends "Where:" and "Detail:" lines; the first line says it.
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).trim();
  }
}
