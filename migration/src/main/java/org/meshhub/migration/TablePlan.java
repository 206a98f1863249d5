package org.meshhub.migration;

import java.util.List;

/**
 * How one table moves: which columns, converted by which codecs (from the target's column types), read in which key
 * order, and which target sequences are set past the copied values afterwards.
 *
 * @param position place in the copy order (tables another table references come first)
 * @param source the source table as SQLite describes it
 * @param columns the columns copied, in order: every source column, under the same name in the target
 * @param codecs one per copied column
 * @param sequences target columns backed by a sequence, set past the copied values when the table is done
 * @param sourceRows rows in the source table when the plan was made
 * @param autoincrement SQLite's AUTOINCREMENT high-water mark of the table (0 when it has none)
 */
public record TablePlan(
    int position,
    SourceDatabase.Table source,
    List<String> columns,
    List<FieldCodec> codecs,
    List<Sequence> sequences,
    long sourceRows,
    long autoincrement) {

  public TablePlan {
    columns = List.copyOf(columns);
    codecs = List.copyOf(codecs);
    sequences = List.copyOf(sequences);
  }

  /**
   * A target column whose values come from a sequence.
   *
   * @param rowidAlias the column is SQLite's rowid of the table (its INTEGER PRIMARY KEY), so the AUTOINCREMENT
   *     high-water mark applies to it too
   */
  public record Sequence(String column, String sequence, boolean rowidAlias) {}

  public String table() {
    return source.name();
  }
}
