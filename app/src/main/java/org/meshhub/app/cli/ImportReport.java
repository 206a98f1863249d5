package org.meshhub.app.cli;

import static org.meshhub.app.cli.MigrationReport.number;
import static org.meshhub.app.cli.MigrationReport.seconds;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.meshhub.migration.MigrationStatus;
import org.meshhub.migration.hub.ImportPlan;
import org.meshhub.migration.hub.Reconciliation;

/** What {@code meshhub db import-meshcore-hub} prints: the plan with the mapping, the summary, the reconciliation. */
final class ImportReport {
  /** What each source table becomes, as docs/upgrading.md lists it. */
  private static final Map<String, String> MAPPING = Map.of(
      "nodes", "observer nodes: one observer status report (Node entity); the others come with their adverts",
      "node_tags", "TagSet at the tag's own time (Node entity)",
      "advertisements", "AdvertRecorded by public key + advert timestamp (Node entity)",
      "messages", "MessageRecorded by packet hash (Message entity)",
      "trace_paths", "TraceRecorded by tag + path length (Message entity)",
      "telemetry", "TelemetryRecorded, one reading per observer (Node entity)");

  private ImportReport() {}

  static void plan(PrintWriter out, ImportPlan plan, boolean dryRun) {
    out.printf("Source  %s (MeshCore Hub schema %s, %s)%n", plan.source(), plan.revision().id(),
        plan.revision().releases());
    out.printf("Target  %s%n", plan.target());
    if (plan.runSource() != null && plan.mode() != ImportPlan.Mode.FRESH) {
      out.printf("Before  an import of %s%n", plan.runSource());
    }
    String mode = switch (plan.mode()) {
      case FRESH -> "import every row into an empty MeshHub";
      case RESUME -> "carry on from the checkpoints of an interrupted import of this source";
      case FINISHED -> "every row is imported already: reconcile again, write nothing";
      case RESTART -> plan.targetEvents() > 0
          ? "read every row again into a MeshHub holding " + number(plan.targetEvents()) + " events (what is there"
              + " already is recognised, not doubled)"
          : "read every row again";
    };
    out.printf("Plan    %s; batches of %s source rows, each checkpointed once its events are stored%n", mode,
        number(plan.batchSize()));
    out.println();
    out.printf("%-24s %14s %14s  %s%n", "source table", "rows", "read before", "becomes");
    for (ImportPlan.TableRow r : plan.tables()) {
      out.printf("%-24s %14s %14s  %s%s%n", r.table(), number(r.sourceRows()), number(r.readBefore()),
          MAPPING.getOrDefault(r.table(), ""), r.done() ? "  (done)" : "");
    }
    List<String> order = List.of("advertisement", "message", "trace", "telemetry");
    List<Map.Entry<String, Long>> observers = new java.util.ArrayList<>(plan.observerRows().entrySet());
    observers.sort(java.util.Comparator.comparing((Map.Entry<String, Long> e) -> order.contains(e.getKey())
        ? order.indexOf(e.getKey()) : order.size()).thenComparing(Map.Entry::getKey));
    for (Map.Entry<String, Long> e : observers) {
      String becomes = switch (e.getKey()) {
        case "advertisement" -> "the advert's receptions: AdvertRecorded's first, then AdvertHeard";
        case "message", "trace" -> "the packet's receptions: the record's first, then ReceptionAdded";
        case "telemetry" -> "one telemetry reading each";
        default -> "not imported (an event type MeshHub does not import)";
      };
      out.printf("%-24s %14s %14s  %s%n", "event_observers", number(e.getValue()), "", e.getKey() + ": " + becomes);
    }
    out.printf("%-24s %14s%n", "total", number(plan.sourceRows()));
    out.println();
    out.println("Not imported: events_log, raw_packets, packet_path_hops, user_profiles, routes (MeshHub keeps none of"
        + " these); channels name the channel messages.");
    out.flush();
  }

  static void summary(PrintWriter out, MigrationStatus status, Map<String, Long> observerRows, long elapsedNanos) {
    long rows = status.tables().stream().mapToLong(MigrationStatus.TableProgress::copiedThisRun).sum();
    long observers = observerRows.values().stream().mapToLong(Long::longValue).sum();
    long nanos = status.tables().stream().mapToLong(MigrationStatus.TableProgress::copyNanos).sum();
    out.println();
    out.printf("Imported %s source rows (%s of them event_observers rows) in %s: %s rows/s%n", number(rows + observers),
        number(observers), seconds(nanos / 1e9), number(Math.round((rows + observers) / Math.max(nanos / 1e9, 1e-3))));
    out.printf("%-24s %14s %16s %10s %12s%n", "source table", "rows", "observer rows", "time", "rows/s");
    for (MigrationStatus.TableProgress t : status.tables()) {
      long o = observerRows.getOrDefault(t.table(), 0L);
      double s = t.copyNanos() / 1e9;
      out.printf("%-24s %14s %16s %10s %12s%n", t.table(), number(t.copiedThisRun()), number(o), seconds(s),
          t.copiedThisRun() == 0 ? "-" : number(Math.round((t.copiedThisRun() + o) / Math.max(s, 1e-3))));
    }
    out.printf("Whole command so far: %s%n", seconds(elapsedNanos / 1e9));
    out.flush();
  }

  static void reconciliation(PrintWriter out, Reconciliation r) {
    out.println();
    out.println("Reconciliation:");
    out.printf("%-32s %12s %12s %11s %12s  %-22s %12s %12s  %s%n", "source", "source rows", "mapped", "not mapped",
        "events", "read table", "read rows", "expected", "result");
    for (Reconciliation.Line l : r.lines()) {
      out.printf("%-32s %12s %12s %11s %12s  %-22s %12s %12s  %s%n", l.sourceTable(), number(l.sourceRows()),
          number(l.mapped()), number(l.notMapped()), number(l.events()), l.readTable(), number(l.readRows()),
          (l.atLeast() ? ">=" : "") + number(l.expectedRows()), l.ok() ? "OK" : "MISMATCH");
    }
    if (!r.explanations().isEmpty()) {
      out.println();
      out.println("Why the figures differ:");
      for (String line : r.explanations()) {
        out.println("  " + line);
      }
    }
    if (!r.problems().isEmpty()) {
      out.println();
      out.println("Unexplained:");
      for (String line : r.problems()) {
        out.println("  " + line);
      }
    }
    out.flush();
  }
}
