package org.meshhub.core.cluster;

/**
 * This node cannot be a member of its cluster: it did not join in time, or it was removed. The message is one line
 * meant for an operator; the command line prints it and exits with code 1, so that a supervisor restarts the node.
 */
public final class ClusterException extends RuntimeException {
  public ClusterException(String message) {
    super(message);
  }
}
