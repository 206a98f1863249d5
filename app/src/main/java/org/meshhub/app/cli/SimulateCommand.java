package org.meshhub.app.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.simulate.BrokerSettings;
import org.meshhub.app.simulate.HttpIngestSink;
import org.meshhub.app.simulate.MqttSink;
import org.meshhub.app.simulate.PublicationSink;
import org.meshhub.app.simulate.RunLength;
import org.meshhub.app.simulate.SinkUnavailableException;
import org.meshhub.app.simulate.Tally;
import org.meshhub.core.config.Env;
import org.meshhub.core.ingest.MqttSettings;
import org.meshhub.core.config.SettingsException;
import org.meshhub.core.simulate.Pacer;
import org.meshhub.core.simulate.Publication;
import org.meshhub.core.simulate.SyntheticMesh;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshhub simulate}: a synthetic mesh's uploads, paced at a number of receptions per second, published to an
 * MQTT broker (as observers do) or posted to a MeshHub's HTTP ingest endpoint. For demos and load tests.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Publish a synthetic mesh (observers, nodes, adverts, channel messages, traces) as LetsMesh "
        + "uploads, paced at a rate, to an MQTT broker or to a MeshHub's POST /api/v1/ingest.",
        "MQTT: MQTT_HOST, MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD, MQTT_PREFIX, MQTT_TLS. "
            + "HTTP: API_ADMIN_KEY, and API_PORT for the default --url."})
