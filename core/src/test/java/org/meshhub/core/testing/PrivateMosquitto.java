package org.meshhub.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of a test's own on a free loopback port, for tests that stop and start a broker. It keeps
 * nothing on disk, so a restart forgets every session and subscription, as a broker replaced by a fresh one would.
 */
public final class PrivateMosquitto implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private PrivateMosquitto(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static PrivateMosquitto start(Path dir) throws IOException, InterruptedException {
    return startOn(dir, freePort());
  }

  /** A broker on a given port (one that nothing listens on yet). */
  public static PrivateMosquitto startOn(Path dir, int port) throws IOException, InterruptedException {
    PrivateMosquitto broker = new PrivateMosquitto(dir, port);
    broker.startAgain();
    return broker;
  }

  public int port() {
    return port;
  }

  public String serverUri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Starts the broker (again) on the same port and waits until it accepts connections. */
  public void startAgain() throws IOException, InterruptedException {
    Path config = dir.resolve("mosquitto-" + port + ".conf");
    Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
        + "max_queued_messages 0\n");
    Path log = dir.resolve("mosquitto-" + port + ".log");
    try {
      process = new ProcessBuilder("mosquitto", "-c", config.toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new AssertionError("this test starts its own Mosquitto, but the mosquitto binary cannot be run: " + e, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("mosquitto exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("mosquitto did not listen on port " + port + ": " + Files.readString(log));
  }

  /** SIGKILL: the broker vanishes without closing anything. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
