package org.meshhub.core;

/**
 * The success reply of a command that carries several things for one entity at once (an import): how many of them
 * were recorded as new, how many only added a reception to something already recorded, and how many changed nothing.
 * The first two are the events the command persisted.
 */
public record BatchOutcome(int recorded, int receptionsAdded, int duplicates) implements MeshHubSerializable {

  public BatchOutcome {
    if (recorded < 0 || receptionsAdded < 0 || duplicates < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** The events persisted. */
  public int events() {
    return recorded + receptionsAdded;
  }
}
