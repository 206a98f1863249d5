package org.meshhub.core;

import java.util.regex.Pattern;

/** The textual formats of MeshCore identifiers, checked in one place so that every record agrees on them. */
public final class Formats {

  private static final Pattern PUBLIC_KEY = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PACKET_HASH = Pattern.compile("[0-9A-F]{16}");
  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");
  private static final Pattern LOWER_HEX = Pattern.compile("(?:[0-9a-f]{2})+");

  private Formats() {}

  /** A node's 32-byte Ed25519 public key as 64 lower-case hex characters. */
  public static boolean isPublicKey(String value) {
    return value != null && PUBLIC_KEY.matcher(value).matches();
  }

  /** A packet hash: the first 8 bytes of the packet's digest as 16 upper-case hex characters. */
  public static boolean isPacketHash(String value) {
    return value != null && PACKET_HASH.matcher(value).matches();
  }

  /** Whole bytes of hex in either case, at least one byte. */
  public static boolean isHex(String value) {
    return value != null && HEX.matcher(value).matches();
  }

  /** Whole bytes of lower-case hex, at least one byte. */
  public static boolean isLowerHex(String value) {
    return value != null && LOWER_HEX.matcher(value).matches();
  }
}
