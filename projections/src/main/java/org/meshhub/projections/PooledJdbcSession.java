package org.meshhub.projections;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Dialect;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * A projection's JDBC session: one connection from MeshHub's own pool, in one transaction that holds a batch of
 * read-model rows together with the projection's offset. Created by the projection for each batch, then committed
 * (or rolled back) and closed, which returns the connection to the pool.
 *
 * <p>On SQLite the transaction begins IMMEDIATE: it takes the write lock up front (waiting out the busy timeout)
 * instead of failing with {@code SQLITE_BUSY} when a read transaction tries to become a write transaction.
 */
public final class PooledJdbcSession implements JdbcSession {
  private final Connection connection;

  public PooledJdbcSession(Database database) {
    try {
      this.connection = database.connection();
      if (database.dialect() == Dialect.SQLITE) {
        connection.unwrap(SQLiteConnection.class).getConnectionConfig()
            .setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      }
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
