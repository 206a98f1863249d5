package org.meshhub.projections.message;

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

  /** The one place where message text search meets SQL: restricts {@code m} (messages) to matching rows. */
  public static void restrict(Where where, Dialect dialect, String search) {
    List<String> words = words(search);
    if (dialect == Dialect.SQLITE) {
      StringBuilder match = new StringBuilder();
      for (String w : words) {
        match.append(match.length() == 0 ? "" : " ").append('"').append(w).append('"');
      }
      where.add("m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)", match.toString());
    } else {
      where.add("m.search_vector @@ plainto_tsquery('simple', ?)", String.join(" ", words));
    }
  }
}
