package org.meshhub.core;

/**
 * The textual formats of MeshCore identifiers, checked in one place so that every record agrees on them. Plain
 * character loops rather than regular expressions: these run for every command, event and recovery.
 */
public final class Formats {

  private Formats() {}

  /** A node's 32-byte Ed25519 public key as 64 lower-case hex characters. */
  public static boolean isPublicKey(String value) {
    return value != null && value.length() == 64 && allHex(value, true, false);
  }

  /** A packet hash: the first 8 bytes of the packet's digest as 16 upper-case hex characters. */
  public static boolean isPacketHash(String value) {
    return value != null && value.length() == 16 && allHex(value, false, true);
  }

  /** Whole bytes of hex in either case, at least one byte. */
  public static boolean isHex(String value) {
    return value != null && !value.isEmpty() && value.length() % 2 == 0 && allHex(value, true, true);
  }

  /** Whole bytes of lower-case hex, at least one byte. */
  public static boolean isLowerHex(String value) {
    return value != null && !value.isEmpty() && value.length() % 2 == 0 && allHex(value, true, false);
  }

  private static boolean allHex(String s, boolean lower, boolean upper) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (lower && c >= 'a' && c <= 'f') || (upper && c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
