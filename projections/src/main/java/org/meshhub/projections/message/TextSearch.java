package org.meshhub.projections.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.meshhub.core.db.Dialect;
import org.meshhub.projections.query.QueryException;
import org.meshhub.projections.query.Where;

/**
 * Full-text search of message text and sender, in the dialect's own index: FTS5 on SQLite ({@code messages_fts},
 * external content over {@code messages}), a {@code tsvector} with a GIN index on PostgreSQL. Both match whole
 * words, all of them, case-insensitively; neither stems.
 */
public final class TextSearch {
  public static final int MAX_LENGTH = 200;
  public static final int MAX_WORDS = 16;

  private TextSearch() {}

  /** The words of a search: letters and digits; everything else separates words. */
  public static List<String> words(String search) {
    if (search.length() > MAX_LENGTH) {
      throw new QueryException("search", "must be at most " + MAX_LENGTH + " characters");
    }
    List<String> words = new ArrayList<>();
    for (String w : search.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    if (words.isEmpty()) {
      throw new QueryException("search", "needs at least one word of letters or digits");
    }
    if (words.size() > MAX_WORDS) {
      throw new QueryException("search", "must be at most " + MAX_WORDS + " words");
    }
    return words;
  }

  /**
   * The one place where message text search meets SQL: restricts {@code m} (messages) to matching rows, for a page
   * that ends {@code window} rows into the newest-first order of {@code total} messages.
   *
   * <p>On SQLite the plan depends on how common the rarest word is (FTS5's own term statistics, one index lookup per
   * word): a rare word collects its few matches from the index and sorts them; a common one walks the messages newest
   * first and checks each in the index, stopping at the end of the page. Either way a page costs about as many rows
   * as the smaller of the two, never the number of matches of a word that is everywhere. PostgreSQL's planner makes
   * the same choice itself from the tsvector column's statistics.
   */
  public static void restrict(Connection c, Where where, Dialect dialect, String search, long window, long total)
      throws SQLException {
    List<String> words = words(search);
    if (dialect == Dialect.SQLITE) {
      String match = match(words);
      long rarest = rarest(c, words);
      boolean walk = rarest > 0 && rarest > 4 * window * Math.max(1, total) / rarest;
      if (walk) {
        where.add("EXISTS (SELECT 1 FROM messages_fts f WHERE messages_fts MATCH ? AND f.rowid = m.id)", match);
      } else {
        where.add("m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)", match);
      }
    } else {
      where.add("m.search_vector @@ plainto_tsquery('simple', ?)", String.join(" ", words));
    }
  }

  /** The search as a restriction of the full-text table alone ({@code FROM messages_fts ...} or {@code messages}). */
  public static String onlyIndex(Dialect dialect) {
    return dialect == Dialect.SQLITE ? "FROM messages_fts WHERE messages_fts MATCH ?"
        : "FROM messages m WHERE m.search_vector @@ plainto_tsquery('simple', ?)";
  }

  /** The parameter of {@link #onlyIndex}. */
  public static String onlyIndexParameter(Dialect dialect, String search) {
    List<String> words = words(search);
    return dialect == Dialect.SQLITE ? match(words) : String.join(" ", words);
  }

  private static String match(List<String> words) {
    StringBuilder match = new StringBuilder();
    for (String w : words) {
      match.append(match.length() == 0 ? "" : " ").append('"').append(w).append('"');
    }
    return match.toString();
  }

  /** Messages holding the rarest of the words (0 when one is not indexed as given), from FTS5's term table. */
  private static long rarest(Connection c, List<String> words) throws SQLException {
    long min = Long.MAX_VALUE;
    try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM messages_fts_vocab WHERE term = ?")) {
      for (String w : words) {
        ps.setString(1, w);
        try (ResultSet rs = ps.executeQuery()) {
          min = Math.min(min, rs.next() ? rs.getLong(1) : 0);
        }
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }
}
