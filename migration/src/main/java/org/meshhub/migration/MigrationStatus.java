package org.meshhub.migration;

import java.util.List;

/**
 * What the migrator actor answers to a status query.
 *
 * @param table the table being copied, indexed or verified, or null
 * @param detail what is being done to it when that is more than copying: the index being built
 * @param tables every table of the plan, in copy order
 */
public record MigrationStatus(Phase phase, String table, String detail, List<TableProgress> tables) {

  public MigrationStatus {
    tables = List.copyOf(tables);
  }

  /** Where the migration is. */
  public enum Phase {
    COPYING,
    /** Building the indexes and constraints set aside during the copy. */
    INDEXING,
    VERIFYING,
    FINISHED,
    STOPPED,
    FAILED
  }

  /**
   * One table.
   *
   * @param sourceRows rows in the source
   * @param copiedRows rows in the target, committed with their checkpoint (earlier runs included)
   * @param copiedThisRun rows this run copied
   * @param copyNanos time this run spent copying the table so far
   * @param done every row is copied
   * @param verifiedRows target rows read back by the verification so far
   */
  public record TableProgress(String table, long sourceRows, long copiedRows, long copiedThisRun, long copyNanos,
      boolean done, long verifiedRows) {

    /** Rows per second this run, 0 before the first batch. */
    public double rate() {
      return copyNanos <= 0 ? 0 : copiedThisRun / (copyNanos / 1e9);
    }
  }

  public long sourceRows() {
    return tables.stream().mapToLong(TableProgress::sourceRows).sum();
  }

  public long copiedRows() {
    return tables.stream().mapToLong(TableProgress::copiedRows).sum();
  }
}
