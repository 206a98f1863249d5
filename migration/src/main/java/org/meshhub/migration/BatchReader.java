package org.meshhub.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.meshhub.core.db.StorageException;

/**
 * Reads one source table in key order with a single forward-only cursor (rowid order, or primary-key order for a
 * {@code WITHOUT ROWID} table), starting after the last key a checkpoint recorded, and cuts it into batches already
 * in binary COPY form, each with the key of its last row and the sum of its row hashes.
 */
final class BatchReader implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A batch of rows ready for COPY.
   *
   * @param data {@code length} bytes of rows in binary COPY form (no header, no trailer)
   * @param lastKey the key of its last row (null for an empty batch)
   * @param checksum sum of its row hashes
   * @param last no row follows it
   */
  record Batch(byte[] data, int length, int rows, String lastKey, long checksum, boolean last) {}

  private final TablePlan plan;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rs;
  private final FieldCodec[] codecs;
  private final RowHash hash;
  private final int keyColumns;
  private final int batchRows;
  private final int batchBytes;
  private boolean hasRow;
  private boolean finished;
  private int capacity = 1 << 20;

  BatchReader(SourceDatabase source, TablePlan plan, String afterKey, int batchRows, int batchBytes)
      throws SQLException {
    this.plan = plan;
    this.codecs = plan.codecs().toArray(new FieldCodec[0]);
    this.hash = new RowHash(plan.codecs());
    this.batchRows = batchRows;
    this.batchBytes = batchBytes;
    SourceDatabase.Table t = plan.source();
    List<String> key = t.withoutRowid() ? t.primaryKey() : List.of("rowid");
    this.keyColumns = key.size();
    String keyList = key.stream().map(k -> k.equals("rowid") ? k : SourceDatabase.quote(k))
        .collect(Collectors.joining(", "));
    String columns = plan.columns().stream().map(SourceDatabase::quote).collect(Collectors.joining(", "));
    StringBuilder sql = new StringBuilder("SELECT ").append(keyList);
    if (!columns.isEmpty()) {
      sql.append(", ").append(columns);
    }
    sql.append(" FROM ").append(SourceDatabase.quote(t.name()));
    Object[] after = afterKey == null ? null : decodeKey(afterKey);
    if (after != null) {
      sql.append(keyColumns == 1 ? " WHERE " + keyList + " > ?" : " WHERE (" + keyList + ") > ("
          + String.join(", ", java.util.Collections.nCopies(keyColumns, "?")) + ")");
    }
    sql.append(" ORDER BY ").append(keyList);
    this.connection = source.connect();
    try {
      this.statement = connection.prepareStatement(sql.toString());
      if (after != null) {
        for (int i = 0; i < after.length; i++) {
          statement.setObject(i + 1, after[i]);
        }
      }
      this.rs = statement.executeQuery();
      this.hasRow = rs.next();
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The next batch (the last one says so; an empty table gives one empty last batch), then null. */
  Batch next() throws SQLException {
    if (finished) {
      return null;
    }
    CopyBuffer out = new CopyBuffer(capacity);
    int rows = 0;
    long checksum = 0;
    String lastKey = null;
    long lastRowid = 0;
    boolean rowid = !plan.source().withoutRowid();
    while (hasRow && rows < batchRows && out.size() < batchBytes) {
      int start = out.size();
      out.putShort(codecs.length);
      for (int i = 0; i < codecs.length; i++) {
        try {
          codecs[i].encode(rs, keyColumns + 1 + i, out);
        } catch (FieldCodec.ConversionException e) {
          throw StorageException.refused("cannot copy " + plan.table() + ": the row with " + describeKey()
              + " has a value in column " + plan.columns().get(i) + " that " + e.getMessage()
              + "; nothing of its batch was written, the rows before it are copied and checkpointed");
        }
      }
      checksum += hash.hash(out.array(), start, out.size());
      rows++;
      if (rowid) {
        lastRowid = rs.getLong(1);
      } else {
        lastKey = currentKey();
      }
      hasRow = rs.next();
    }
    if (rowid && rows > 0) {
      lastKey = Long.toString(lastRowid);
    }
    finished = !hasRow;
    capacity = Math.max(1 << 16, Math.min(out.size() + (out.size() >> 3), batchBytes + (1 << 20)));
    return new Batch(out.array(), out.size(), rows, lastKey, checksum, finished);
  }

  private String describeKey() throws SQLException {
    return plan.source().withoutRowid() ? "key " + currentKey() : "rowid " + rs.getLong(1);
  }

  /** The current row's key as text: a JSON list of typed values. */
  private String currentKey() throws SQLException {
    List<List<String>> values = new ArrayList<>();
    for (int i = 1; i <= keyColumns; i++) {
      Object o = rs.getObject(i);
      if (o == null) {
        values.add(List.of("n", ""));
      } else if (o instanceof Integer || o instanceof Long) {
        values.add(List.of("i", o.toString()));
      } else if (o instanceof Number n) {
        values.add(List.of("r", Double.toString(n.doubleValue())));
      } else if (o instanceof byte[] b) {
        values.add(List.of("b", HexFormat.of().formatHex(b)));
      } else {
        values.add(List.of("s", o.toString()));
      }
    }
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bind values of a key written by {@link #next()}: a bare rowid, or a JSON list of typed values. */
  static Object[] decodeKey(String key) {
    if (!key.startsWith("[")) {
      return new Object[] {Long.parseLong(key)};
    }
    try {
      List<?> values = JSON.readValue(key, List.class);
      Object[] out = new Object[values.size()];
      for (int i = 0; i < out.length; i++) {
        List<?> pair = (List<?>) values.get(i);
        String type = (String) pair.get(0);
        String value = (String) pair.get(1);
        out[i] = switch (type) {
          case "i" -> Long.parseLong(value);
          case "r" -> Double.parseDouble(value);
          case "b" -> HexFormat.of().parseHex(value);
          case "n" -> null;
          default -> value;
        };
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable checkpoint key " + key, e);
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      rs.close();
      statement.close();
    } finally {
      connection.close();
    }
  }
}
