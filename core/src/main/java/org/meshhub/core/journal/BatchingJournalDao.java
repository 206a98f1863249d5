package org.meshhub.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import org.slf4j.LoggerFactory;
import slick.jdbc.JdbcProfile;

/**
 * The journal's write path for pekko-persistence-jdbc 1.1.1 ({@code jdbc-journal.dao}), everything else inherited.
 *
 * <p>The stock DAO inserts each tagged event on its own ({@code executeUpdate} plus {@code getGeneratedKeys}, since
 * Slick cannot batch inserts that return keys), which caps the write rate. This one reserves the {@code ordering}
 * values first and then writes every journal row and every tag row of a group as two JDBC batches in one
 * transaction: on PostgreSQL by taking the values from the column's own sequence (so concurrent writers still never
 * collide), on SQLite inside a {@code BEGIN IMMEDIATE} transaction that holds the single write lock from the
 * moment the next value is read until commit. Rows, tags and ordering are exactly what the stock DAO writes; reads,
 * recovery, deletes and eventsByTag are unchanged.
 */
public class BatchingJournalDao extends DefaultJournalDao {
  private static final String INSERT_EVENT = "INSERT INTO event_journal (ordering, deleted, persistence_id,"
      + " sequence_number, writer, write_timestamp, adapter_manifest, event_payload, event_ser_id,"
      + " event_ser_manifest, meta_payload, meta_ser_id, meta_ser_manifest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final String INSERT_TAG = "INSERT INTO event_tag (event_id, tag) VALUES (?, ?)";

  private static final RateLimitedLog FAILURES = new RateLimitedLog(Duration.ofSeconds(10));

  private final JdbcBackend.JdbcDatabaseDef database;
  private final boolean sqlite;
  private final ExecutorService writers;
  private volatile String sequenceName;

