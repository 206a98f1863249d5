package org.meshhub.migration;

import java.util.List;

/**
 * The reconciliation at the end of a migration: per table, rows and checksum on both sides.
 *
 * @param recomputed the source checksums were computed again by reading the whole source (a run after a finished
 *     migration); otherwise they were computed while the rows were read for the copy
 */
public record Verification(List<Row> rows, boolean recomputed) {

  public Verification {
    rows = List.copyOf(rows);
  }

  /** One table. */
  public record Row(String table, long sourceRows, long targetRows, long sourceChecksum, long targetChecksum) {
    public boolean ok() {
      return sourceRows == targetRows && sourceChecksum == targetChecksum;
    }

    public String sourceChecksumHex() {
      return RowHash.format(sourceChecksum);
    }

    public String targetChecksumHex() {
      return RowHash.format(targetChecksum);
    }
  }

  public boolean ok() {
    return rows.stream().allMatch(Row::ok);
  }

  public List<Row> mismatches() {
    return rows.stream().filter(r -> !r.ok()).toList();
  }
}
