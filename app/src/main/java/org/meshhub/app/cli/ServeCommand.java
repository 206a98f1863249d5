package org.meshhub.app.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.meshhub.app.MeshHubServer;
import org.meshhub.core.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import sun.misc.Signal;

/** {@code meshhub serve}: the collector and the API until SIGTERM or SIGINT, which end it cleanly with exit 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the collector and the HTTP API on the configured backend (SQLite by default).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() throws Exception {
    MeshHubServer server = MeshHubServer.start(Env.system());
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Thread watcher = new Thread(() -> {
      try {
        server.awaitTermination();
      } catch (Exception ignored) {
        // fall through: the system is gone either way
      }
      stop.countDown();
    }, "meshhub-termination-watcher");
    watcher.setDaemon(true);
    watcher.start();
    stop.await();
    log.info("Shutting down");
    server.close();
    log.info("Stopped");
    return 0;
  }
}