  public BatchingJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.database = db;
    this.sqlite = profile.getClass().getName().contains("SQLite");
    int threads = Math.max(1, journalConfig.daoConfig().parallelism());
    LoggerFactory.getLogger(BatchingJournalDao.class).debug("Batched journal writes on {} with {} writer threads",
        sqlite ? "SQLite" : "PostgreSQL", threads);
    this.writers = JdbcThreads.fixedPool("meshhub-journal-writer-", threads);
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(
      Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows) {
    List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> list = CollectionConverters.asJava(rows);
    CompletableFuture<BoxedUnit> done = CompletableFuture.supplyAsync(() -> {
      try {
        write(list);
        return BoxedUnit.UNIT;
      } catch (SQLException e) {
        throw new JournalWriteException(e);
      }
    }, writers);
    return FutureConverters.asScala(done.exceptionallyCompose(e -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
          ? e.getCause() : e;
      Throwable failure = cause instanceof JournalWriteException jwe ? jwe.getCause() : cause;
      failed(list.size(), failure);
      return CompletableFuture.failedFuture(failure);
    }));
  }

  /**
   * A failed write is worth a line: the entities' supervisor restarts them quietly, and a sequence number taken
   * twice (two writers of one entity) would show only here. One line per 10 s, with the count held back.
   */
  private void failed(int events, Throwable failure) {
    long held = FAILURES.permit("write");
    if (held != RateLimitedLog.SUPPRESS) {
      LoggerFactory.getLogger(BatchingJournalDao.class).warn("Journal write of {} event(s) failed: {}{}", events,
          Database.rootMessage(failure), FAILURES.suffix(held));
    }
  }

  private void write(List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    try (Connection c = database.source().createConnection()) {
      if (sqlite) {
        writeSqlite(c, rows);
      } else {
        writePostgres(c, rows);
      }
    }
  }

  private void writeSqlite(Connection c, List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows)
      throws SQLException {
    c.setAutoCommit(true);
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        insert(c, rows, nextSqliteOrdering(st), 1);
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          st.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // the original failure is what matters
        }
        throw e;
      }
    }
  }

  private void writePostgres(Connection c,
      List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows) throws SQLException {
    c.setAutoCommit(false);
    try {
      insert(c, rows, postgresOrderings(c, sequenceName(c), rows.size()));
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  private String sequenceName(Connection c) throws SQLException {
    String name = sequenceName;
    if (name == null) {
      name = orderingSequence(c);
      sequenceName = name;
    }
    return name;
  }

  /** SQLite, inside a {@code BEGIN IMMEDIATE} transaction: the first {@code ordering} free for new rows. */
  static long nextSqliteOrdering(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT MAX(m) FROM (SELECT MAX(ordering) AS m FROM event_journal"
        + " UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'event_journal')")) {
      return (rs.next() ? rs.getLong(1) : 0) + 1;
    }
  }

  /** PostgreSQL: the sequence behind {@code event_journal.ordering}. */
  static String orderingSequence(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_get_serial_sequence('event_journal', 'ordering')")) {
      rs.next();
      String name = rs.getString(1);
      if (name == null) {
        throw new SQLException("event_journal.ordering has no sequence");
      }
      return name;
    }
  }

  /** PostgreSQL: {@code n} orderings taken from the column's own sequence, in increasing order. */
  static long[] postgresOrderings(Connection c, String sequence, int n) throws SQLException {
    long[] orderings = new long[n];
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval(?::regclass) FROM generate_series(1, ?)")) {
      ps.setString(1, sequence);
      ps.setInt(2, n);
      try (ResultSet rs = ps.executeQuery()) {
        int i = 0;
        while (rs.next()) {
          orderings[i++] = rs.getLong(1);
        }
      }
    }
    java.util.Arrays.sort(orderings);
    return orderings;
  }

  static void insert(Connection c, List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows,
      long first, int step) throws SQLException {
    long[] orderings = new long[rows.size()];
    for (int i = 0; i < orderings.length; i++) {
      orderings[i] = first + (long) i * step;
    }
    insert(c, rows, orderings);
  }

  static void insert(Connection c, List<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows,
      long[] orderings) throws SQLException {
    List<long[]> tagIds = new ArrayList<>();
    List<String> tagNames = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
      for (int i = 0; i < rows.size(); i++) {
        JournalTables.JournalPekkoSerializationRow r = rows.get(i)._1();
        ps.setLong(1, orderings[i]);
        ps.setBoolean(2, r.deleted());
        ps.setString(3, r.persistenceId());
        ps.setLong(4, r.sequenceNumber());
        ps.setString(5, r.writer());
        ps.setLong(6, r.writeTimestamp());
        ps.setString(7, r.adapterManifest());
        ps.setBytes(8, r.eventPayload());
        ps.setInt(9, r.eventSerId());
        ps.setString(10, r.eventSerManifest());
        if (r.metaPayload().isDefined()) {
          ps.setBytes(11, r.metaPayload().get());
        } else {
          ps.setNull(11, Types.BINARY);
        }
        if (r.metaSerId().isDefined()) {
          ps.setInt(12, ((Number) r.metaSerId().get()).intValue());
        } else {
          ps.setNull(12, Types.INTEGER);
        }
        if (r.metaSerManifest().isDefined()) {
          ps.setString(13, r.metaSerManifest().get());
        } else {
          ps.setNull(13, Types.VARCHAR);
        }
        ps.addBatch();
        for (String tag : CollectionConverters.asJava(rows.get(i)._2())) {
          tagIds.add(new long[] {orderings[i]});
          tagNames.add(tag);
        }
      }
      ps.executeBatch();
    }
    if (!tagNames.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_TAG)) {
        for (int i = 0; i < tagNames.size(); i++) {
          ps.setLong(1, tagIds.get(i)[0]);
          ps.setString(2, tagNames.get(i));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** Carries a checked SQL failure through the executor. */
  private static final class JournalWriteException extends RuntimeException {
    JournalWriteException(SQLException cause) {
      super(cause);
    }
  }
}
