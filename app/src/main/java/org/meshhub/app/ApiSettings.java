package org.meshhub.app;

import org.meshhub.core.config.Env;

/**
 * The HTTP API's settings.
 *
 * @param host API_HOST, the address to bind
 * @param port API_PORT (0 picks a free port, for tests)
 */
public record ApiSettings(String host, int port) {
  public static final String API_HOST = "API_HOST";
  public static final String API_PORT = "API_PORT";

  public static ApiSettings fromEnv(Env env) {
    return new ApiSettings(env.get(API_HOST, "0.0.0.0"), env.getInt(API_PORT, 8000, 0, 65535));
  }
}
