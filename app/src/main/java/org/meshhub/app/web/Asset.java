package org.meshhub.app.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;

/**
 * A file the dashboard serves: its bytes, type and a strong entity tag (a digest of the bytes), so that browsers
 * revalidate with {@code If-None-Match} and get a 304 while nothing changed.
 */
record Asset(byte[] bytes, ContentType type, EntityTag etag) {
  static Asset of(String name, byte[] bytes) {
    return new Asset(bytes, typeOf(name), EntityTag.create(digest(bytes), false));
  }

  static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  static ContentType typeOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".html")) {
      return ContentTypes.TEXT_HTML_UTF8;
    } else if (n.endsWith(".js") || n.endsWith(".mjs")) {
      return ContentTypes.parse("text/javascript; charset=UTF-8");
    } else if (n.endsWith(".css")) {
      return ContentTypes.parse("text/css; charset=UTF-8");
    } else if (n.endsWith(".json") || n.endsWith(".map")) {
      return ContentTypes.APPLICATION_JSON;
    } else if (n.endsWith(".png")) {
      return ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.IMAGE_PNG);
    } else if (n.endsWith(".svg")) {
      return ContentTypes.parse("image/svg+xml; charset=UTF-8");
    } else if (n.endsWith(".ico")) {
      return ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.IMAGE_X_ICON);
    }
    return ContentTypes.APPLICATION_OCTET_STREAM;
  }
}
