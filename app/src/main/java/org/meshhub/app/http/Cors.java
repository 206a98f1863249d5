package org.meshhub.app.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

/**
 * Cross-origin requests from browsers ({@code API_CORS_ORIGINS}): the origins allowed to call the API from another
 * site, comma-separated ({@code https://map.example,http://localhost:3000}), or {@code *} for any. Unset (the
 * default), no CORS header is ever sent and browsers keep other sites out. A preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) from an allowed origin answers 204 with the methods and headers the API
 * takes; from another origin 403. Actual requests from an allowed origin get {@code Access-Control-Allow-Origin}.
 * Keys travel as bearer tokens, never cookies, so credentials are not allowed.
 */
public final class Cors extends AllDirectives {
  public static final String API_CORS_ORIGINS = "API_CORS_ORIGINS";
  static final String METHODS = "GET, HEAD, POST, PUT, DELETE";
  static final String HEADERS = "Authorization, Content-Type";
  static final String MAX_AGE = "600";

  private final List<String> origins;
  private final boolean any;

  private Cors(List<String> origins, boolean any) {
    this.origins = List.copyOf(origins);
    this.any = any;
  }

  public static Cors none() {
    return new Cors(List.of(), false);
  }

  public static Cors fromEnv(Env env) {
    Optional<String> value = env.get(API_CORS_ORIGINS);
    if (value.isEmpty()) {
      return none();
    }
    List<String> origins = new ArrayList<>();
    for (String part : value.get().split(",")) {
      String origin = part.trim();
      if (origin.isEmpty()) {
        continue;
      }
      if (origin.equals("*")) {
        return new Cors(List.of(), true);
      }
      origins.add(origin(origin));
    }
    if (origins.isEmpty()) {
      throw new SettingsException(API_CORS_ORIGINS, "lists no origin; unset it or give origins such as"
          + " https://map.example");
    }
    return new Cors(origins, false);
  }

  /** An origin as browsers send it: scheme, host and port if not the default, lower-case, no path. */
  private static String origin(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
          && uri.getFragment() == null && uri.getUserInfo() == null;
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
        throw new SettingsException(API_CORS_ORIGINS, "[" + text + "] is not an origin such as"
            + " https://map.example or http://localhost:3000 (scheme, host and port only)");
      }
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":"
          + uri.getPort());
    } catch (URISyntaxException e) {
      throw new SettingsException(API_CORS_ORIGINS, "[" + text + "] is not an origin such as https://map.example");
    }
  }

  public boolean enabled() {
    return any || !origins.isEmpty();
  }

  /** What the start-up log says. */
  public String describe() {
    return !enabled() ? "off" : any ? "any origin" : String.join(", ", origins);
  }

  private boolean allows(String origin) {
    return any || origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /** Answers preflights and adds the CORS headers to the responses of allowed origins. */
  public Route handle(Supplier<Route> inner) {
    if (!enabled()) {
      return inner.get();
    }
    return optionalHeaderValueByName("Origin", origin -> {
      if (origin.isEmpty()) {
        return inner.get();
      }
      String o = origin.get();
      return extractRequest(request -> {
        boolean preflight = request.method().equals(HttpMethods.OPTIONS)
            && request.getHeader("Access-Control-Request-Method").isPresent();
        if (preflight) {
          if (!allows(o)) {
            return complete(Json.error(StatusCodes.FORBIDDEN, "forbidden", "origin " + o
                + " is not in API_CORS_ORIGINS"));
          }
          return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(List.of(
              allowOrigin(o), vary(),
              RawHeader.create("Access-Control-Allow-Methods", METHODS),
              RawHeader.create("Access-Control-Allow-Headers", HEADERS),
              RawHeader.create("Access-Control-Max-Age", MAX_AGE))));
        }
        if (!allows(o)) {
          return inner.get();
        }
        return respondWithHeaders(List.of(allowOrigin(o), vary()), inner);
      });
    });
  }

  private HttpHeader allowOrigin(String origin) {
    return RawHeader.create("Access-Control-Allow-Origin", any ? "*" : origin);
  }

  private static HttpHeader vary() {
    return RawHeader.create("Vary", "Origin");
  }
}
