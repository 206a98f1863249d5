package org.meshhub.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.meshhub.core.db.StorageException;

/**
 * Matches the source tables onto the target tables of the same names, column by column, and orders them so that a
 * table is copied after every table it references. Nothing here is specific to the journal: a read table added by a
 * later migration on both dialects moves without a change to this class.
 */
final class CopyPlan {
  /** Among tables free to go, the journal first: the rest refer to its orderings. */
  private static final List<String> PREFERRED = List.of("event_journal", "event_tag", "snapshot",
      "pekko_projection_offset_store", "pekko_projection_management");

  private CopyPlan() {}

  /** The plan, or a refusal listing every source table or column the target has no place for. */
  static List<TablePlan> build(Connection source, List<SourceDatabase.Table> tables, TargetSchema target,
      String targetName) throws SQLException {
    List<String> problems = new ArrayList<>();
    Map<String, TablePlan> plans = new LinkedHashMap<>();
    for (SourceDatabase.Table table : tables) {
      TargetSchema.Table t = target.tables().get(table.name());
      if (t == null) {
        problems.add("source table " + table.name() + " has no table of that name in " + targetName);
        continue;
      }
      List<String> columns = new ArrayList<>();
      List<FieldCodec> codecs = new ArrayList<>();
      Set<String> copied = new HashSet<>();
      for (SourceDatabase.Column sc : table.columns()) {
        TargetSchema.Column tc = t.column(sc.name());
        if (tc == null && isRowidAlias(table, sc.name())) {
          continue; // SQLite's own row id under a name (for a full-text index): the target keeps rows without it
        }
        if (tc == null) {
          problems.add("column " + table.name() + "." + sc.name() + " has no column of that name in " + targetName);
          continue;
        }
        if (tc.generated()) {
          continue; // PostgreSQL computes it again
        }
        FieldCodec codec = FieldCodec.forColumn(tc);
        if (codec == null) {
          problems.add("column " + table.name() + "." + sc.name() + " is " + tc.display()
              + " in the target, a type the migration does not convert into (it converts into "
              + FieldCodec.SUPPORTED + ")");
          continue;
        }
        columns.add(sc.name());
        codecs.add(codec);
        copied.add(sc.name());
      }
      List<TablePlan.Sequence> sequences = new ArrayList<>();
      for (TargetSchema.Column tc : t.columns()) {
        if (!copied.contains(tc.name()) && !tc.optional()) {
          problems.add("column " + table.name() + "." + tc.name() + " of the target is NOT NULL without a default"
              + " and the source has no such column");
        }
        if (tc.sequence() != null && copied.contains(tc.name())) {
          sequences.add(new TablePlan.Sequence(tc.name(), tc.sequence(), isRowidAlias(table, tc.name())));
        }
      }
      long rows = SourceDatabase.count(source, table.name());
      long autoincrement = SourceDatabase.autoincrementValue(source, table.name());
      plans.put(table.name(), new TablePlan(0, table, columns, codecs, sequences, rows, autoincrement));
    }
    if (!problems.isEmpty()) {
      throw StorageException.refused("the source does not fit the target schema: " + String.join("; ", problems));
    }
    List<String> order = order(plans.keySet(), target.dependencies());
    List<TablePlan> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      TablePlan p = plans.get(order.get(i));
      out.add(new TablePlan(i + 1, p.source(), p.columns(), p.codecs(), p.sequences(), p.sourceRows(),
          p.autoincrement()));
    }
    return out;
  }

  /** The column is the table's {@code INTEGER PRIMARY KEY}, that is SQLite's rowid under another name. */
  static boolean isRowidAlias(SourceDatabase.Table table, String column) {
    return !table.withoutRowid() && table.primaryKey().equals(List.of(column)) && declaredInteger(table, column);
  }

  private static boolean declaredInteger(SourceDatabase.Table table, String column) {
    for (SourceDatabase.Column c : table.columns()) {
      if (c.name().equals(column)) {
        return c.declaredType().toUpperCase(Locale.ROOT).equals("INTEGER");
      }
    }
    return false;
  }

  /** Referenced tables first; among tables free to go, the journal's, then by name. */
  static List<String> order(Set<String> tables, Set<TargetSchema.Dependency> dependencies) {
    Map<String, Set<String>> needs = new HashMap<>();
    for (String t : tables) {
      needs.put(t, new HashSet<>());
    }
    for (TargetSchema.Dependency d : dependencies) {
      if (tables.contains(d.table()) && tables.contains(d.references())) {
        needs.get(d.table()).add(d.references());
      }
    }
    Comparator<String> preference = Comparator.<String>comparingInt(t -> {
      int i = PREFERRED.indexOf(t);
      return i < 0 ? PREFERRED.size() : i;
    }).thenComparing(Comparator.naturalOrder());
    List<String> out = new ArrayList<>();
    Set<String> left = new HashSet<>(tables);
    while (!left.isEmpty()) {
      String next = left.stream().filter(t -> out.containsAll(needs.get(t))).min(preference)
          // A cycle of foreign keys: take the preferred table, its constraint checks what it can.
          .orElseGet(() -> left.stream().min(preference).orElseThrow());
      out.add(next);
      left.remove(next);
    }
    return out;
  }
}
