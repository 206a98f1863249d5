package org.meshhub.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.app.http.Json;
import org.webjars.WebJarVersionLocator;

/**
 * The dashboard's pages and files: {@code /}, {@code /map}, {@code /nodes}, {@code /nodes/<public_key>},
 * {@code /messages}, {@code /observers}, our own scripts and styles under {@code /static/}, and the front-end
 * libraries from their WebJars under {@code /webjars/<library>/<version>/}. Nothing here holds data: the pages
 * fetch it from {@code /api/v1} (with the read key when one is set), so the pages themselves are open.
 *
 * <p>Pages and our own files are revalidated on every use ({@code no-cache} with a strong ETag, answered 304 while
 * unchanged); a library file's URL names its version, so it is cached for a year.
 */
public final class WebRoutes extends AllDirectives {
  /** The libraries served, by WebJar name. */
  static final List<String> LIBRARIES = List.of("leaflet", "leaflet-markercluster", "uplot");

  private static final String RESOURCES = "web/";
  private static final String REVALIDATE = "no-cache";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** A page: its path's id, title, and whether it draws a map. */
  private record Page(String id, String title, boolean map) {}

  private static final List<Page> PAGES = List.of(
      new Page("overview", "Overview", false),
      new Page("map", "Map", true),
      new Page("nodes", "Nodes", false),
      new Page("node", "Node", true),
      new Page("messages", "Messages", false),
      new Page("observers", "Observers", false));

  private final Map<String, Asset> pages = new LinkedHashMap<>();
  private final Map<String, String> versions = new LinkedHashMap<>();
  private final Map<String, Asset> files = new ConcurrentHashMap<>();
  private final String securityPolicy;

  public WebRoutes(DashboardSettings settings, String version, boolean readKeyRequired) {
    WebJarVersionLocator locator = new WebJarVersionLocator();
    for (String library : LIBRARIES) {
      String v = locator.version(library);
      if (v == null) {
        throw new IllegalStateException("the " + library + " WebJar is missing from the class path");
      }
      versions.put(library, v);
    }
    String importMap = "{\"imports\":{\"uplot\":\"/webjars/uplot/" + versions.get("uplot")
        + "/dist/uPlot.esm.js\"}}";
    String layout = text("layout.html");
    for (Page page : PAGES) {
      String head = page.id().equals("overview")
          ? "<link rel=\"stylesheet\" href=\"" + lib("uplot", "dist/uPlot.min.css") + "\">"
          : page.map() ? "<link rel=\"stylesheet\" href=\"" + lib("leaflet", "dist/leaflet.css") + "\">\n"
          + "<link rel=\"stylesheet\" href=\"" + lib("leaflet-markercluster", "MarkerCluster.css") + "\">\n"
          + "<script defer src=\"" + lib("leaflet", "dist/leaflet.js") + "\"></script>\n"
          + "<script defer src=\"" + lib("leaflet-markercluster", "leaflet.markercluster.js") + "\"></script>"
          : "";
      String html = layout
          .replace("{{title}}", page.title())
          .replace("{{page}}", page.id())
          .replace("{{head}}", head)
          .replace("{{nav}}", nav(page.id()))
          .replace("{{importmap}}", importMap)
          .replace("{{tileUrl}}", escape(settings.tileUrl().orElse("")))
          .replace("{{tileAttribution}}", escape(settings.tileAttribution()))
          .replace("{{version}}", escape(version))
          .replace("{{readKey}}", readKeyRequired ? "required" : "none")
          .replace("{{main}}", text("pages/" + page.id() + ".html"));
      pages.put(page.id(), Asset.of("page.html", html.getBytes(StandardCharsets.UTF_8)));
    }
    String images = "'self' data:" + settings.tileOrigin().map(o -> " " + o).orElse("");
    securityPolicy = "default-src 'self'; script-src 'self' 'sha256-" + sha256Base64(importMap) + "'; style-src"
        + " 'self' 'unsafe-inline'; img-src " + images + "; connect-src 'self'; object-src 'none'; base-uri 'none';"
        + " frame-ancestors 'none'; form-action 'self'";
  }

  /** The URL of a library's file. */
  private String lib(String library, String file) {
    return "/webjars/" + library + "/" + versions.get(library) + "/" + file;
  }

  private static String nav(String current) {
    String[][] items = {{"overview", "/", "Overview"}, {"map", "/map", "Map"}, {"nodes", "/nodes", "Nodes"},
        {"messages", "/messages", "Messages"}, {"observers", "/observers", "Observers"}};
    StringBuilder sb = new StringBuilder();
    for (String[] item : items) {
      boolean here = item[0].equals(current) || ("node".equals(current) && "nodes".equals(item[0]));
      sb.append("<li><a href=\"").append(item[1]).append('"').append(here ? " aria-current=\"page\"" : "")
          .append('>').append(item[2]).append("</a></li>");
    }
    return sb.toString();
  }

  public Route routes() {
    return concat(
        pathSingleSlash(() -> page("overview")),
        path("map", () -> page("map")),
        pathPrefix("nodes", () -> concat(
            pathEnd(() -> page("nodes")),
            path(PathMatchers.segment(), key -> page("node")))),
        path("messages", () -> page("messages")),
        path("observers", () -> page("observers")),
        pathPrefix("static", () -> get(() -> extractUnmatchedPath(rest -> file(RESOURCES + "static" + rest, REVALIDATE)))),
        pathPrefix("webjars", () -> pathPrefix(PathMatchers.segment().slash(PathMatchers.segment()),
            (library, version) -> get(() -> extractUnmatchedPath(rest -> {
              if (!version.equals(versions.get(library)) || !rest.startsWith("/")) {
                return complete(notFound());
              }
              return webjar(library, version, rest.substring(1));
            })))));
  }

  private Route page(String id) {
    Asset page = pages.get(id);
    return get(() -> respondWithHeaders(List.of(RawHeader.create("Cache-Control", REVALIDATE),
        RawHeader.create("Content-Security-Policy", securityPolicy),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("Referrer-Policy", "same-origin")),
        () -> conditional(page.etag(), () -> encodeResponse(() -> complete(
            HttpResponse.create().withEntity(page.type(), page.bytes()))))));
  }

  private Route webjar(String library, String version, String rest) {
    return file("META-INF/resources/webjars/" + library + "/" + version + "/" + rest, IMMUTABLE);
  }

  /** A file from the class path, below the given folder only. */
  private Route file(String name, String cacheControl) {
    if (name.contains("..") || name.contains("//") || name.endsWith("/") || name.contains("\\")) {
      return complete(notFound());
    }
    // Only files found are kept: requests for missing names must not grow the map.
    Asset a = files.get(name);
    if (a == null) {
      Optional<Asset> loaded = load(name);
      if (loaded.isEmpty()) {
        return complete(notFound());
      }
      a = loaded.get();
      files.putIfAbsent(name, a);
    }
    Asset asset = a;
    return respondWithHeaders(List.of(RawHeader.create("Cache-Control", cacheControl),
        RawHeader.create("X-Content-Type-Options", "nosniff")),
        () -> conditional(asset.etag(), () -> encodeResponse(() -> complete(
            HttpResponse.create().withEntity(asset.type(), asset.bytes())))));
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = WebRoutes.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? Optional.empty() : Optional.of(Asset.of(name, in.readAllBytes()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static HttpResponse notFound() {
    return Json.error(StatusCodes.NOT_FOUND, "not_found", "no such file");
  }

  private static String text(String name) {
    return load(RESOURCES + name).map(a -> new String(a.bytes(), StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException("missing resource " + RESOURCES + name));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String sha256Base64(String s) {
    try {
      return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
