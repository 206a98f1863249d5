package org.meshhub.app.http;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/openapi.json}: the OpenAPI 3 description of every endpoint (open, like {@code /health}). */
public final class OpenApiRoutes extends AllDirectives {
  public static final String RESOURCE = "openapi.json";

  private final byte[] document;

  public OpenApiRoutes() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  public Route routes() {
    return path(PathMatchers.segment("api").slash("openapi.json"), () -> get(() -> complete(
        HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, document))));
  }
}
