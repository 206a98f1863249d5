package org.meshhub.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * The environment MeshHub reads its settings from. Every variable the code reads goes through here, so that tests
 * can pass their own map and so that the documented variables can be checked against the code.
 */
public record Env(Map<String, String> values) {
  public Env {
    values = Map.copyOf(values);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** This environment with one more variable set (tests, and defaults that depend on the command line). */
  public Env with(String name, String value) {
    java.util.Map<String, String> copy = new java.util.HashMap<>(values);
    copy.put(name, value);
    return new Env(copy);
  }

  /** The trimmed value, or empty when unset or blank. */
  public Optional<String> get(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(v.trim());
  }

  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public int getInt(String name, int fallback, int min, int max) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        throw new SettingsException(name, "must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new SettingsException(name, "must be a whole number, got '" + abbreviate(raw.get()) + "'");
    }
  }

  public boolean getBoolean(String name, boolean fallback) {
    Optional<String> raw = get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "1", "true", "yes", "on":
        return true;
      case "0", "false", "no", "off":
        return false;
      default:
        throw new SettingsException(name, "must be true or false, got '" + abbreviate(raw.get()) + "'");
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
