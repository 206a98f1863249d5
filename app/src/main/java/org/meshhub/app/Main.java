package org.meshhub.app;

import org.meshhub.app.cli.MeshHubCommand;

/** {@code java -jar meshhub.jar ...}: the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(MeshHubCommand.run(args));
  }
}
