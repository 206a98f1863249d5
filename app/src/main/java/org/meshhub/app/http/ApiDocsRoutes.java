package org.meshhub.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/docs}: a browsable page of the API (Swagger UI, from its WebJar, served from the jar: nothing is
 * loaded from another site) reading {@code /api/openapi.json}. Open, like the description it shows.
 */
public final class ApiDocsRoutes extends AllDirectives {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String PAGE = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      + "<title>MeshHub API</title>\n<link rel=\"stylesheet\" href=\"/api/docs/swagger-ui.css\">\n</head>\n<body>\n"
      + "<div id=\"swagger-ui\"></div>\n<script src=\"/api/docs/swagger-ui-bundle.js\"></script>\n"
      + "<script src=\"/api/docs/initializer.js\"></script>\n</body>\n</html>\n";
  private static final String INITIALIZER = "window.onload = function () {\n"
      + "  window.ui = SwaggerUIBundle({url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true});\n"
      + "};\n";

  /** The Swagger UI files a page loads: plain names, never a path. */
  private static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile("[a-z0-9-]+\\.(?:css|js|png)");

  private final String assets;

  public ApiDocsRoutes() {
    this.assets = WEBJAR + version();
  }

  /** The Swagger UI version on the class path (its WebJar's Maven properties). */
  static String version() {
    try (InputStream in = ApiDocsRoutes.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui WebJar is missing from the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the swagger-ui WebJar's version", e);
    }
  }

  public Route routes() {
    return pathPrefix(PathMatchers.segment("api").slash("docs"), () -> concat(
        pathEnd(() -> get(() -> complete(HttpResponse.create()
            .withEntity(ContentTypes.TEXT_HTML_UTF8, PAGE.getBytes(StandardCharsets.UTF_8))))),
        pathSingleSlash(() -> get(() -> complete(HttpResponse.create().withStatus(StatusCodes.MOVED_PERMANENTLY)
            .addHeader(Location.create("/api/docs"))))),
        path("initializer.js", () -> get(() -> complete(HttpResponse.create().withEntity(
            ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.APPLICATION_JAVASCRIPT,
                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
            INITIALIZER.getBytes(StandardCharsets.UTF_8))))),
        path(PathMatchers.segment(ASSET), file -> get(() -> getFromResource(assets + "/" + file)))));
  }
}
