package org.meshhub.core;

/**
 * Marker for every message, event and snapshot that crosses a serialization boundary (the journal, the snapshot
 * store, the cluster). Bound to Jackson CBOR in {@code reference.conf}; nothing is serialized with Java
 * serialization.
 */
public interface MeshHubSerializable {}
