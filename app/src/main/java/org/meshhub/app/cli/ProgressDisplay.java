package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.meshhub.migration.MigrationStatus;

/**
 * Progress of a migration: on a terminal a bar per table, redrawn in place, with rows per second and time left; in a
 * log or a pipe a plain line every few seconds.
 */
abstract class ProgressDisplay {
  protected final PrintWriter out;
  /** What is done to the rows: {@code copy}, {@code import}. */
  protected final String verb;

  ProgressDisplay(PrintWriter out, String verb) {
    this.out = out;
    this.verb = verb;
  }

  static ProgressDisplay forConsole(PrintWriter out, boolean terminal) {
    return forConsole(out, terminal, "copy");
  }

  static ProgressDisplay forConsole(PrintWriter out, boolean terminal, String verb) {
    return terminal ? new Bars(out, verb) : new Lines(out, verb);
  }

  /** How often to ask the migrator for its status. */
  abstract Duration interval();

  abstract void show(MigrationStatus status);

  /** The run ended: finish the current line. */
  abstract void end(MigrationStatus status);

  static String left(MigrationStatus.TableProgress t) {
    double rate = t.rate();
    if (rate <= 0 || t.copiedRows() >= t.sourceRows()) {
      return "";
    }
    long s = Math.round((t.sourceRows() - t.copiedRows()) / rate);
    return String.format(Locale.ROOT, "%d:%02d left", s / 60, s % 60);
  }

  /** {@code copying}, {@code importing}. */
  protected String gerund() {
    return (verb.endsWith("e") ? verb.substring(0, verb.length() - 1) : verb) + "ing";
  }

  static MigrationStatus.TableProgress current(MigrationStatus status) {
    for (MigrationStatus.TableProgress t : status.tables()) {
      if (t.table().equals(status.table())) {
        return t;
      }
    }
    return null;
  }

  /** Bars redrawn with a carriage return; a new line when the table changes. */
  private static final class Bars extends ProgressDisplay {
    private static final int WIDTH = 30;
    private String drawn;
    private MigrationStatus.Phase drawnPhase;

    Bars(PrintWriter out, String verb) {
      super(out, verb);
    }

    @Override
    Duration interval() {
      return Duration.ofMillis(250);
    }

    @Override
    void show(MigrationStatus status) {
      if (status.phase() == MigrationStatus.Phase.INDEXING) {
        finishLine(status);
        drawnPhase = status.phase();
        if (status.detail() != null) {
          out.print("\r" + String.format(Locale.ROOT, "%-9s %-90s", "index", status.detail()));
          out.flush();
        }
        return;
      }
      MigrationStatus.TableProgress t = current(status);
      if (t == null || t.sourceRows() == 0) {
        return;
      }
      if (drawn != null && (!drawn.equals(t.table()) || drawnPhase != status.phase())) {
        finishLine(status);
      }
      drawn = t.table();
      drawnPhase = status.phase();
      out.print("\r" + line(t, status.phase() == MigrationStatus.Phase.VERIFYING) + "  ");
      out.flush();
    }

    /** Draws the previous table once more with its final figures and moves to a new line. */
    private void finishLine(MigrationStatus status) {
      if (drawn == null) {
        return;
      }
      if (drawnPhase == MigrationStatus.Phase.INDEXING) {
        out.println();
      } else {
        for (MigrationStatus.TableProgress t : status.tables()) {
          if (t.table().equals(drawn)) {
            out.print("\r" + line(t, drawnPhase == MigrationStatus.Phase.VERIFYING) + "  ");
          }
        }
        out.println();
      }
      drawn = null;
    }

    private String line(MigrationStatus.TableProgress t, boolean verifying) {
      long done = verifying ? t.verifiedRows() : t.copiedRows();
      long total = Math.max(t.sourceRows(), done);
      int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
      String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
      String line = String.format(Locale.ROOT, "%-9s %-28s [%s] %3d%% %13s/%-13s", verifying ? "verify" : verb,
          t.table(), bar, total == 0 ? 100 : 100 * done / total, MigrationReport.number(done),
          MigrationReport.number(total));
      if (!verifying) {
        line += String.format(Locale.ROOT, " %9s rows/s %-10s", MigrationReport.number(Math.round(t.rate())),
            left(t));
      }
      return line;
    }

    @Override
    void end(MigrationStatus status) {
      finishLine(status);
      out.flush();
    }
  }

  /** A plain line every five seconds. */
  private static final class Lines extends ProgressDisplay {
    private long lastLine;

    Lines(PrintWriter out, String verb) {
      super(out, verb);
    }

    @Override
    Duration interval() {
      return Duration.ofSeconds(1);
    }

    @Override
    void show(MigrationStatus status) {
      long now = System.nanoTime();
      if (lastLine != 0 && now - lastLine < 5_000_000_000L) {
        return;
      }
      lastLine = now;
      if (status.phase() == MigrationStatus.Phase.INDEXING) {
        if (status.detail() != null) {
          out.printf("building indexes: %s%n", status.detail());
          out.flush();
        }
        return;
      }
      MigrationStatus.TableProgress t = current(status);
      if (t == null) {
        return;
      }
      if (status.phase() == MigrationStatus.Phase.VERIFYING) {
        out.printf("verifying %s: %s of %s rows read back%n", t.table(), MigrationReport.number(t.verifiedRows()),
            MigrationReport.number(Math.max(t.sourceRows(), t.verifiedRows())));
      } else {
        long total = Math.max(t.sourceRows(), t.copiedRows());
        out.printf("%s %s: %s of %s rows (%d%%), %s rows/s%s%n", gerund(), t.table(), MigrationReport.number(t.copiedRows()),
            MigrationReport.number(total), total == 0 ? 100 : 100 * t.copiedRows() / total,
            MigrationReport.number(Math.round(t.rate())), left(t).isEmpty() ? "" : ", " + left(t));
      }
      out.flush();
    }

    @Override
    void end(MigrationStatus status) {
      out.flush();
    }
  }
}
