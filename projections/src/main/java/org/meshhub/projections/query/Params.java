package org.meshhub.projections.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing of query parameters into filter values; every problem is a {@link QueryException} naming the parameter. */
public final class Params {
  private static final Pattern PUBLIC_KEY = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{1,64}");
  private static final Pattern PACKET_HASH = Pattern.compile("[0-9A-F]{16}");
  private static final Pattern RESERVED_TYPE = Pattern.compile("type_([5-9]|1[0-5])");

  /** Node types: the four of MeshCore, {@code none}, MeshCore Hub's {@code companion}, and reserved {@code type_N}. */
  public static final List<String> ADV_TYPES = List.of("chat", "repeater", "room", "sensor", "companion", "none");

  private Params() {}

  /** A full public key; upper-case hex is accepted and lowered. */
  public static String publicKey(String parameter, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!PUBLIC_KEY.matcher(v).matches()) {
      throw new QueryException(parameter, "must be a public key of 64 hex characters, got [" + abbreviate(value)
          + "]");
    }
    return v;
  }

  /** 1 to 64 hex characters, lowered. */
  public static String hexPrefix(String parameter, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!HEX_PREFIX.matcher(v).matches()) {
      throw new QueryException(parameter, "must be 1 to 64 hex characters, got [" + abbreviate(value) + "]");
    }
    return v;
  }

  /** A packet hash: 16 hex characters, upper-cased. */
  public static String packetHash(String parameter, String value) {
    String v = value.trim().toUpperCase(Locale.ROOT);
    if (!PACKET_HASH.matcher(v).matches()) {
      throw new QueryException(parameter, "must be a packet hash of 16 hex characters, got [" + abbreviate(value)
          + "]");
    }
    return v;
  }

  /** A node type: one of {@link #ADV_TYPES} or {@code type_5} to {@code type_15}, lower-cased. */
  public static String advType(String parameter, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!ADV_TYPES.contains(v) && !RESERVED_TYPE.matcher(v).matches()) {
      throw new QueryException(parameter, "must be one of " + String.join(", ", ADV_TYPES)
          + " or type_5 to type_15, got [" + abbreviate(value) + "]");
    }
    return v;
  }

  /** ISO-8601: an instant ({@code 2025-01-31T12:00:00Z}), a date-time with offset, or a date (midnight UTC). */
  public static Instant instant(String parameter, String value) {
    String v = value.trim();
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new QueryException(parameter, "must be an ISO-8601 time such as 2025-01-31T12:00:00Z or a date"
            + " such as 2025-01-31, got [" + abbreviate(value) + "]");
      }
    }
  }

  public static int integer(String parameter, String value, int min, int max) {
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min || v > max) {
        throw new QueryException(parameter, "must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new QueryException(parameter, "must be a whole number, got [" + abbreviate(value) + "]");
    }
  }

  public static boolean bool(String parameter, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes":
        return true;
      case "false", "0", "no":
        return false;
      default:
        throw new QueryException(parameter, "must be true or false, got [" + abbreviate(value) + "]");
    }
  }

  /** One of the allowed words, lower-cased. */
  public static String oneOf(String parameter, String value, List<String> allowed) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new QueryException(parameter, "must be one of " + String.join(", ", allowed) + ", got ["
          + abbreviate(value) + "]");
    }
    return v;
  }

  public static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
