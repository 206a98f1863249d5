package org.meshhub.migration.hub;

import java.util.List;

/**
 * The import's account, per source table: rows in MeshCore Hub, rows mapped and not, events written, and the rows
 * MeshHub's read tables hold against the rows the mapped source rows must make after MeshHub's deduplication. A
 * difference with no reason given is a problem, and the command exits with 1.
 *
 * @param explanations why the figures differ where they may: rows not mapped by reason, rows merged by MeshHub's
 *     rules, ids and times derived as MeshHub derives them
 * @param problems differences nothing explains
 */
public record Reconciliation(List<Line> lines, List<String> explanations, List<String> problems) {

  public Reconciliation {
    lines = List.copyOf(lines);
    explanations = List.copyOf(explanations);
    problems = List.copyOf(problems);
  }

  /**
   * One source table (or the observer rows of one event type) and one read table it fills.
   *
   * @param events events the entities wrote for these rows (earlier runs included)
   * @param expectedRows read rows the mapped rows make
   * @param atLeast the database held data before this import, so the read table may hold more
   */
  public record Line(String sourceTable, long sourceRows, long mapped, long notMapped, long events,
      String readTable, long readRows, long expectedRows, boolean atLeast) {

    public boolean ok() {
      return atLeast ? readRows >= expectedRows : readRows == expectedRows;
    }
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
