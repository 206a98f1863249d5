package org.meshhub.migration;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Counts and checksums of one table on either side. The target side reads the table back with binary COPY and hashes
 * each row as PostgreSQL returns it; the source side hashes the rows as they were converted for the copy. Both use
 * {@link RowHash}, so they agree exactly when every value arrived intact.
 */
final class Verifier {
  private static final byte[] SIGNATURE = Arrays.copyOf(CopyBuffer.HEADER, 11);

  /** Rows and checksum of one side. */
  record Sum(long rows, long checksum) {}

  private Verifier() {}

  /** Reads the copied columns of a target table back and hashes every row. */
  static Sum target(Connection c, TablePlan plan, LongConsumer progress) throws SQLException, IOException {
    String columns = plan.columns().stream().map(SourceDatabase::quote).collect(Collectors.joining(", "));
    String sql = "COPY (SELECT " + columns + " FROM " + SourceDatabase.quote(plan.table())
        + ") TO STDOUT (FORMAT binary)";
    RowHash hash = new RowHash(plan.codecs());
    CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
    try {
      TupleReader reader = new TupleReader(hash);
      byte[] chunk;
      while ((chunk = copy.readFromCopy()) != null) {
        if (reader.accept(chunk)) {
          progress.accept(reader.rows);
        }
      }
      if (!reader.ended) {
        throw new IOException("the COPY of " + plan.table() + " ended early");
      }
      progress.accept(reader.rows);
      return new Sum(reader.rows, reader.checksum);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /**
   * Cuts the binary COPY stream into rows and hashes each. PostgreSQL sends one row per message, so a row is nearly
   * always hashed straight from the message it came in; a row split across messages is put together first.
   */
  static final class TupleReader {
    private final RowHash hash;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private boolean headerRead;
    private boolean ended;
    private long rows;
    private long checksum;

    TupleReader(RowHash hash) {
      this.hash = hash;
    }

    /** Takes the next message; true every 65,536 rows, for progress. */
    boolean accept(byte[] chunk) throws IOException {
      byte[] buf;
      int len;
      if (pendingLength == 0) {
        buf = chunk;
        len = chunk.length;
      } else {
        if (pendingLength + chunk.length > pending.length) {
          pending = Arrays.copyOf(pending, Math.max(pendingLength + chunk.length, pending.length * 2));
        }
        System.arraycopy(chunk, 0, pending, pendingLength, chunk.length);
        pendingLength += chunk.length;
        buf = pending;
        len = pendingLength;
      }
      int pos = 0;
      if (!headerRead) {
        if (len < 19) {
          keep(buf, pos, len);
          return false;
        }
        if (!Arrays.equals(buf, 0, 11, SIGNATURE, 0, 11)) {
          throw new IOException("PostgreSQL sent no binary COPY signature");
        }
        int extension = CopyBuffer.getInt(buf, 15);
        if (len < 19 + extension) {
          keep(buf, pos, len);
          return false;
        }
        pos = 19 + extension;
        headerRead = true;
      }
      boolean report = false;
      while (pos + 2 <= len && !ended) {
        int fields = CopyBuffer.getShort(buf, pos);
        if (fields == -1) {
          ended = true;
          pos += 2;
          break;
        }
        int end = pos + 2;
        boolean complete = true;
        for (int f = 0; f < fields; f++) {
          if (end + 4 > len) {
            complete = false;
            break;
          }
          int fieldLength = CopyBuffer.getInt(buf, end);
          end += 4 + Math.max(0, fieldLength);
          if (end > len) {
            complete = false;
            break;
          }
        }
        if (!complete) {
          break;
        }
        checksum += hash.hash(buf, pos, end);
        rows++;
        report |= (rows & 0xFFFF) == 0;
        pos = end;
      }
      keep(buf, pos, len);
      return report;
    }

    private void keep(byte[] buf, int from, int len) {
      int rest = len - from;
      if (rest <= 0) {
        pendingLength = 0;
        return;
      }
      if (buf == pending) {
        System.arraycopy(pending, from, pending, 0, rest);
      } else {
        if (rest > pending.length) {
          pending = new byte[Math.max(rest, 1 << 16)];
        }
        System.arraycopy(buf, from, pending, 0, rest);
      }
      pendingLength = rest;
    }
  }

  /** Reads the whole source table again, converted as for the copy, and hashes every row. */
  static Sum source(SourceDatabase source, TablePlan plan, int batchRows, LongConsumer progress)
      throws SQLException {
    long rows = 0;
    long checksum = 0;
    try (BatchReader reader = new BatchReader(source, plan, null, batchRows, 32 << 20)) {
      BatchReader.Batch b;
      while ((b = reader.next()) != null) {
        rows += b.rows();
        checksum += b.checksum();
        progress.accept(rows);
      }
    }
    return new Sum(rows, checksum);
  }
}
