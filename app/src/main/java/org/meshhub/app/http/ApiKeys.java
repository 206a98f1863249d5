package org.meshhub.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.config.Env;

/**
 * Bearer-token access control. With {@code API_READ_KEY} set, reads need it (or the admin key); unset, reads are
 * open. Admin endpoints need {@code API_ADMIN_KEY} and are disabled (403) when it is unset, never open. Keys are
 * compared in constant time, over their SHA-256 digests so that not even their length leaks.
 */
public final class ApiKeys extends AllDirectives {
  public static final String API_READ_KEY = "API_READ_KEY";
  public static final String API_ADMIN_KEY = "API_ADMIN_KEY";

  private final byte[] readDigest;
  private final byte[] adminDigest;

  public ApiKeys(String readKey, String adminKey) {
    this.readDigest = readKey == null ? null : sha256(readKey);
    this.adminDigest = adminKey == null ? null : sha256(adminKey);
  }

  public static ApiKeys fromEnv(Env env) {
    return new ApiKeys(env.get(API_READ_KEY).orElse(null), env.get(API_ADMIN_KEY).orElse(null));
  }

  /** Lets the request through when reads are open or it carries the read or the admin key. */
  public Route read(Supplier<Route> inner) {
    if (readDigest == null) {
      return inner.get();
    }
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<byte[]> token = bearer(header);
      if (token.isEmpty()) {
        return complete(unauthorized("missing bearer token; reads need API_READ_KEY"));
      }
      if (matches(token.get(), readDigest) || matches(token.get(), adminDigest)) {
        return inner.get();
      }
      return complete(unauthorized("wrong API key"));
    });
  }

  /** Lets the request through only with the admin key; 403 when no admin key is configured. */
  public Route admin(Supplier<Route> inner) {
    if (adminDigest == null) {
      return complete(Json.error(StatusCodes.FORBIDDEN, "forbidden",
          "admin endpoints are disabled: set API_ADMIN_KEY to enable them"));
    }
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<byte[]> token = bearer(header);
      if (token.isEmpty()) {
        return complete(unauthorized("missing bearer token; this endpoint needs API_ADMIN_KEY"));
      }
      if (matches(token.get(), adminDigest)) {
        return inner.get();
      }
      return complete(unauthorized("wrong API key"));
    });
  }

  private static Optional<byte[]> bearer(Optional<String> header) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String h = header.get().trim();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(sha256(h.substring(7).trim()));
  }

  private static boolean matches(byte[] tokenDigest, byte[] keyDigest) {
    return keyDigest != null && MessageDigest.isEqual(tokenDigest, keyDigest);
  }

  private static HttpResponse unauthorized(String detail) {
    HttpHeader challenge = RawHeader.create("WWW-Authenticate", "Bearer");
    return Json.error(StatusCodes.UNAUTHORIZED, "unauthorized", detail).addHeader(challenge);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
