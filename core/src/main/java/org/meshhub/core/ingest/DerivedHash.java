package org.meshhub.core.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id MeshHub gives a message or trace that comes without its radio packet (the older decoded-event feed, an
 * import of another collector's history): the first 8 bytes of SHA-256 over {@code legacy|kind|parts...}, as 16
 * upper-case hex, so that it has the shape of a packet hash and every observer of the same message yields the same
 * id.
 */
public final class DerivedHash {
  private DerivedHash() {}

  /**
   * Channel messages: {@code of("channel", senderTimestamp, text)}; contact messages:
   * {@code of("contact", srcHash + "|" + senderTimestamp, text)}; traces: {@code of("trace", tag, pathLength)}.
   */
  public static String of(String kind, String... parts) {
    StringBuilder sb = new StringBuilder("legacy|").append(kind);
    for (String part : parts) {
      sb.append('|').append(part);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
