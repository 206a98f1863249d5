package org.meshhub.core.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The Pekko settings that point the journal, the snapshot store, the read journal and the projection offset store
 * at the configured database. Generated from {@link DatabaseSettings} (which parses the URL forms HOCON cannot),
 * and layered over the static defaults in {@code persistence.conf}.
 */
public final class PersistenceConfig {
  private PersistenceConfig() {}

  /** Connections in the journal's pool; SQLite has one writer lock, so more connections only add contention. */
  public static int journalPoolSize(Dialect dialect) {
    return dialect == Dialect.SQLITE ? 4 : 8;
  }

  /**
   * Connections of the read journal's own pool (eventsByTag of the projections, the journal sequence actor), kept
   * apart from the journal's so that a backlog of writes and entity recoveries cannot starve the read side.
   */
  public static int queryPoolSize(Dialect dialect) {
    return dialect == Dialect.SQLITE ? 2 : 4;
  }

  public static Config forDatabase(DatabaseSettings s) {
    Map<String, Object> m = new HashMap<>();
    int pool = journalPoolSize(s.dialect());
    sharedDatabase(m, s, "meshhub", "meshhub-journal", pool);
    sharedDatabase(m, s, "meshhub-query", "meshhub-query", queryPoolSize(s.dialect()));
    m.put("jdbc-journal.parallelism", s.dialect() == Dialect.SQLITE ? 1 : 4);
    m.put("pekko.projection.jdbc.dialect", s.dialect().projectionDialect());
    return ConfigFactory.parseMap(m, "database settings from the environment")
        .withFallback(ConfigFactory.parseResources("persistence.conf"));
  }

  private static void sharedDatabase(Map<String, Object> m, DatabaseSettings s, String name, String poolName,
      int pool) {
    String db = "pekko-persistence-jdbc.shared-databases." + name;
    m.put(db + ".profile", s.dialect().slickProfile());
    m.put(db + ".db.url", s.jdbcUrl());
    m.put(db + ".db.driver", s.dialect().driverClass());
    m.put(db + ".db.connectionPool", "HikariCP");
    m.put(db + ".db.numThreads", pool);
    m.put(db + ".db.maxConnections", pool);
    m.put(db + ".db.minConnections", 1);
    m.put(db + ".db.poolName", poolName);
    if (s.dialect() == Dialect.POSTGRESQL) {
      m.put(db + ".db.user", s.user());
      m.put(db + ".db.password", s.password());
    }
  }
}
