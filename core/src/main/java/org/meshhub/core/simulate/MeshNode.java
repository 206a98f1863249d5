package org.meshhub.core.simulate;

import java.util.Objects;
import org.meshhub.core.decoder.NodeIdentity;

/**
 * One node of the synthetic mesh.
 *
 * @param name the advertised name (at most 23 UTF-8 bytes, so that it fits an advert with a location)
 * @param identity its key pair, derived from the mesh seed
 * @param nodeType advert node type: 1 chat (companion), 2 repeater, 3 room server, 4 sensor
 * @param lat degrees, rounded to 1e-6 as adverts carry it; null when the node does not advertise a location
 * @param lon degrees, as {@code lat}
 * @param pathHashSize bytes per path entry (1-3) in the flood packets this node sends
 */
public record MeshNode(String name, NodeIdentity identity, int nodeType, Double lat, Double lon, int pathHashSize) {
  public static final int CHAT = 1;
  public static final int REPEATER = 2;
  public static final int ROOM = 3;
  public static final int SENSOR = 4;

  public MeshNode {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(identity, "identity");
    if (nodeType < CHAT || nodeType > SENSOR) {
      throw new IllegalArgumentException("node type must be 1-4, got " + nodeType);
    }
    if ((lat == null) != (lon == null)) {
      throw new IllegalArgumentException("lat and lon come together");
    }
    if (pathHashSize < 1 || pathHashSize > 3) {
      throw new IllegalArgumentException("path hash size must be 1-3, got " + pathHashSize);
    }
  }

  /** The public key as 64 lower-case hex. */
  public String publicKey() {
    return identity.publicKeyHex();
  }

  /** Repeaters (observers included) forward flood packets and so appear in paths. */
  public boolean forwards() {
    return nodeType == REPEATER;
  }
}
