package org.meshhub.projections.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.Samples;

/**
 * A small mesh's traffic, sent to the real entities, that exercises every table of the read side: adverts heard by
 * several observers, a rename, an unsigned advert, telemetry, observer status, tags set and removed, channel and
 * contact messages (some old), traces and other packets.
 */
public final class ReadSideData {
  private static final Duration ASK = Duration.ofSeconds(30);

  public static final String O1 = Samples.publicKey(901);
  public static final String O2 = Samples.publicKey(902);
  public static final String O3 = Samples.publicKey(903);
  public static final String ALPHA = Samples.publicKey(1);
  public static final String BRAVO = Samples.publicKey(2);
  public static final String CHARLIE = Samples.publicKey(3);
  public static final String MALLORY = Samples.publicKey(4);
  public static final String ECHO = Samples.publicKey(5);
  public static final List<String> NODES = List.of(O1, O2, O3, ALPHA, BRAVO, CHARLIE, MALLORY, ECHO);

  public static final int PUBLIC = 0x11;
  public static final int TEST_CHANNEL = 0x22;

  /** Messages per channel, contact messages, and how many of all are older than a day / older than 7 days. */
  public static final int PUBLIC_MESSAGES = 6;
  public static final int TEST_MESSAGES = 3;
  public static final int CONTACT_MESSAGES = 3;
  public static final int MESSAGES = PUBLIC_MESSAGES + TEST_MESSAGES + CONTACT_MESSAGES;
  public static final int MESSAGES_OLDER_THAN_A_DAY = 2;
  public static final int MESSAGES_OLDER_THAN_7_DAYS = 1;
  /** Adverts: Alpha twice, Bravo, Charlie (3 days old), Mallory (unsigned), Echo (10 days old), 3 observers. */
  public static final int ADVERTS = 9;
  public static final int ADVERTS_OLDER_THAN_A_DAY = 2;
  public static final int ADVERTS_OLDER_THAN_7_DAYS = 1;
  /** Advert receptions, and message, trace and packet receptions. */
  public static final int ADVERT_RECEPTIONS = 11;
  public static final int PACKET_RECEPTIONS = 19;
  /** The first Public message ("hello mesh world", heard by all three observers), the trace and the ack. */
  public static final String HELLO_HASH = Samples.packetHash(10_000);
  public static final String TRACE_HASH = Samples.packetHash(10_012);
  public static final String ACK_HASH = Samples.packetHash(10_013);

  private final ActorSystem<?> system;
  private final Instant now;
  private int packets;

  private ReadSideData(ActorSystem<?> system, Instant now) {
    this.system = system;
    this.now = now;
  }

  /** Sends everything and checks every reply; receptions are a few seconds to ten days before {@code now}. */
  public static ReadSideData send(ActorSystem<?> system, Instant now) throws Exception {
    ReadSideData data = new ReadSideData(system, now.truncatedTo(ChronoUnit.MILLIS));
    data.sendNodes();
    data.sendMessages();
    return data;
  }

  public Instant now() {
    return now;
  }

  private Instant ago(Duration d) {
    return now.minus(d);
  }

  private void sendNodes() throws Exception {
    long t = now.getEpochSecond() - 600;
    // An earlier report of the first observer: its status history has two entries.
    status(O1, new NodeEntity.ObserverStatus("obs-1", "offline", "Heltec V3", "1.8.1", "869.525,250,11,5",
        "meshhub-observer/1.0", null, ago(Duration.ofHours(2))));
    // Observers: each has a status feed and its own advert.
    int i = 1;
    for (String o : List.of(O1, O2, O3)) {
      status(o, new NodeEntity.ObserverStatus("obs-" + i, "online", "Heltec V3", "1.8.2", "869.525,250,11,5",
          "meshhub-observer/1.0", "{\"uptime\":" + (100 * i) + "}", ago(Duration.ofSeconds(30))));
      advert(o, advert(t, "Observer " + i, "repeater", true), reception(o, O1.equals(o) ? O2 : O1, 20));
      i++;
    }
    NodeEntity.Advert alpha = advert(t, "Alpha Repeater", "repeater", true);
    advert(ALPHA, alpha, reception(ALPHA, O1, 15));
    advert(ALPHA, alpha, reception(ALPHA, O2, 14));
    advert(ALPHA, alpha, reception(ALPHA, O3, 13));
    advert(ALPHA, advert(t + 100, "Alpha Prime", "repeater", true), reception(ALPHA, O1, 5));
    advert(BRAVO, advert(t, "Bravo", "chat", true), reception(BRAVO, O1, 12));
    advert(CHARLIE, advert(t - 3 * 86_400, "Charlie Room", "room", true),
        new Reception(O2, ago(Duration.ofDays(3)), 3.5, -110, 3, "a1b2c3"));
    advert(MALLORY, advert(t, "Mallory", "chat", false), reception(MALLORY, O3, 11));
    advert(ECHO, advert(t - 10 * 86_400, "Echo Sensor", "sensor", true),
        new Reception(O2, ago(Duration.ofDays(10)), 1.0, -118, 5, null));
    expect(Outcome.RECORDED, node(ECHO, r -> new NodeEntity.RecordTelemetry(new NodeEntity.Telemetry(O2,
        ago(Duration.ofDays(10)).plusSeconds(5), "{\"temperature\":21.5,\"humidity\":40}"), r)));
    tag(ALPHA, "owner", "alice");
    tag(ALPHA, "site", "hill");
    expect(Outcome.RECORDED, node(ALPHA, r -> new NodeEntity.RemoveTag("site", r)));
    tag(BRAVO, "owner", "bob");
  }

