package org.meshhub.migration.hub;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MeshCore Hub schema revisions the import reads: the Alembic heads of its releases v0.14 to v0.20 (SQLite up to
 * v0.18, PostgreSQL-only from v0.19). They differ in tables and columns the import does not need (route health) or
 * finds by name (the spam-scoring columns of {@code messages}), never in what it maps.
 */
public enum HubRevision {
  V0_14("d4e5f6a7b8c9", "v0.14"),
  V0_15("38abdf4651fc", "v0.15"),
  V0_15_LATER("57bb65130b97", "v0.15.x"),
  V0_16("5e3b712ccf10", "v0.16"),
  V0_16_LATER("d307ee761a34", "v0.16.x"),
  V0_17("da69304d8106", "v0.17"),
  V0_18("a59611449e2a", "v0.18 to v0.20");

  private final String id;
  private final String releases;

  HubRevision(String id, String releases) {
    this.id = id;
    this.releases = releases;
  }

  /** The {@code alembic_version.version_num} of a database at this revision. */
  public String id() {
    return id;
  }

  /** The MeshCore Hub releases whose databases carry it. */
  public String releases() {
    return releases;
  }

  public static Optional<HubRevision> of(String versionNum) {
    return Arrays.stream(values()).filter(r -> r.id.equals(versionNum)).findFirst();
  }

  /** Every known revision, for a refusal. */
  public static String known() {
    return Arrays.stream(values()).map(r -> r.id + " (" + r.releases + ")").collect(Collectors.joining(", "));
  }
}
