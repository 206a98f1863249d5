package org.meshhub.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what Scala libraries print with {@code println} to the log instead of the command's output.
 * pekko-projection-jdbc 1.0.0 prints {@code # stop <projection>} whenever a projection stops, which would end up in
 * the output of every command that runs projections. Scala's {@code Console.out} takes {@code System.out} once, when
 * it is first used; pointing it at a stream that logs each line, before anything else touches it, reroutes every
 * library {@code println} and nothing that MeshHub itself writes.
 */
final class LibraryConsole {
  private static final Logger log = LoggerFactory.getLogger("scala.Console");

  private LibraryConsole() {}

  static void routeToLog() {
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(new LineLog(), true, StandardCharsets.UTF_8));
    try {
      scala.Console.out();
    } finally {
      System.setOut(stdout);
    }
  }

  /** Each complete line becomes one log event: the projection's stop notices at debug, anything else at info. */
  static final class LineLog extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        emit();
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    private void emit() {
      String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
      line.reset();
      if (text.isEmpty()) {
        return;
      }
      if (text.startsWith("# stop ")) {
        log.debug("{}", text);
      } else {
        log.info("{}", text);
      }
    }
  }
}
