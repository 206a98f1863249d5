package org.meshhub.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.meshhub.core.cluster.ClusterSettings;
import org.meshhub.core.cluster.MeshHubNode;
import org.meshhub.core.config.Env;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.db.Storage;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;
import org.slf4j.LoggerFactory;

/**
 * The database goes away under the entities (their PostgreSQL role loses its login and its connections are cut) and
 * comes back: nothing asked of them meanwhile succeeds, the log gets a few single lines instead of a stack trace per
 * failing entity, and afterwards every node that was sent during the outage is recorded exactly once.
 */
class JournalOutageTest {
  private static final String ROLE = "t_outage_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000,
      0xFFFFFF));
  private static final String SCHEMA = ROLE;

  @AfterAll
  static void drop() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER ROLE " + ROLE + " LOGIN");
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      st.execute("REVOKE CREATE ON DATABASE " + database(c) + " FROM " + ROLE);
      st.execute("DROP ROLE IF EXISTS " + ROLE);
    }
  }

  private static String database(Connection c) throws Exception {
    return c.getCatalog();
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static DatabaseSettings settings() throws Exception {
    String url = TestDatabases.postgresUrl();
    int query = url.indexOf('?');
    Map<String, String> env = new HashMap<>(TestDatabases.postgresEnvMap(SCHEMA));
    env.put("DATABASE_URL", (query < 0 ? url : url.substring(0, query)) + "?user=" + ROLE);
    env.put("DATABASE_PASSWORD", "trust-auth-ignores-this");
    return DatabaseSettings.fromEnv(Env.of(env));
  }

  private static CompletableFuture<Outcome> advert(ActorSystem<?> system, String key, Duration timeout) {
    return ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, key)
        .<Outcome>askWithStatus(r -> new NodeEntity.RecordAdvert(Samples.advert(1_700_000_000L, "Outage"),
            Samples.reception(Samples.publicKey(100), Instant.now()), r), timeout)
        .toCompletableFuture();
  }

  @Test
  void entitiesRideOutADatabaseOutageWithoutFloodingTheLogOrLosingWhatWasRetried() throws Exception {
    try (Connection c = TestDatabases.adminConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + ROLE + " LOGIN");
      st.execute("GRANT CREATE ON DATABASE " + database(c) + " TO " + ROLE);
    }
    // The one-line-per-10-s limit is shared by the JVM; an earlier test's failure must not hide this one's.
    EntitySupervision.forgetRecentFailures();
    Logger entityLog = (Logger) LoggerFactory.getLogger(NodeEntity.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    entityLog.addAppender(lines);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(Samples.publicKey(7_000 + i));
    }
    try (Database db = Storage.prepare(settings(), 2)) {
      ActorSystem<Void> system = MeshHubNode.start(settings(), ClusterSettings.local());
      try {
        assertEquals(Outcome.RECORDED, advert(system, Samples.publicKey(6_999), Duration.ofSeconds(30))
            .get(60, TimeUnit.SECONDS), "the node works before the outage");

        admin("ALTER ROLE " + ROLE + " NOLOGIN");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
        long outageStart = System.nanoTime();
        List<CompletableFuture<Outcome>> during = new ArrayList<>();
        for (String key : keys) {
          during.add(advert(system, key, Duration.ofSeconds(8)));
        }
        int failed = 0;
        for (CompletableFuture<Outcome> f : during) {
          try {
            f.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            failed++;
          }
        }
        long outageSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStart);
        assertEquals(keys.size(), failed, "nothing can be recorded while the database is away");

        List<ILoggingEvent> warnings = lines.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertTrue(warnings.stream().anyMatch(e -> e.getFormattedMessage().contains("could not recover")),
            "the outage is logged: " + warnings);
        for (ILoggingEvent e : warnings) {
          assertEquals(Level.WARN, e.getLevel(), e.getFormattedMessage());
          assertNull(e.getThrowableProxy(), "one line, no stack trace: " + e.getFormattedMessage());
        }
        // At most one line per 10 s for all the failing entities, where Pekko logs every restart of every one.
        assertTrue(warnings.size() <= 1 + outageSeconds / 10,
            warnings.size() + " lines in " + outageSeconds + " s: " + warnings);

        admin("ALTER ROLE " + ROLE + " LOGIN");
        for (String key : keys) {
          Outcome outcome = retry(system, key);
          assertTrue(outcome == Outcome.RECORDED || outcome == Outcome.DUPLICATE, key + ": " + outcome);
          NodeEntity.Summary node = ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, key)
              .<NodeEntity.Summary>ask(NodeEntity.Get::new, Duration.ofSeconds(30)).toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
          assertEquals(1, node.advertCount(), "recorded exactly once: " + key);
        }
      } finally {
        MeshHubNode.stop(system);
        entityLog.detachAppender(lines);
      }
    }
  }

  /** Sends again until the node answers: the journal's circuit breaker may stay open a while after the outage. */
  private static Outcome retry(ActorSystem<?> system, String key) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        return advert(system, key, Duration.ofSeconds(5)).get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("node " + key + " still fails two minutes after the database came back", e);
        }
        Thread.sleep(500);
      }
    }
  }
}
