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
import org.apache.pekko.http.javadsl.server.CustomRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

/**
 * Bearer-token access control. With {@code API_READ_KEY} set, reads need it (or the admin key); unset, reads are
 * open. Admin endpoints need {@code API_ADMIN_KEY} and are disabled (403) when it is unset, never open. Keys are
 * compared in constant time, over their SHA-256 digests so that not even their length leaks.
 */
public final class ApiKeys extends AllDirectives {
  public static final String API_READ_KEY = "API_READ_KEY";
  public static final String API_ADMIN_KEY = "API_ADMIN_KEY";
  /** Keys shorter than this are refused: a bearer token is all that stands between the internet and the data. */
  public static final int MIN_LENGTH = 16;

  private final byte[] readDigest;
  private final byte[] adminDigest;

  public ApiKeys(String readKey, String adminKey) {
    this.readDigest = readKey == null ? null : sha256(readKey);
    this.adminDigest = adminKey == null ? null : sha256(adminKey);
  }

  /**
   * The keys of the environment. A key that is set must be at least {@value #MIN_LENGTH} characters: an empty or
   * blank value is refused rather than taken to mean "open" or "disabled".
   */
  public static ApiKeys fromEnv(Env env) {
    return new ApiKeys(key(env, API_READ_KEY), key(env, API_ADMIN_KEY));
  }

  private static String key(Env env, String name) {
    String raw = env.values().get(name);
    if (raw == null) {
      return null;
    }
    if (raw.isBlank()) {
      throw new SettingsException(name, "is set but empty; unset it"
          + (name.equals(API_READ_KEY) ? " to leave reads open" : " to disable admin endpoints")
          + ", or set a key of at least " + MIN_LENGTH + " characters");
    }
    String key = raw.trim();
    if (key.length() < MIN_LENGTH) {
      throw new SettingsException(name, "must be at least " + MIN_LENGTH + " characters long, got " + key.length());
    }
    return key;
  }

  /** Whether reads need a key ({@code API_READ_KEY} set): the dashboard's pages then ask for it. */
  public boolean readKeyRequired() {
    return readDigest != null;
  }

  /** One line for the start-up log: whether reads need a key and whether admin endpoints are on (no key shown). */
  public String describe() {
    return "reads " + (readDigest == null ? "open (" + API_READ_KEY + " unset)" : "need " + API_READ_KEY)
        + ", admin endpoints " + (adminDigest == null ? "disabled (" + API_ADMIN_KEY + " unset)"
        : "enabled (" + API_ADMIN_KEY + ")");
  }

  /**
   * A read refused for want of the read key: a rejection rather than an answer, so that a known path asked with the
   * wrong method still answers 405 (the API's rejection handler prefers it) and only then 401.
   */
  public record Refused(String detail) implements CustomRejection {
    /** The 401 answer. */
    public HttpResponse response() {
      return unauthorized(detail);
    }
  }

  /** Lets the request through when reads are open or it carries the read or the admin key. */
  public Route read(Supplier<Route> inner) {
    if (readDigest == null) {
      return inner.get();
    }
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<byte[]> token = bearer(header);
      if (token.isEmpty()) {
        return reject(new Refused("missing bearer token; reads need API_READ_KEY"));
      }
      if (matches(token.get(), readDigest) || matches(token.get(), adminDigest)) {
        return inner.get();
      }
      return reject(new Refused("wrong API key"));
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
