package org.meshhub.app;

import java.util.HashMap;
import java.util.Map;

/** Settings for an in-process MeshHub under test: its API on a free port of the loopback interface. */
final class LocalServers {
  private LocalServers() {}

  /**
   * The database's variables plus {@code API_PORT=0} and {@code API_HOST=127.0.0.1}, then the given
   * name/value pairs; a mutable copy.
   */
  static Map<String, String> env(Map<String, String> database, String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("name/value pairs expected");
    }
    Map<String, String> env = new HashMap<>(database);
    env.put("API_PORT", "0");
    env.put("API_HOST", "127.0.0.1");
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      env.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return env;
  }
}
