package org.meshhub.migration.hub;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a row of MeshCore Hub's database did not become a MeshHub event. Every row that is not mapped is counted
 * under one of these, and the counts are printed with the reconciliation.
 */
public enum Unmapped {
  NODE_KEY("observer node whose public key is not 64 hex characters"),
  NODE_TIME("observer node whose first and last seen times cannot be read"),
  TAG_NODE("tag of a node that is not in nodes or has no valid public key"),
  TAG_KEY("tag key MeshHub does not accept (1 to 64 letters, digits, '_', '.' or '-')"),
  TAG_VALUE("tag value longer than MeshHub's 1,024 characters"),
  TAG_TIME("tag whose time cannot be read"),
  ADVERT_KEY("advert without a public key of 64 hex characters"),
  ADVERT_TIME("advert whose reception time cannot be read"),
  MESSAGE_TYPE("message whose type is neither channel nor contact"),
  MESSAGE_TIME("message whose reception time cannot be read"),
  TRACE_TAG("trace whose tag or auth code is not an unsigned 32-bit number"),
  TRACE_PATH("trace whose path hashes or SNR values cannot be read"),
  TRACE_TIME("trace whose reception time cannot be read"),
  TELEMETRY_KEY("telemetry of a node without a public key of 64 hex characters"),
  TELEMETRY_DATA("telemetry without readings (parsed_data empty or not a JSON object)"),
  TELEMETRY_TIME("telemetry whose reception time cannot be read"),
  NO_OBSERVER("event that no known observer is left to have heard (its observer nodes were deleted)"),
  OBSERVER_NODE("observer row naming a node that is gone or has no valid public key"),
  OBSERVER_TIME("observer row whose time cannot be read"),
  OBSERVER_OF_UNMAPPED("observer row of an event that was not mapped"),
  OBSERVER_ORPHAN("observer row whose event is gone (deleted by MeshCore Hub's retention)"),
  OBSERVER_TYPE("observer row of an event type MeshHub does not import");

  private final String description;

  Unmapped(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The counter name under which rows are counted. */
  public String counter() {
    return "unmapped." + name();
  }

  static Optional<Unmapped> fromCounter(String counter) {
    if (!counter.startsWith("unmapped.")) {
      return Optional.empty();
    }
    String name = counter.substring("unmapped.".length());
    return Arrays.stream(values()).filter(u -> u.name().equals(name)).findFirst();
  }
}
