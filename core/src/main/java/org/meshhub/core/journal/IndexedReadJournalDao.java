package org.meshhub.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.config.ReadJournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.persistence.jdbc.query.dao.DefaultReadJournalDao;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.scaladsl.Source;
import scala.Option;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's queries for pekko-persistence-jdbc 1.1.1 ({@code jdbc-read-journal.dao}), with
 * {@code eventsByTag} rewritten and everything else inherited.
 *
 * <p>The stock query bounds the journal's {@code ordering} and joins {@code event_tag} on it, but puts no bound on
 * {@code event_tag} itself. PostgreSQL does not carry a range across a join, so each poll reads every tag row of
 * the slice: the cost of a poll grows with the journal, and at a few hundred events a second the projections fell
 * further behind the longer they ran. This query bounds {@code event_tag.event_id} by the same range, so both
 * dialects walk the {@code (tag, event_id)} index from the offset and stop after {@code max} rows, whatever the
 * journal's size. Rows and their order are the stock query's: tag matches, not deleted, {@code offset < ordering
 * <= maxOffset}, ascending, at most {@code max}.
 */
public class IndexedReadJournalDao extends DefaultReadJournalDao {
  static final String EVENTS_BY_TAG = "SELECT j.ordering, j.deleted, j.persistence_id, j.sequence_number,"
      + " j.writer, j.write_timestamp, j.adapter_manifest, j.event_payload, j.event_ser_id, j.event_ser_manifest,"
      + " j.meta_payload, j.meta_ser_id, j.meta_ser_manifest"
      + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
      + " WHERE t.tag = ? AND t.event_id > ? AND t.event_id <= ? AND j.deleted = FALSE"
      + " ORDER BY t.event_id LIMIT ?";

  private final JdbcBackend.JdbcDatabaseDef database;
  private final Serialization serialization;
  private final ExecutorService readers;

  public IndexedReadJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, ReadJournalConfig config,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, config, serialization, ec, mat);
    this.database = db;
    this.serialization = serialization;
    Option<Object> connections = db.source().maxConnections();
    int threads = connections.isDefined() ? Math.max(1, (Integer) connections.get()) : 4;
    this.readers = JdbcThreads.fixedPool("meshhub-read-journal-", threads);
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(String tag, long offset,
      long maxOffset, long max) {
    // Completed with the SQLException itself, so that a failed poll fails the stream with the database's message.
    CompletableFuture<List<Try<Tuple3<PersistentRepr, Set<String>, Object>>>> rows = new CompletableFuture<>();
    readers.execute(() -> {
      try {
        rows.complete(query(tag, offset, maxOffset, max));
      } catch (SQLException | RuntimeException e) {
        rows.completeExceptionally(e);
      }
    });
    return org.apache.pekko.stream.javadsl.Source.completionStage(rows)
        .<Try<Tuple3<PersistentRepr, Set<String>, Object>>>mapConcat(list -> list)
        .asScala();
  }

  private List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> query(String tag, long offset, long maxOffset,
      long max) throws SQLException {
    List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> out = new ArrayList<>();
    if (max <= 0 || maxOffset <= offset) {
      return out;
    }
    try (Connection c = database.source().createConnection();
        PreparedStatement ps = c.prepareStatement(EVENTS_BY_TAG)) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      ps.setLong(3, maxOffset);
      ps.setLong(4, Math.min(max, Integer.MAX_VALUE));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(toEnvelope(PekkoSerialization.fromRow(serialization, row(rs))));
        }
      }
    }
    return out;
  }

  private static JournalTables.JournalPekkoSerializationRow row(ResultSet rs) throws SQLException {
    byte[] metaPayload = rs.getBytes(11);
    int metaSerId = rs.getInt(12);
    boolean noMetaSerId = rs.wasNull();
    String metaSerManifest = rs.getString(13);
    return new JournalTables.JournalPekkoSerializationRow(rs.getLong(1), rs.getBoolean(2), rs.getString(3),
        rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getBytes(8), rs.getInt(9),
        rs.getString(10), Option.apply(metaPayload), noMetaSerId ? Option.empty() : Option.apply(metaSerId),
        Option.apply(metaSerManifest));
  }

  private static Try<Tuple3<PersistentRepr, Set<String>, Object>> toEnvelope(Try<Tuple2<PersistentRepr, Object>> t) {
    if (t instanceof Success<Tuple2<PersistentRepr, Object>> ok) {
      Tuple2<PersistentRepr, Object> value = ok.value();
      return new Success<>(new Tuple3<>(value._1(), scala.collection.immutable.Set$.MODULE$.<String>empty(),
          value._2()));
    }
    return new Failure<>(((Failure<?>) t).exception());
  }
}
