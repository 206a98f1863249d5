package org.meshhub.migration.hub;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.meshhub.core.Formats;

/**
 * MeshCore Hub's {@code nodes}, held in memory for the whole import: every other table names nodes by their row id
 * (observers, tagged nodes), and MeshHub names them by public key. A network has thousands of nodes, not millions.
 */
final class NodeDirectory {
  /**
   * One node row.
   *
   * @param publicKey lower-case, or null when the row's key is not 64 hex characters
   * @param rawKey the key as stored
   */
  record Node(String id, String publicKey, String rawKey, String name, boolean observer, Instant firstSeen,
      Instant lastSeen, Double lat, Double lon) {}

  private final Map<String, Node> byId;
  private final Map<String, Node> byKey;

  private NodeDirectory(Map<String, Node> byId) {
    this.byId = byId;
    this.byKey = new HashMap<>();
    for (Node n : byId.values()) {
      if (n.publicKey() != null) {
        byKey.putIfAbsent(n.publicKey(), n);
      }
    }
  }

  /** A directory of the given rows (tests). */
  static NodeDirectory of(Collection<Node> nodes) {
    Map<String, Node> byId = new HashMap<>();
    nodes.forEach(n -> byId.put(n.id(), n));
    return new NodeDirectory(byId);
  }

  static NodeDirectory load(HubSource source) throws SQLException {
    Map<String, Node> byId = new HashMap<>();
    if (!source.hasTable("nodes")) {
      return new NodeDirectory(byId);
    }
    String sql = "SELECT id, public_key, " + source.column("nodes", "name") + ", "
        + source.column("nodes", "is_observer") + ", " + source.column("nodes", "first_seen") + ", "
        + source.column("nodes", "last_seen") + ", " + source.column("nodes", "lat") + ", "
        + source.column("nodes", "lon") + " FROM nodes";
    try (PreparedStatement ps = source.stream(sql, 5_000); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        String raw = rs.getString(2);
        boolean observer = rs.getBoolean(4);
        byId.put(id, new Node(id, publicKey(raw), raw, rs.getString(3), observer, HubTime.parse(rs.getString(5)),
            HubTime.parse(rs.getString(6)), HubRows.getDouble(rs, 7), HubRows.getDouble(rs, 8)));
      }
    }
    return new NodeDirectory(byId);
  }

  /** A stored key as MeshHub's node id: 64 hex characters lower-cased, or null. */
  static String publicKey(String raw) {
    if (raw == null) {
      return null;
    }
    String key = raw.strip().toLowerCase(Locale.ROOT);
    return Formats.isPublicKey(key) ? key : null;
  }

  Node byId(String id) {
    return id == null ? null : byId.get(id);
  }

  /** The public key of the node with this row id, or null when there is no such row or its key is bad. */
  String keyOf(String id) {
    Node n = byId(id);
    return n == null ? null : n.publicKey();
  }

  Node byKey(String publicKey) {
    return publicKey == null ? null : byKey.get(publicKey);
  }

  Collection<Node> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }
}