public final class SimulateCommand implements Callable<Integer> {
  static final int MQTT_IN_FLIGHT = 500;
  static final int HTTP_REQUESTS_IN_FLIGHT = 4;
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /** Where the publications go. */
  enum Target {
    mqtt,
    http
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "50", paramLabel = "N",
      description = "Nodes besides the observers (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--rate", defaultValue = "20", paramLabel = "R",
      description = "Receptions per second, evenly paced (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "60s", paramLabel = "D", converter = RunLength.class,
      description = "How long: seconds, or with a unit: 30s, 5m, 1h, 500ms (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--target", defaultValue = "mqtt", paramLabel = "mqtt|http",
      description = "mqtt (the broker in MQTT_HOST/MQTT_PORT) or http (POST /api/v1/ingest) "
          + "(default ${DEFAULT-VALUE}).")
  Target target;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
      description = "The mesh: the same seed gives the same nodes and traffic (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--observers", defaultValue = "3", paramLabel = "K",
      description = "Observers uploading what they hear (default ${DEFAULT-VALUE}).")
  int observers;

  @Option(names = "--url", paramLabel = "URL",
      description = "For --target http: the MeshHub API's base address (default http://127.0.0.1:$API_PORT).")
  String url;

  @Option(names = "--batch-size", defaultValue = "100", paramLabel = "B",
      description = "For --target http: publications per request, at most (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--start", paramLabel = "TIME",
      description = "Time of the first reception, ISO-8601 (default now). With the same seed and start, a run "
          + "publishes the same bytes.")
  String start;

  @Override
  public Integer call() throws Exception {
    validate();
    Env env = Env.system();
    Instant origin = origin();
    String prefix = MqttSettings.prefix(env);
    SyntheticMesh.Settings settings;
    try {
      settings = SyntheticMesh.Settings.of(seed, nodes, observers, rate, origin).withPrefix(prefix);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    long total = Math.round(rate * duration.toNanos() / 1e9);
    if (total < 1) {
      throw usage("--rate " + format(rate) + " for --duration " + describe(duration) + " gives no reception at all");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (PublicationSink sink = openSink(env)) {
      out.printf("Simulating %d nodes and %d observers (seed %d): %s receptions/s for %s, %d receptions, to %s%n",
          nodes, observers, seed, format(rate), describe(duration), total, sink.describe());
      out.flush();
      SyntheticMesh mesh = new SyntheticMesh(settings);
      return run(mesh, total, sink, out);
    } catch (SinkUnavailableException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return MeshHubCommand.EXIT_FAILURE;
    }
  }

  private int run(SyntheticMesh mesh, long total, PublicationSink sink, PrintWriter out)
      throws InterruptedException {
    Tally tally = sink.tally();
    Pacer pacer = new Pacer(mesh.settings().start());
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meshhub-simulate-progress");
      t.setDaemon(true);
      return t;
    });
    progress.scheduleAtFixedRate(() -> {
      double seconds = pacer.elapsedSeconds();
      out.printf("%6.1f s: %d receptions and %d status messages published (%.1f receptions/s), %d failed%n",
          seconds, tally.receptions(), tally.statuses(), tally.receptions() / seconds, tally.failed());
      out.flush();
    }, PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      long handed = 0;
      while (handed < total) {
        Publication publication = mesh.next();
        pacer.awaitDue(publication.at());
        sink.publish(publication);
        if (publication.isReception()) {
          handed++;
        }
      }
      boolean complete = sink.flush(Duration.ofSeconds(60));
      double seconds = pacer.elapsedSeconds();
      progress.shutdownNow();
      out.printf(Locale.ROOT, "Published %d receptions and %d status messages in %.2f s: %.1f receptions/s "
          + "(asked %s); %d failed%s%s%n", tally.receptions(), tally.statuses(), seconds,
          tally.receptions() / seconds, format(rate), tally.failed(),
          tally.firstFailure() == null ? "" : " (first: " + tally.firstFailure() + ")",
          target == Target.http && tally.accepted() + tally.rejected() > 0
              ? "; the API accepted " + tally.accepted() + " and rejected " + tally.rejected() : "");
      if (!complete) {
        out.println("Some publications were still unacknowledged after 60 s.");
      }
      out.flush();
      return complete && tally.failed() == 0 ? 0 : MeshHubCommand.EXIT_FAILURE;
    } finally {
      progress.shutdownNow();
    }
  }

  private PublicationSink openSink(Env env) throws InterruptedException {
    if (target == Target.mqtt) {
      return MqttSink.connect(BrokerSettings.fromEnv(env), MQTT_IN_FLIGHT);
    }
    String key = env.get(ApiKeys.API_ADMIN_KEY).orElseThrow(() -> new SettingsException(ApiKeys.API_ADMIN_KEY,
        "is needed for --target http (POST /api/v1/ingest takes the admin key)"));
    URI base = UrlOption.orThisHost(spec.commandLine(), url, env);
    return HttpIngestSink.connect(base, key, batchSize, HTTP_REQUESTS_IN_FLIGHT);
  }

  private void validate() {
    if (nodes < 1 || nodes > SyntheticMesh.Settings.MAX_NODES) {
      throw usage("--nodes must be between 1 and " + SyntheticMesh.Settings.MAX_NODES + ", got " + nodes);
    }
    if (observers < 1 || observers > SyntheticMesh.Settings.MAX_OBSERVERS) {
      throw usage("--observers must be between 1 and " + SyntheticMesh.Settings.MAX_OBSERVERS + ", got "
          + observers);
    }
    if (!(rate > 0) || rate > SyntheticMesh.Settings.MAX_RATE) {
      throw usage("--rate must be above 0 and at most " + (long) SyntheticMesh.Settings.MAX_RATE
          + " receptions per second, got " + format(rate));
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw usage("--batch-size must be between 1 and 10000, got " + batchSize);
    }
    if (target != Target.http && url != null) {
      throw usage("--url applies to --target http only");
    }
    if (url != null) {
      UrlOption.parse(spec.commandLine(), url);
    }
  }

  private Instant origin() {
    if (start == null) {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
    try {
      return Instant.parse(start);
    } catch (DateTimeParseException e) {
      throw usage("--start must be an ISO-8601 time such as 2026-03-01T12:00:00Z, got '" + start + "'");
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** A duration as people write it: 30s, 5m, 1h30m, 1.5s. */
  static String describe(Duration d) {
    if (d.toNanos() % 1_000_000_000L != 0) {
      return d.toMillis() / 1000.0 + "s";
    }
    long s = d.getSeconds();
    StringBuilder out = new StringBuilder();
    if (s >= 3600) {
      out.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      out.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || out.length() == 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }
}
