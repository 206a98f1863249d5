package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.meshhub.core.testing.Samples;

class IngestTopicTest {
  static final String KEY = Samples.publicKey(1);

  static IngestReason reasonOf(String prefix, String topic) {
    return assertThrows(RejectedInput.class, () -> IngestTopic.parse(prefix, topic)).reason();
  }

  @Test
  void readsTheLetsMeshShapeWithTheKeyLowerCased() {
    IngestTopic topic = IngestTopic.parse("meshcore", "meshcore/SEA/" + KEY.toUpperCase(Locale.ROOT) + "/status");
    assertEquals(new IngestTopic.FeedTopic("SEA", KEY, IngestTopic.Feed.STATUS), topic);
  }

  @Test
  void readsTheOlderEventShape() {
    assertEquals(new IngestTopic.EventTopic(KEY, "advertisement"),
        IngestTopic.parse("meshcore", "meshcore/" + KEY + "/event/advertisement"));
  }

  @Test
  void aPrefixMayHaveSeveralLevels() {
    assertEquals(new IngestTopic.FeedTopic("LOC", KEY, IngestTopic.Feed.PACKETS),
        IngestTopic.parse("eu/mesh", "eu/mesh/LOC/" + KEY + "/packets"));
    assertEquals(IngestReason.UNKNOWN_TOPIC, reasonOf("eu/mesh", "eu/LOC/" + KEY + "/packets"));
  }

  @Test
  void namesWhatIsWrongWithATopic() {
    assertEquals(IngestReason.UNKNOWN_TOPIC, reasonOf("meshcore", "meshcorex/SEA/" + KEY + "/packets"));
    assertEquals(IngestReason.UNKNOWN_TOPIC, reasonOf("meshcore", "meshcore/" + KEY + "/packets"));
    assertEquals(IngestReason.UNKNOWN_TOPIC, reasonOf("meshcore", "meshcore/SEA/" + KEY + "/packets/"));
    assertEquals(IngestReason.UNKNOWN_TOPIC, reasonOf("meshcore", null));
    assertEquals(IngestReason.UNKNOWN_FEED, reasonOf("meshcore", "meshcore/SEA/" + KEY + "/raw"));
    assertEquals(IngestReason.INVALID_PUBLIC_KEY, reasonOf("meshcore", "meshcore/SEA/" + KEY + "0/packets"));
    assertEquals(IngestReason.INVALID_PUBLIC_KEY, reasonOf("meshcore", "meshcore/g" + KEY.substring(1)
        + "/event/advertisement"));
  }

  @Test
  void subscribesToEveryShapeItReads() {
    assertArrayEquals(new String[] {"p/+/+/packets", "p/+/+/status", "p/+/+/internal", "p/+/event/+"},
        IngestTopic.subscriptions("p"));
  }
}
