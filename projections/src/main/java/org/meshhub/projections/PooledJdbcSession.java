package org.meshhub.projections;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;
import org.meshhub.core.db.Database;

/**
 * A projection's JDBC session: one connection from MeshHub's own pool, in one transaction that holds a batch of
 * read-model rows together with the projection's offset. Created by the projection for each batch, then committed
 * (or rolled back) and closed, which returns the connection to the pool.
 *
 * <p>On SQLite every read-side transaction begins with a write (the offset store's update, or a row's insert), so
 * it takes the write lock at its first statement, waiting out the busy timeout, and never has to upgrade a read
 * snapshot to a write (which SQLite refuses at once with {@code SQLITE_BUSY}).
 */
public final class PooledJdbcSession implements JdbcSession {
  private final Connection connection;

  public PooledJdbcSession(Database database) {
    try {
      this.connection = database.connection();
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a read-side session: " + e.getMessage(), e);
    }
  }

  @Override
  public <R> R withConnection(Function<Connection, R> func) throws Exception {
    return func.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
