package org.meshhub.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * MeshHub run the way a user runs it: {@code java ... org.meshhub.app.Main <args>} in a child JVM with its own
 * environment and working folder, output captured to files.
 */
final class ChildProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static ChildProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.meshhub.app.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("DATABASE_") || k.startsWith("API_") || k.startsWith("MQTT_")
        || k.startsWith("CLUSTER_") || k.equals("DATA_HOME"));
    e.putAll(env);
    Path out = Files.createTempFile(workDir, "stdout", ".log");
    Path err = Files.createTempFile(workDir, "stderr", ".log");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new ChildProcess(pb.start(), out, err);
  }

  /** Runs a command to completion (at most two minutes) and returns its exit code. */
  static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
    try (ChildProcess p = start(workDir, env, args)) {
      if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("meshhub " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.process.exitValue(), p.stdout(), p.stderr());
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits until GET /health answers 200, or fails with the child's output when it died or never came up. */
  void awaitHealthy(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("meshhub exited with " + process.exitValue() + "\nstdout:\n" + stdout()
            + "\nstderr:\n" + stderr());
      }
      try {
        if (get(port, "/health").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("meshhub did not answer /health\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, then the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("meshhub did not stop within a minute of SIGTERM\n" + stdout());
    }
    return process.exitValue();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  Process process() {
    return process;
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
