package org.meshhub.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.meshhub.app.http.ApiKeys;
import org.meshhub.app.http.Json;
import org.meshhub.core.cluster.ClusterException;
import org.meshhub.core.config.Env;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meshhub cluster ...}: the cluster as a running node sees it. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster commands.",
    subcommands = {ClusterCommand.Status.class, CommandLine.HelpCommand.class})
public final class ClusterCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code meshhub cluster status}: asks a running node's {@code GET /api/v1/cluster}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Members with their status and reachability, entity shards and projection slices per member,"
          + " and who holds the schema lease, as a running node sees them.",
          "Asks the node at --url (default http://127.0.0.1:$API_PORT) with API_READ_KEY (or API_ADMIN_KEY)."})
  public static final class Status implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "The node to ask, e.g. http://10.0.0.5:8000.")
    String url;

    @Option(names = "--json", description = "Print the node's JSON answer instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Env env = Env.system();
      URI base = UrlOption.orThisHost(spec.commandLine(), url, env);
      URI target = base.resolve("/api/v1/cluster");
      HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(TIMEOUT).GET();
      env.get(ApiKeys.API_READ_KEY).or(() -> env.get(ApiKeys.API_ADMIN_KEY))
          .ifPresent(key -> request.header("Authorization", "Bearer " + key));
      HttpResponse<String> response;
      try {
        response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new ClusterException("no MeshHub answers at " + base + " (" + (e.getMessage() == null
            ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ')) + "); start one, or point --url at"
            + " a running node");
      }
      if (response.statusCode() == 401) {
        throw new ClusterException("the node at " + base + " refused the request (401): set API_READ_KEY");
      }
      if (response.statusCode() != 200) {
        throw new ClusterException("the node at " + base + " answered " + response.statusCode() + " to "
            + target.getPath());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(response.body());
        return 0;
      }
      print(Json.MAPPER.readTree(response.body()), out);
      return 0;
    }

    static void print(JsonNode status, PrintWriter out) {
      JsonNode members = status.path("members");
      out.printf("%d member(s); asked %s; leader %s%n", members.size(), status.path("self").asText(),
          status.path("leader").isNull() ? "none" : status.path("leader").asText());
      List<String> types = new ArrayList<>();
      if (members.size() > 0) {
        members.get(0).path("shards").fieldNames().forEachRemaining(types::add);
      }
      StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s %-9s %-9s", "member", "status",
          "reachable"));
      types.forEach(t -> header.append(String.format(Locale.ROOT, " %" + width(t) + "s", t + " shards")));
      header.append("  projections");
      out.println(header);
      for (JsonNode m : members) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s %-9s %-9s",
            m.path("address").asText() + (m.path("self").asBoolean() ? " *" : ""), m.path("status").asText(),
            m.path("reachable").asBoolean() ? "yes" : "NO"));
        types.forEach(t -> line.append(String.format(Locale.ROOT, " %" + width(t) + "d",
            m.path("shards").path(t).asInt())));
        List<String> projections = new ArrayList<>();
        m.path("projections").forEach(p -> projections.add(p.asText()));
        line.append("  ").append(projections.isEmpty() ? "-" : String.join(" ", projections));
        out.println(line);
      }
      JsonNode lease = status.path("lease");
      out.println(lease.isMissingNode() || lease.isNull() ? "schema lease: none (SQLite: the file lock keeps a second"
          + " process out)" : "schema lease: " + describe(lease));
      out.flush();
    }

    /** The column of an entity type's shard count: as wide as its heading. */
    private static int width(String entityType) {
      return Math.max(8, (entityType + " shards").length());
    }

    private static String describe(JsonNode lease) {
      String state = lease.path("state").asText();
      if (state.equals("pending")) {
        return "not known yet (" + lease.path("detail").asText() + ")";
      }
      return (state.equals("held") ? "held by this cluster: " : "HELD BY ANOTHER MESHHUB: ")
          + lease.path("holder").asText() + " (host " + lease.path("host").asText() + ", pid "
          + lease.path("pid").asText() + ", schema version " + lease.path("schema_version").asText() + "), since "
          + lease.path("since").asText() + ", last heartbeat "
          + String.format(Locale.ROOT, "%.1f", lease.path("heartbeat_age_seconds").asDouble()) + " s ago";
    }
  }
}
