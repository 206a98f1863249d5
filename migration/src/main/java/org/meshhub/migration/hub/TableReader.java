package org.meshhub.migration.hub;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.meshhub.core.db.StorageException;

/**
 * Reads one source table with forward-only cursors and cuts it into {@link ImportBatch}es of about
 * {@code batchSize} rows, each cut where the table allows it, with the observers of the batch's events fetched in
 * one go. A resumed table skips the rows its checkpoint counts, and checks that the last of them is the row the
 * checkpoint names.
 */
final class TableReader<R> implements AutoCloseable {
  /** A batch that cannot be cut at a preferred place grows to at most this many times the batch size. */
  static final int MAX_GROWTH = 8;

  private final HubSource source;
  private final HubTables.Table<R> table;
  private final HubMapping mapping;
  private final int batchSize;
  private final List<HubRows.Query<R>> queries;
  private int query = -1;
  private PreparedStatement statement;
  private ResultSet cursor;
  private R peeked;
  private boolean exhausted;
  private long rowsRead;

  /**
   * @param skip rows read by earlier runs (the checkpoint), skipped
   * @param lastKey the id of the last of them, or null
   */
  TableReader(HubSource source, HubTables.Table<R> table, HubMapping mapping, int batchSize, long skip,
      String lastKey) throws SQLException {
    this.source = source;
    this.table = table;
    this.mapping = mapping;
    this.batchSize = batchSize;
    this.queries = source.hasTable(table.name()) ? table.queries(source, mapping.nodes()) : List.of();
    String last = null;
    while (rowsRead < skip) {
      R row = take();
      if (row == null) {
        throw StorageException.refused("the source has fewer rows in " + table.name() + " than the interrupted"
            + " import read (" + skip + "): it changed since; run with --restart to import it again from the start");
      }
      last = table.id(row);
    }
    if (skip > 0 && lastKey != null && !lastKey.equals(last)) {
      throw StorageException.refused("the rows of " + table.name() + " are not where the interrupted import left"
          + " them: the source changed since; run with --restart to import it again from the start");
    }
  }

  /** Rows read so far, the skipped ones included. */
  long rowsRead() {
    return rowsRead;
  }

  /** The next batch, or null at the end of the table. */
  ImportBatch next() throws SQLException {
    List<R> rows = new ArrayList<>();
    R last = null;
    while (true) {
      R row = peek();
      if (row == null) {
        break;
      }
      if (last != null && rows.size() >= batchSize && !table.cut(row).equals(table.cut(last))) {
        break;
      }
      if (last != null && rows.size() >= batchSize * MAX_GROWTH && !table.group(row).equals(table.group(last))) {
        break;
      }
      last = take();
      rows.add(last);
    }
    if (rows.isEmpty()) {
      return null;
    }
    Map<String, List<HubRows.ObserverRow>> observers = Map.of();
    if (table.eventType() != null) {
      LinkedHashSet<String> hashes = new LinkedHashSet<>();
      for (R row : rows) {
        String hash = table.eventHash(row);
        if (hash != null) {
          hashes.add(hash);
        }
      }
      observers = HubRows.observers(source, table.eventType(), new ArrayList<>(hashes));
    }
    Counters counters = new Counters();
    counters.add(Counters.ROWS, rows.size());
    List<List<ImportBatch.Send>> work = new ArrayList<>();
    table.build(rows, observers, peek(), mapping, counters, work);
    return new ImportBatch(rowsRead, table.id(last), work, counters);
  }

  private R peek() throws SQLException {
    if (peeked == null && !exhausted) {
      peeked = read();
    }
    return peeked;
  }

  private R take() throws SQLException {
    R row = peek();
    peeked = null;
    if (row != null) {
      rowsRead++;
    }
    return row;
  }

  private R read() throws SQLException {
    while (true) {
      if (cursor != null && cursor.next()) {
        return queries.get(query).reader().read(cursor);
      }
      closeCursor();
      query++;
      if (query >= queries.size()) {
        exhausted = true;
        return null;
      }
      statement = source.stream(queries.get(query).sql(), Math.max(1_000, batchSize));
      cursor = statement.executeQuery();
    }
  }

  private void closeCursor() throws SQLException {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
    if (statement != null) {
      statement.close();
      statement = null;
    }
  }

  @Override
  public void close() {
    try {
      closeCursor();
    } catch (SQLException ignored) {
      // a read-only cursor; nothing to lose
    }
  }
}
