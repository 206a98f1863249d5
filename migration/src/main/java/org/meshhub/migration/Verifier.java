package org.meshhub.migration;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

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
    String sql = "COPY (SELECT " + (columns.isEmpty() ? "" : columns) + " FROM " + SourceDatabase.quote(plan.table())
        + ") TO STDOUT (FORMAT binary)";
    RowHash hash = new RowHash(plan.codecs());
    PGCopyInputStream copy = new PGCopyInputStream(c.unwrap(PGConnection.class), sql);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(copy, 1 << 20))) {
      byte[] header = new byte[11];
      in.readFully(header);
      if (!Arrays.equals(header, SIGNATURE)) {
        throw new IOException("PostgreSQL sent no binary COPY signature");
      }
      in.readInt(); // flags
      in.skipNBytes(in.readInt()); // header extension
      byte[] row = new byte[1 << 16];
      long rows = 0;
      long checksum = 0;
      while (true) {
        short fields = in.readShort();
        if (fields == -1) {
          break;
        }
        int size = 2;
        row[0] = (byte) (fields >>> 8);
        row[1] = (byte) fields;
        for (int f = 0; f < fields; f++) {
          int len = in.readInt();
          int need = size + 4 + Math.max(0, len);
          if (need > row.length) {
            row = Arrays.copyOf(row, Math.max(need, row.length * 2));
          }
          row[size] = (byte) (len >>> 24);
          row[size + 1] = (byte) (len >>> 16);
          row[size + 2] = (byte) (len >>> 8);
          row[size + 3] = (byte) len;
          size += 4;
          if (len > 0) {
            in.readFully(row, size, len);
            size += len;
          }
        }
        checksum += hash.hash(row, 0, size);
        rows++;
        if ((rows & 0xFFFF) == 0) {
          progress.accept(rows);
        }
      }
      // Drain to the end of the COPY so that the connection is usable again.
      while (in.read() >= 0) {
        // nothing after the trailer
      }
      progress.accept(rows);
      return new Sum(rows, checksum);
    } catch (EOFException e) {
      throw new IOException("the COPY of " + plan.table() + " ended early", e);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
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
