package org.meshhub.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts on one machine: each a network namespace with an address of its own on a bridge this class makes, in a /24
 * of 10.231.x.0 picked at random per run (the bridge itself is .1, host {@code i} is .1i). Traffic stays on the
 * bridge. A host can be cut off (its link down) and healed. Everything is removed on {@link #close}, also when the
 * test failed half-way, and by a shutdown hook should the test JVM end first.
 *
 * <p>Needs root and {@code ip} (iproute2); a machine where namespaces cannot be made fails the test saying so.
 */
final class NamespaceHosts implements AutoCloseable {
  private final String tag;
  private final int subnet;
  private final int count;
  private final List<Process> services = new ArrayList<>();
  private final Thread cleanup = new Thread(this::removeQuietly, "namespace-cleanup");
  private boolean removed;

  private NamespaceHosts(String tag, int subnet, int count) {
    this.tag = tag;
    this.subnet = subnet;
    this.count = count;
  }

  /** Makes the bridge and {@code count} hosts on it. */
  static NamespaceHosts create(int count) throws Exception {
    String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    int subnet = freeSubnet();
    NamespaceHosts hosts = new NamespaceHosts(tag, subnet, count);
    Runtime.getRuntime().addShutdownHook(hosts.cleanup);
    try {
      hosts.run("ip", "link", "add", hosts.bridge(), "type", "bridge");
      hosts.run("ip", "addr", "add", hosts.bridgeAddress() + "/24", "dev", hosts.bridge());
      hosts.run("ip", "link", "set", hosts.bridge(), "up");
      for (int i = 1; i <= count; i++) {
        String ns = hosts.namespace(i);
        hosts.run("ip", "netns", "add", ns);
        hosts.run("ip", "link", "add", hosts.link(i), "type", "veth", "peer", "name", hosts.peer(i));
        hosts.run("ip", "link", "set", hosts.peer(i), "netns", ns);
        hosts.run("ip", "link", "set", hosts.link(i), "master", hosts.bridge());
        hosts.run("ip", "link", "set", hosts.link(i), "up");
        hosts.run("ip", "netns", "exec", ns, "ip", "addr", "add", hosts.address(i) + "/24", "dev", hosts.peer(i));
        hosts.run("ip", "netns", "exec", ns, "ip", "link", "set", hosts.peer(i), "up");
        hosts.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
      }
      return hosts;
    } catch (Exception | AssertionError e) {
      hosts.close();
      throw e;
    }
  }

  /** A 10.231.x.0/24 that no interface of this machine uses yet. */
  private static int freeSubnet() throws Exception {
    String used = output(List.of("ip", "-4", "addr"));
    for (int attempt = 0; attempt < 50; attempt++) {
      int x = ThreadLocalRandom.current().nextInt(1, 255);
      if (!used.contains("10.231." + x + ".")) {
        return x;
      }
    }
    throw new AssertionError("no free 10.231.x.0/24 subnet for the test hosts:\n" + used);
  }

  String bridgeAddress() {
    return "10.231." + subnet + ".1";
  }

  String address(int host) {
    return "10.231." + subnet + "." + (10 + host);
  }

  /** The command line that runs {@code command} on host {@code i}. */
  List<String> on(int host, List<String> command) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
    out.addAll(command);
    return out;
  }

  /** Takes the host's link down: it hears nothing and nobody hears it, its sockets stay open. */
  void cut(int host) throws Exception {
    run("ip", "link", "set", link(host), "down");
  }

  void heal(int host) throws Exception {
    run("ip", "link", "set", link(host), "up");
  }

  /**
   * Starts a process on the machine itself (on the bridge's side), stopped again on {@link #close}, and waits until
   * it accepts connections on the bridge address at {@code port}.
   */
  Process service(String what, List<String> command, int port, Path log) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new AssertionError("this test runs " + what + " (" + command.get(0) + "), which cannot be started: " + e
          + (command.get(0).equals("socat") ? "; install it (apt-get install -y socat; .ci/run does)" : ""), e);
    }
    services.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(what + " exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(bridgeAddress(), port), 500);
        return p;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(what + " did not listen on " + bridgeAddress() + ":" + port + ": "
        + Files.readString(log));
  }

  private String bridge() {
    return "mhb" + tag;
  }

  private String namespace(int host) {
    return "mh" + tag + "h" + host;
  }

  private String link(int host) {
    return "mh" + tag + "v" + host;
  }

  private String peer(int host) {
    return "mh" + tag + "p" + host;
  }

  private void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("this test makes network namespaces as hosts and needs root and iproute2; '"
          + String.join(" ", command) + "' failed: " + out);
    }
  }

  private static String output(List<String> command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new AssertionError("this test makes network namespaces as hosts and needs iproute2 ('ip'): " + e, e);
    }
  }

  /** Removes everything this made; safe to call more than once. */
  private synchronized void removeQuietly() {
    if (removed) {
      return;
    }
    removed = true;
    for (Process p : services) {
      // A forwarder forks a child per connection; they would outlive it, holding their database sessions.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 1; i <= count; i++) {
      quietly("ip", "netns", "del", namespace(i));
      quietly("ip", "link", "del", link(i));
    }
    quietly("ip", "link", "del", bridge());
  }

  private static void quietly(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // best effort: the rest is removed anyway
    }
  }

  @Override
  public void close() {
    removeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d hosts on %s/24 (namespaces mh%sh1..%d)", count, bridgeAddress(), tag, count);
  }
}
