package org.meshhub.app.simulate;

/** The simulator's target cannot take publications: unreachable, gone, or refusing the credentials. One line. */
public final class SinkUnavailableException extends RuntimeException {
  public SinkUnavailableException(String message) {
    super(message);
  }
}
