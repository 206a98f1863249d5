package org.meshhub.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.meshhub.core.config.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open database: a connection pool for MeshHub's own SQL (schema migrations, status, read side), the settings it
 * came from and, on SQLite, the lock that keeps other processes off the file.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DatabaseSettings settings;
  private final HikariDataSource pool;
  private final SqliteLock lock;

  private Database(DatabaseSettings settings, HikariDataSource pool, SqliteLock lock) {
    this.settings = settings;
    this.pool = pool;
    this.lock = lock;
  }

  /** How a caller wants the SQLite file: as its only writer (locked) or to read it alongside. */
  public enum Access {
    EXCLUSIVE,
    SHARED
  }

  /**
   * Opens the database. On SQLite: creates DATA_HOME, checks it is writable and takes the process lock. On
   * PostgreSQL: waits until the server accepts a connection, one log line per attempt, for at most
   * {@code DATABASE_CONNECT_TIMEOUT}.
   */
  public static Database open(DatabaseSettings settings, Access access, int poolSize) {
    if (settings.dialect() == Dialect.SQLITE) {
      return openSqlite(settings, access, poolSize);
    }
    return openPostgres(settings, poolSize);
  }

  private static Database openSqlite(DatabaseSettings settings, Access access, int poolSize) {
    Path file = settings.sqliteFile();
    ensureWritableDirectory(file.getParent(), settings.sqliteFileVariable());
    SqliteLock lock = access == Access.EXCLUSIVE ? SqliteLock.acquire(file) : null;
    try {
      HikariConfig config = baseConfig(settings, poolSize);
      return new Database(settings, new HikariDataSource(config), lock);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      throw StorageException.failed("cannot open SQLite file " + file + ": " + rootMessage(e), e);
    }
  }

  private static Database openPostgres(DatabaseSettings settings, int poolSize) {
    waitUntilReachable(settings);
    try {
      return new Database(settings, new HikariDataSource(baseConfig(settings, poolSize)), null);
    } catch (RuntimeException e) {
      throw StorageException.failed("cannot open a connection pool to PostgreSQL at " + settings.endpoint() + ": "
          + rootMessage(e), e);
    }
  }

  private static HikariConfig baseConfig(DatabaseSettings settings, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("meshhub-" + settings.dialect().id());
    config.setDriverClassName(settings.dialect().driverClass());
    config.setJdbcUrl(settings.jdbcUrl());
    if (settings.dialect() == Dialect.POSTGRESQL) {
      config.setUsername(settings.user());
      config.setPassword(settings.password());
      config.addDataSourceProperty("tcpKeepAlive", "true");
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(1, poolSize));
    config.setConnectionTimeout(30_000);
    config.setInitializationFailTimeout(-1);
    return config;
  }

  /** Creates the folder if needed and proves it writable, or names the variable that chose it. */
  static void ensureWritableDirectory(Path dir, String variable) {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      throw new SettingsException(variable, "cannot create folder " + dir + " (" + reason(e) + ")");
    } catch (IOException e) {
      throw new SettingsException(variable, "cannot create folder " + dir + " (" + e.getMessage() + ")");
    }
    if (!Files.isDirectory(dir)) {
      throw new SettingsException(variable, dir + " is not a folder");
    }
    Path probe = dir.resolve(".meshhub-write-test-" + ProcessHandle.current().pid());
    try {
      Files.writeString(probe, "ok");
      Files.delete(probe);
    } catch (IOException e) {
      throw new SettingsException(variable, "folder " + dir + " is not writable ("
          + (e instanceof FileSystemException fse ? reason(fse) : e.getMessage()) + ")");
    }
  }

  private static String reason(FileSystemException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
  }

  /**
   * Retries with backoff (0.5 s doubling to 5 s) until PostgreSQL accepts a login or the connect timeout runs out.
   * A wrong password or a missing database fails at once: waiting would not fix them.
   */
  static void waitUntilReachable(DatabaseSettings settings) {
    long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
    Duration backoff = Duration.ofMillis(500);
    int attempt = 0;
    Properties props = new Properties();
    props.setProperty("user", settings.user());
    props.setProperty("password", settings.password());
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "10");
    while (true) {
      attempt++;
      try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), props)) {
        if (attempt > 1) {
          log.info("PostgreSQL at {} is reachable (attempt {})", settings.endpoint(), attempt);
        }
        return;
      } catch (SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28")) {
          throw StorageException.refused("PostgreSQL at " + settings.endpoint() + " refused the login of role '"
              + settings.user() + "' (check DATABASE_USER and DATABASE_PASSWORD)");
        }
        if (state.equals("3D000")) {
          throw StorageException.refused("PostgreSQL at " + settings.endpoint() + " has no database '"
              + settings.database() + "' (check DATABASE_NAME, or create it: see docs/database.md)");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw StorageException.failed("PostgreSQL at " + settings.endpoint() + " is not reachable after "
              + settings.connectTimeout().toSeconds() + " s (DATABASE_CONNECT_TIMEOUT): " + rootMessage(e), e);
        }
        log.warn("Waiting for PostgreSQL at {} (attempt {}): {}", settings.endpoint(), attempt, rootMessage(e));
        try {
          Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, left / 1_000_000)));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw StorageException.failed("interrupted while waiting for PostgreSQL", ie);
        }
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
            : backoff.multipliedBy(2);
      }
    }
  }

  /** The innermost cause's message on one line, for log lines and errors that must not carry a stack trace. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  public DatabaseSettings settings() {
    return settings;
  }

  public Dialect dialect() {
    return settings.dialect();
  }

  public DataSource dataSource() {
    return pool;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void close() {
    pool.close();
    if (lock != null) {
      lock.close();
    }
  }
}
