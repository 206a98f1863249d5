package org.meshhub.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One observer hearing one radio packet.
 *
 * @param observer public key of the observer that heard the packet (64 lower-case hex)
 * @param receivedAt when the observer received it
 * @param snr signal-to-noise ratio in dB, if reported
 * @param rssi received signal strength in dBm, if reported
 * @param pathLen number of hops the packet took before this observer heard it
 * @param path the hop hashes concatenated, lower-case hex; {@code null} when there were no hops or it is unknown
 */
public record Reception(String observer, Instant receivedAt, Double snr, Integer rssi, int pathLen, String path)
    implements MeshHubSerializable {

  public Reception {
    if (!Formats.isPublicKey(observer)) {
      throw new IllegalArgumentException(
          "observer must be a public key of 64 lower-case hex characters, got [" + observer + "]");
    }
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (snr != null && !Double.isFinite(snr)) {
      throw new IllegalArgumentException("snr must be a finite number, got " + snr);
    }
    if (pathLen < 0) {
      throw new IllegalArgumentException("pathLen must not be negative, got " + pathLen);
    }
    if (path != null && path.isEmpty()) {
      path = null;
    }
    if (path != null && !Formats.isLowerHex(path)) {
      throw new IllegalArgumentException("path must be lower-case hex, got [" + path + "]");
    }
  }
}
