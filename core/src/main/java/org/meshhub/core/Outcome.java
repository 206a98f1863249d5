package org.meshhub.core;

/** The success reply of every record command sent to an entity. */
public enum Outcome implements MeshHubSerializable {
  /** Something new was recorded: an advert, a message, a packet, a status report, telemetry, a tag change. */
  RECORDED,
  /** Something already recorded was heard by another observer; only the reception was added. */
  RECEPTION_ADDED,
  /** Nothing changed, typically the same observer delivering the same thing again (MQTT redelivery). */
  DUPLICATE
}