  private void sendMessages() throws Exception {
    String[] publicTexts = {"hello mesh world", "good morning everyone", "the weather is fine", "Hello again",
        "repeater down on the hill", "grüße aus Köln"};
    for (int i = 0; i < publicTexts.length; i++) {
      String hash = nextHash();
      MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", 5, PUBLIC, "Public", true,
          "Tree" + i, publicTexts[i], now.getEpochSecond() - 60 + i, 0, null, null);
      message(hash, content, new Reception(O1, ago(Duration.ofSeconds(50 - i)), 6.0 + i, -90 - i, 1, "aa"));
      if (i % 2 == 0) {
        message(hash, content, new Reception(O2, ago(Duration.ofSeconds(49 - i)), 4.0, -95, 2, "aabb"));
      }
      if (i == 0) {
        message(hash, content, new Reception(O3, ago(Duration.ofSeconds(48)), 2.0, -101, 3, "aabbcc"));
        // The same observer again: a redelivery, which changes nothing.
        expect(Outcome.DUPLICATE, send(hash, r -> new MessageEntity.RecordMessage(content, null,
            new Reception(O3, ago(Duration.ofSeconds(48)), 2.0, -101, 3, "aabbcc"), r)));
      }
    }
    Instant[] testTimes = {ago(Duration.ofSeconds(40)), ago(Duration.ofDays(3)), ago(Duration.ofDays(10))};
    for (int i = 0; i < testTimes.length; i++) {
      MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", 5, TEST_CHANNEL, "#test",
          true, "Probe", "test message number " + i, testTimes[i].getEpochSecond(), 0, null, null);
      message(nextHash(), content, new Reception(O2, testTimes[i], 5.5, -99, 0, null));
    }
    String[][] contacts = {{"ab", "cd", "ping"}, {"ab", "cd", "pong"}, {"ef", "ab", "direct hello"}};
    for (String[] c : contacts) {
      MessageEntity.MessageContent content = new MessageEntity.MessageContent("contact", 2, null, null, true, null,
          c[2], now.getEpochSecond() - 30, 0, c[0], c[1]);
      message(nextHash(), content, new Reception(O3, ago(Duration.ofSeconds(30)), 7.0, -88, 1, "ee"));
    }
    String trace = nextHash();
    MessageEntity.TraceContent traceContent = new MessageEntity.TraceContent(123_456L, 42L, 0,
        List.of("a1", "b2", "c3"), List.of(5.25, 3.5));
    expect(Outcome.RECORDED, send(trace, r -> new MessageEntity.RecordTrace(traceContent, null,
        new Reception(O1, ago(Duration.ofSeconds(20)), 5.0, -92, 3, "a1b2c3"), r)));
    expect(Outcome.RECEPTION_ADDED, send(trace, r -> new MessageEntity.RecordTrace(traceContent, null,
        new Reception(O2, ago(Duration.ofSeconds(19)), 4.0, -93, 3, "a1b2c3"), r)));
    String ack = nextHash();
    expect(Outcome.RECORDED, send(ack, r -> new MessageEntity.RecordPacket(new MessageEntity.PacketInfo(3, "ack", 1),
        "0300aabbccdd", new Reception(O1, ago(Duration.ofSeconds(10)), 8.0, -80, 0, null), r)));
  }

  private String nextHash() {
    return Samples.packetHash(10_000 + packets++);
  }

  private static NodeEntity.Advert advert(long ts, String name, String type, boolean valid) {
    return new NodeEntity.Advert(ts, name, type, 0x81, 47.5 + ts % 7 / 100.0, -122.1, valid, null, null);
  }

  private Reception reception(String node, String observer, int secondsAgo) {
    return new Reception(observer, ago(Duration.ofSeconds(secondsAgo)), 6.25, -97, 2, "a1b2");
  }

  private void advert(String key, NodeEntity.Advert advert, Reception reception) throws Exception {
    Outcome o = node(key, r -> new NodeEntity.RecordAdvert(advert, reception, r));
    if (o == Outcome.DUPLICATE) {
      throw new AssertionError("advert of " + key + " by " + reception.observer() + " was a duplicate");
    }
  }

  private void status(String key, NodeEntity.ObserverStatus status) throws Exception {
    expect(Outcome.RECORDED, node(key, r -> new NodeEntity.ReportObserverStatus(status, r)));
  }

  private void tag(String key, String tag, String value) throws Exception {
    expect(Outcome.RECORDED, node(key, r -> new NodeEntity.SetTag(tag, value, r)));
  }

  private void message(String hash, MessageEntity.MessageContent content, Reception reception) throws Exception {
    Outcome o = send(hash, r -> new MessageEntity.RecordMessage(content, null, reception, r));
    if (o == Outcome.DUPLICATE) {
      throw new AssertionError("message " + hash + " by " + reception.observer() + " was a duplicate");
    }
  }

  private Outcome node(String key,
      Function<ActorRef<StatusReply<Outcome>>, NodeEntity.Command> command) throws Exception {
    return ClusterSharding.get(system).entityRefFor(NodeEntity.ENTITY_KEY, key)
        .<Outcome>askWithStatus(command::apply, ASK)
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private Outcome send(String hash,
      Function<ActorRef<StatusReply<Outcome>>, MessageEntity.Command> command) throws Exception {
    return ClusterSharding.get(system).entityRefFor(MessageEntity.ENTITY_KEY, hash)
        .<Outcome>askWithStatus(command::apply, ASK)
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void expect(Outcome expected, Outcome actual) {
    if (expected != actual) {
      throw new AssertionError("expected " + expected + " but the entity answered " + actual);
    }
  }
}
