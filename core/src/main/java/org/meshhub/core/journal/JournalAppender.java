package org.meshhub.core.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.PekkoSerialization;
import org.apache.pekko.persistence.jdbc.PekkoSerialization$;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import scala.Option;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Appends events to the journal in a transaction of the caller's, for entities that have no events yet: the rows and
 * tags the journal plugin itself would write for them (payload serialized by the plugin's own serialization, the
 * orderings reserved as {@link BatchingJournalDao} does), so that the entities recover from them and the
 * projections read them like any others. An import of history uses it for the many short-lived entities that would
 * otherwise each start, recover from nothing and persist one command; it must be the only writer of those entities
 * while it runs, and it checks they have no events first ({@link #highestSequenceNumbers}).
 */
public final class JournalAppender {
  /** One event of one entity. */
  public record Entry(String persistenceId, long sequenceNr, Object event, String tag) {
    public Entry {
      Objects.requireNonNull(persistenceId, "persistenceId");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(tag, "tag");
      if (sequenceNr < 1) {
        throw new IllegalArgumentException("sequence numbers start at 1, got " + sequenceNr);
      }
    }
  }

  /** Work in the same transaction as the appended rows. */
  @FunctionalInterface
  public interface SqlWork {
    void run(Connection c) throws SQLException;
  }

  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z]+\\|[0-9A-Fa-f]{1,64}");

  private final Serialization serialization;
  private final String writer = UUID.randomUUID().toString();
  private String sequence;

  public JournalAppender(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(system.classicSystem());
  }

  /**
   * The highest sequence number of each of the persistence ids that has events; the others are absent. The ids are
   * written into the statement as literals (each is checked to be {@code Name|hex}): a prepared statement reused for
   * every batch gets a generic plan on PostgreSQL, which for a journal that grew from empty during the import is a
   * scan of the whole table.
   */
  public static Map<String, Long> highestSequenceNumbers(Connection c, Collection<String> persistenceIds)
      throws SQLException {
    Map<String, Long> out = new HashMap<>();
    List<String> ids = new ArrayList<>(persistenceIds);
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
      StringBuilder sql = new StringBuilder("SELECT persistence_id, MAX(sequence_number) FROM event_journal"
          + " WHERE persistence_id IN (");
      for (int i = 0; i < part.size(); i++) {
        String id = part.get(i);
        if (!ID.matcher(id).matches()) {
          throw new IllegalArgumentException("not an entity's persistence id: [" + id + "]");
        }
        sql.append(i == 0 ? "'" : ", '").append(id).append('\'');
      }
      sql.append(") GROUP BY persistence_id");
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /**
   * Appends the entries, then runs {@code more} (the caller's own bookkeeping), and commits both together; on a
   * failure neither is there. On SQLite the transaction holds the write lock from the start, as the journal's own
   * writes do.
   */
  public void appendInTransaction(Connection c, List<Entry> entries, SqlWork more) throws SQLException {
    List<Tuple2<JournalTables.JournalPekkoSerializationRow, scala.collection.immutable.Set<String>>> rows =
        new ArrayList<>(entries.size());
    long now = System.currentTimeMillis();
    for (Entry e : entries) {
      PekkoSerialization.PekkoSerialized s = PekkoSerialization$.MODULE$.serialize(serialization, e.event()).get();
      JournalTables.JournalPekkoSerializationRow row = new JournalTables.JournalPekkoSerializationRow(Long.MIN_VALUE,
          false, e.persistenceId(), e.sequenceNr(), writer, now, "", s.payload(), s.serId(), s.serManifest(),
          Option.empty(), Option.empty(), Option.empty());
      rows.add(new Tuple2<>(row, CollectionConverters.asScala(java.util.Set.of(e.tag())).toSet()));
    }
    boolean sqlite = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("sqlite");
    if (sqlite) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        try {
          if (!rows.isEmpty()) {
            BatchingJournalDao.insert(c, rows, BatchingJournalDao.nextSqliteOrdering(st), 1);
          }
          more.run(c);
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
      return;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      if (!rows.isEmpty()) {
        if (sequence == null) {
          sequence = BatchingJournalDao.orderingSequence(c);
        }
        BatchingJournalDao.insert(c, rows, BatchingJournalDao.postgresOrderings(c, sequence, rows.size()));
      }
      more.run(c);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
