package org.meshhub.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/** LetsMesh upload payloads, as the uploaders write them: every value a string. */
public final class LetsMesh {
  private LetsMesh() {}

  /** A {@code packets} payload for a raw packet, heard at {@code at} with the given signal. */
  public static String packet(byte[] raw, String hash, Instant at, String snr, String rssi) {
    return packet(HexFormat.of().withUpperCase().formatHex(raw), hash, at, snr, rssi);
  }

  public static String packet(String rawHex, String hash, Instant at, String snr, String rssi) {
    return "{\"origin\":\"Observer\",\"origin_id\":\"" + "AB".repeat(32) + "\",\"timestamp\":\"" + at
        + "\",\"type\":\"PACKET\",\"direction\":\"rx\",\"len\":\"" + rawHex.length() / 2 + "\",\"raw\":\"" + rawHex
        + "\",\"SNR\":\"" + snr + "\",\"RSSI\":\"" + rssi + "\""
        + (hash == null ? "" : ",\"hash\":\"" + hash + "\"") + "}";
  }

  /** A {@code status} payload. */
  public static String status(String name, String status, Instant at) {
    return "{\"status\":\"" + status + "\",\"timestamp\":\"" + at + "\",\"origin\":\"" + name
        + "\",\"model\":\"Heltec V3\",\"firmware_version\":\"v1.17.1\",\"radio\":\"869.618,62.5,8,8\","
        + "\"client_version\":\"meshcore-packet-capture/1.0\",\"stats\":{\"battery_mv\":4012,\"uptime_secs\":3600}}";
  }

  public static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The topic of a LetsMesh feed. */
  public static String topic(String prefix, String observer, String feed) {
    return prefix + "/SEA/" + observer + "/" + feed;
  }
}
