package org.meshhub.migration.hub;

import java.util.List;
import java.util.Map;

/**
 * What an import will do, before it writes anything: the source and its schema revision, the target, whether this is
 * a new import, the rest of an interrupted one or a finished one checked again, and per source table its rows and
 * how far earlier runs got.
 *
 * @param observerRows rows of {@code event_observers} per event type
 * @param targetEvents events already in MeshHub's journal
 */
public record ImportPlan(String source, HubRevision revision, String target, Mode mode, int batchSize,
    List<TableRow> tables, Map<String, Long> observerRows, long targetEvents, String runSource) {

  public ImportPlan {
    tables = List.copyOf(tables);
    observerRows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(observerRows));
  }

  /** What the run does. */
  public enum Mode {
    /** Nothing imported yet into an empty MeshHub. */
    FRESH,
    /** Carry on from the checkpoints of an interrupted run of the same source. */
    RESUME,
    /** Every table is imported: only reconcile again. */
    FINISHED,
    /** Read every row again ({@code --restart}); what is in MeshHub already is recognised, not doubled. */
    RESTART
  }

  /**
   * One source table.
   *
   * @param readBefore rows read and checkpointed by earlier runs
   */
  public record TableRow(String table, long sourceRows, long readBefore, boolean done, List<String> readTables) {}

  public long sourceRows() {
    return tables.stream().mapToLong(TableRow::sourceRows).sum()
        + observerRows.values().stream().mapToLong(Long::longValue).sum();
  }

  public long observerRowsTotal() {
    return observerRows.values().stream().mapToLong(Long::longValue).sum();
  }
}
