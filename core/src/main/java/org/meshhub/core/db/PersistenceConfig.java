package org.meshhub.core.db;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
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

  public static Config forDatabase(DatabaseSettings s) {
    Map<String, Object> m = new HashMap<>();
    String db = "pekko-persistence-jdbc.shared-databases.meshhub";
    int pool = journalPoolSize(s.dialect());
    m.put(db + ".profile", s.dialect().slickProfile());
    m.put(db + ".db.url", s.jdbcUrl());
    m.put(db + ".db.driver", s.dialect().driverClass());
    m.put(db + ".db.connectionPool", "HikariCP");
    m.put(db + ".db.numThreads", pool);
    m.put(db + ".db.maxConnections", pool);
    m.put(db + ".db.minConnections", 1);
    m.put(db + ".db.poolName", "meshhub-journal");
    if (s.dialect() == Dialect.POSTGRESQL) {
      m.put(db + ".db.user", s.user());
      m.put(db + ".db.password", s.password());
    }
    m.put("jdbc-journal.parallelism", s.dialect() == Dialect.SQLITE ? 1 : 4);
    m.put("pekko.projection.jdbc.dialect", s.dialect().projectionDialect());
    m.put("meshhub.database.dialect", s.dialect().id());
    m.put("meshhub.database.schema", s.effectiveSchema());
    return ConfigFactory.parseMap(m, "database settings from the environment")
        .withFallback(ConfigFactory.parseResources("persistence.conf"))
        .withValue("meshhub.database.pool-size", ConfigValueFactory.fromAnyRef(pool));
  }
}
