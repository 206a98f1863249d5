package org.meshhub.app.http;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every route the API serves, as a template ({@code /api/v1/nodes/{public_key}}): the label of the HTTP metrics
 * (never the raw path, whose variety would be unbounded), and the list {@code /api/openapi.json} must describe
 * (checked by a test). A new route is added here and to {@code openapi.json}. {@code {path}} stands for one or more
 * segments (a file below a folder), any other {@code {name}} for one.
 */
public final class RouteTemplates {
  /** One route: method and path template. */
  public record Template(String method, String path) {
    Pattern pattern() {
      return Pattern.compile(Pattern.quote(path).replace("{path}", "\\E.+\\Q")
          .replaceAll("\\{[a-z_]+}", "\\\\E[^/]+\\\\Q"));
    }
  }

  /** Requests that match no route. */
  public static final String UNMATCHED = "unmatched";

  public static final List<Template> ALL = List.of(
      new Template("GET", "/health"),
      new Template("GET", "/health/ready"),
      new Template("GET", "/metrics"),
      new Template("GET", "/api/openapi.json"),
      new Template("GET", "/api/v1/db/status"),
      new Template("GET", "/api/v1/cluster"),
      new Template("POST", "/api/v1/ingest"),
      new Template("GET", "/api/v1/nodes"),
      new Template("GET", "/api/v1/nodes/{public_key}"),
      new Template("GET", "/api/v1/advertisements"),
      new Template("GET", "/api/v1/messages"),
      new Template("GET", "/api/v1/dashboard/stats"),
      new Template("GET", "/api/docs"),
      new Template("GET", "/api/docs/{file}"),
      new Template("GET", "/api/v1/nodes/prefix/{prefix}"),
      new Template("GET", "/api/v1/nodes/{public_key}/tags"),
      new Template("GET", "/api/v1/nodes/{public_key}/tags/{key}"),
      new Template("PUT", "/api/v1/nodes/{public_key}/tags/{key}"),
      new Template("DELETE", "/api/v1/nodes/{public_key}/tags/{key}"),
      new Template("GET", "/api/v1/trace-paths"),
      new Template("GET", "/api/v1/telemetry"),
      new Template("GET", "/api/v1/observers"),
      new Template("GET", "/api/v1/observers/{key}"),
      new Template("GET", "/api/v1/packets"),
      new Template("GET", "/api/v1/channels"),
      new Template("GET", "/api/v1/admin/rejected"),
      new Template("GET", "/api/v1/dashboard/activity"),
      new Template("GET", "/api/v1/dashboard/map"),
      new Template("GET", "/api/v1/stream"),
      new Template("GET", "/"),
      new Template("GET", "/map"),
      new Template("GET", "/nodes"),
      new Template("GET", "/nodes/{public_key}"),
      new Template("GET", "/messages"),
      new Template("GET", "/observers"),
      new Template("GET", "/static/{path}"),
      new Template("GET", "/webjars/{library}/{version}/{path}"));

  private static final List<Pattern> PATTERNS = ALL.stream().map(Template::pattern).toList();

  private RouteTemplates() {}

  /** The template a request path falls under, or {@value #UNMATCHED}. */
  public static String of(String path) {
    for (int i = 0; i < ALL.size(); i++) {
      if (PATTERNS.get(i).matcher(path).matches()) {
        return ALL.get(i).path();
      }
    }
    return UNMATCHED;
  }
}
