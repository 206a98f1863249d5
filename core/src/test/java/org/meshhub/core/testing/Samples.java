package org.meshhub.core.testing;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/** Deterministic sample keys, adverts, messages and receptions for tests and benchmarks. */
public final class Samples {
  private Samples() {}

  /** A 64-hex public key derived from a number. */
  public static String publicKey(long n) {
    byte[] b = new byte[32];
    new Random(n * 7919 + 17).nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A 16-hex upper-case packet hash derived from a number. */
  public static String packetHash(long n) {
    byte[] b = new byte[8];
    new Random(n * 104_729 + 3).nextBytes(b);
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  public static Reception reception(String observer, Instant at) {
    return new Reception(observer, at, 7.25, -98, 2, "a1b2");
  }

  public static NodeEntity.Advert advert(long timestamp, String name) {
    return new NodeEntity.Advert(timestamp, name, "repeater", 0x92, 47.5, -122.1, true, null, null);
  }

  public static MessageEntity.MessageContent channelMessage(String text) {
    return new MessageEntity.MessageContent("channel", 5, 0x11, "Public", true, "Tree", text, 1_758_484_279L, 0,
        null, null);
  }
}
