package org.meshhub.core.config;

/**
 * A setting that MeshHub cannot start with. The message is one line, names the variable, and never contains a
 * secret; the command line prints it and exits with code 2.
 */
public final class SettingsException extends RuntimeException {
  private final String variable;

  public SettingsException(String variable, String message) {
    super(variable + ": " + message);
    this.variable = variable;
  }

  /** The environment variable at fault. */
  public String variable() {
    return variable;
  }
}
