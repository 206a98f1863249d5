package org.meshhub.migration;

import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The per-row hash of the verification: 64 bits (CRC-32C and CRC-32 of the row's binary COPY fields, both computed
 * by the CPU's own instructions), applied in the same way to a row as it was sent from SQLite and as PostgreSQL hands
 * it back. A table's checksum is the sum of its row hashes modulo 2^64: independent of row order, and unlike an
 * exclusive or, a row present twice does not cancel out.
 */
final class RowHash {
  private final CRC32C crc32c = new CRC32C();
  private final CRC32 crc32 = new CRC32();
  private final FieldCodec[] codecs;
  private final boolean exact;
  private final byte[] lengthBytes = new byte[4];

  RowHash(List<FieldCodec> codecs) {
    this.codecs = codecs.toArray(new FieldCodec[0]);
    boolean all = true;
    for (FieldCodec c : this.codecs) {
      all &= c.exact();
    }
    this.exact = all;
  }

  /** The hash of one row: {@code buf[start, end)} holds its field count and fields. */
  long hash(byte[] buf, int start, int end) {
    crc32c.reset();
    crc32.reset();
    if (exact) {
      update(buf, start, end - start);
    } else {
      update(buf, start, 2);
      int pos = start + 2;
      for (FieldCodec codec : codecs) {
        int len = CopyBuffer.getInt(buf, pos);
        if (len < 0 || codec.exact()) {
          update(buf, pos, 4 + Math.max(0, len));
        } else {
          byte[] normalized = codec.normalized(buf, pos + 4, len);
          lengthBytes[0] = (byte) (normalized.length >>> 24);
          lengthBytes[1] = (byte) (normalized.length >>> 16);
          lengthBytes[2] = (byte) (normalized.length >>> 8);
          lengthBytes[3] = (byte) normalized.length;
          update(lengthBytes, 0, 4);
          update(normalized, 0, normalized.length);
        }
        pos += 4 + Math.max(0, len);
      }
    }
    return (crc32c.getValue() << 32) | crc32.getValue();
  }

  private void update(byte[] b, int off, int len) {
    crc32c.update(b, off, len);
    crc32.update(b, off, len);
  }

  /** A checksum as people read it: 16 hex digits. */
  static String format(long checksum) {
    return String.format("%016x", checksum);
  }
}
