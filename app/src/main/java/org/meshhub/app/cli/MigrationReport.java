package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.meshhub.migration.Migration;
import org.meshhub.migration.MigrationStatus;
import org.meshhub.migration.Verification;

/** The tables {@code meshhub db migrate-to-postgres} prints: the plan, the copy summary, the reconciliation. */
final class MigrationReport {
  private MigrationReport() {}

  static void plan(PrintWriter out, Migration.Plan plan, boolean dryRun) {
    out.printf("Source  %s (MeshHub schema version %d)%n", plan.source(), plan.sourceSchemaVersion());
    out.printf("Target  %s%n", plan.target());
    out.printf("Schema  %s%n", plan.schemaAction());
    String mode = switch (plan.mode()) {
      case FRESH -> "copy every table";
      case RESUME -> "carry on from the checkpoints of an interrupted run";
      case REVERIFY -> "every table is copied already: verify again, change nothing";
    };
    out.printf("Plan    %s; batches of %s rows, %s%n", mode, number(plan.batchSize()),
        plan.checkpoints() ? "each committed with its checkpoint" : "WITHOUT checkpoints (one transaction per table)");
    out.println();
    int w = width(plan);
    out.printf("%-" + w + "s %14s %14s%n", "table", "source rows", "copied before");
    for (Migration.PlanRow r : plan.tables()) {
      out.printf("%-" + w + "s %14s %14s%s%n", r.table(), number(r.sourceRows()), number(r.copiedRows()),
          r.done() ? "  done" : "");
    }
    out.printf("%-" + w + "s %14s %14s%n", "total", number(plan.sourceRows()),
        number(plan.tables().stream().mapToLong(Migration.PlanRow::copiedRows).sum()));
    out.flush();
  }

  static void summary(PrintWriter out, MigrationStatus status, long elapsedNanos) {
    long rows = status.tables().stream().mapToLong(MigrationStatus.TableProgress::copiedThisRun).sum();
    double seconds = elapsedNanos / 1e9;
    out.println();
    out.printf("Copied %s rows in %s: %s rows/s, indexes and verification included%n", number(rows),
        seconds(seconds), number(Math.round(rows / Math.max(seconds, 1e-3))));
    int w = Math.max(24, status.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0) + 2);
    out.printf("%-" + w + "s %14s %10s %12s%n", "table", "rows", "time", "rows/s");
    for (MigrationStatus.TableProgress t : status.tables()) {
      out.printf("%-" + w + "s %14s %10s %12s%n", t.table(), number(t.copiedThisRun()),
          seconds(t.copyNanos() / 1e9), t.copiedThisRun() == 0 ? "-" : number(Math.round(t.rate())));
    }
    out.flush();
  }

  static void verification(PrintWriter out, Verification v) {
    out.println();
    out.println(v.recomputed() ? "Verification (both sides read again in full):" : "Verification:");
    int w = Math.max(24, v.rows().stream().mapToInt(r -> r.table().length()).max().orElse(0) + 2);
    out.printf("%-" + w + "s %14s %14s  %-16s  %-16s  %s%n", "table", "source rows", "target rows", "source checksum",
        "target checksum", "result");
    for (Verification.Row r : v.rows()) {
      out.printf("%-" + w + "s %14s %14s  %-16s  %-16s  %s%n", r.table(), number(r.sourceRows()),
          number(r.targetRows()), r.sourceChecksumHex(), r.targetChecksumHex(), r.ok() ? "OK" : "MISMATCH");
    }
    out.flush();
  }

  private static int width(Migration.Plan plan) {
    return Math.max(24, plan.tables().stream().mapToInt(r -> r.table().length()).max().orElse(0) + 2);
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String seconds(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    long total = Math.round(s);
    return String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, (total / 60) % 60, total % 60);
  }
}
