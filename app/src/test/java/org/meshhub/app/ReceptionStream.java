package org.meshhub.app;

import java.time.Instant;
import java.util.List;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.decoder.PacketEncoder;
import org.meshhub.core.decoder.RouteType;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.Samples;

/**
 * A load of distinct receptions for cluster tests: reception {@code i} is a channel message of its own (a packet
 * hash of its own, so one message entity and one journal event each), heard by one observer.
 */
final class ReceptionStream {
  private static final long BASE = 1_770_000_000L;
  private final String prefix;
  private final String observer;
  private final String label;
  private final PacketEncoder encoder = new PacketEncoder();
  private final PacketDecoder decoder = new PacketDecoder(ChannelKeys.defaults());

  /** One reception: where it is published, what, and the hash of its packet (its message entity's id). */
  record Reception(String topic, String payload, String hash) {}

  /**
   * @param observerSeed picks the observer
   * @param label starts every message's text: streams with different labels never share a packet
   */
  ReceptionStream(String prefix, int observerSeed, String label) {
    this.prefix = prefix;
    this.observer = Samples.publicKey(observerSeed);
    this.label = label;
  }

  Reception get(int i) {
    byte[] raw = encoder.groupText(ChannelKey.PUBLIC, BASE + i, label + " " + (i % 97) + ": reading " + i,
        RouteType.FLOOD, List.of(), 1);
    String hash = ((DecodeResult.Decoded) decoder.decode(raw)).packet().hash();
    return new Reception(LetsMesh.topic(prefix, observer, "packets"),
        LetsMesh.packet(raw, null, Instant.ofEpochSecond(BASE + i), "5.5", "-90"), hash);
  }
}
