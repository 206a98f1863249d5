package org.meshhub.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshhub.core.db.DatabaseSettings;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.ingest.IngestResult.Status;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.core.testing.LetsMesh;
import org.meshhub.core.testing.Samples;
import org.meshhub.core.testing.TestDatabases;

/** Every feed and its routing, through the real pipeline, entities and journal on SQLite. */
class IngestPipelineTest {
  static final String PREFIX = "meshcore";
  // Wire-notes vectors (§4).
  static final String A1 = "11007E7662676F7F0850A8A355BAAFBFC1EB7B4174C340442D7D7161C9474A2C94006CE7CF682E58408DD8FCC5"
      + "1906ECA98EBF94A037886BDADE7ECD09FD92B839491DF3809C9454F5286D1D3370AC31A34593D569E9A042A3B41FD331DFFB7E1859"
      + "9CE1E60992A076D50238C5B8F85757375354522F50756765744D65736820436F75676172";
  static final String A1_KEY = "7e7662676f7f0850a8a355baafbfc1eb7b4174c340442d7d7161c9474a2c9400";
  static final String G1 = "150011C3C1354D619BAE9590E4D177DB7EEAF982F5BDCF78005D75157D9535FA90178F785D";
  static final String G1_HASH = "B35E8EC0E974A30B";
  static final String G2 = "15833fa002860ccae0eed9ca78b9ab0775d477c1f6490a398bf4edc75240";
  static final String G2_HASH = "D6FC7DD34DFD54AD";
  static final String G4 = "150013752F15A1BF3C018EB1FC4F26B5FAEB417BB0F1AE8FF07655484EBAA05CB9A927D689";
  static final String G4_HASH = "5234BDACD8C7C8E8";
  static final String T1 = "260130A24D89BD0000000000FB";
  static final String T1_HASH = "2C9D6AB99D59069C";
  static final String T2 = "260130040302010A0B0C0D01AABBCCDD";
  static final String T2_HASH = "41E543347DFE49A9";
  static final String K1 = "0D04B891647EBB40BA70";
  static final String K1_HASH = "BBF95563C6EEC9FE";
  static final String Q4 = "09046F17C47ED00A13E16AB5B94B1CC2D1A5059C6E5A6253C60D";
  static final String Q4_HASH = "ED5D121DC09272C4";
  static final Instant AT = Instant.parse("2025-09-21T19:51:20Z");

  @TempDir
  static Path dataHome;
  static IngestFixture hub;

  @BeforeAll
  static void start() {
    IngestSettings defaults = IngestSettings.defaults();
    IngestSettings settings = new IngestSettings(ChannelKeys.defaults().plus(ChannelKeys.parse("#bot")), 10_000,
        java.time.Duration.ofDays(30), defaults.askTimeout(), defaults.rejectedPruneInterval());
    hub = IngestFixture.start(DatabaseSettings.fromEnv(TestDatabases.sqliteEnv(dataHome)), settings, PREFIX);
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static String observer(int n) {
    return Samples.publicKey(9000 + n);
  }

  static String packets(String observer) {
    return LetsMesh.topic(PREFIX, observer, "packets");
  }

  static String packet(String raw, String hash) {
    return LetsMesh.packet(raw, hash, AT, "9.25", "-101");
  }

  @Test
  void anAdvertIsRecordedOnTheAdvertisedNodeWithTheObserverKeyLowerCased() throws Exception {
    String obs = observer(1);
    IngestResult result = hub.submit(packets(obs.toUpperCase(Locale.ROOT)), packet(A1, "75B10CB12C391078"));
    assertEquals(Status.ACCEPTED, result.status(), result.toString());
    assertEquals("recorded", result.reason());

    NodeEntity.Summary node = hub.node(A1_KEY);
    assertEquals("WW7STR/PugetMesh Cougar", node.name());
    assertEquals("repeater", node.advType());
    assertEquals(47.543968, node.lat(), 1e-9);
    assertEquals(-122.108616, node.lon(), 1e-9);
    assertEquals(1758455660L, node.lastAdvertTimestamp());
    assertEquals(1, node.advertCount());
    assertEquals(1, node.receptionCount());
    assertEquals(AT, node.lastSeen(), "the reception time is the uploader's timestamp");

    assertEquals("duplicate", hub.submit(packets(obs), packet(A1, null)).reason(), "a redelivery changes nothing");
    assertEquals("reception_added", hub.submit(packets(observer(2)), packet(A1, null)).reason());
    assertEquals(2, hub.node(A1_KEY).receptionCount());
  }

  @Test
  void aChannelMessageGoesToTheMessageOfItsComputedHash() throws Exception {
    assertEquals("recorded", hub.submit(packets(observer(1)), packet(G1, G1_HASH)).reason());
    assertEquals("reception_added", hub.submit(packets(observer(2)), packet(G1, G1_HASH)).reason());
    assertEquals("duplicate", hub.submit(packets(observer(2)), packet(G1, G1_HASH)).reason());
    MessageEntity.Summary message = hub.message(G1_HASH);
    assertEquals(MessageEntity.KIND_MESSAGE, message.kind());
    assertEquals(Set.of(observer(1), observer(2)), message.observers());
  }

  @Test
  void aChannelMessageOnAHashtagChannelFromChannelKeysIsAMessageWithAMultiBytePath() throws Exception {
    assertEquals("recorded", hub.submit(packets(observer(3)), packet(G2, G2_HASH)).reason());
    assertEquals(MessageEntity.KIND_MESSAGE, hub.message(G2_HASH).kind());
  }

  @Test
  void aWrongUploadedHashIsCountedAndTheComputedHashIsUsed() throws Exception {
    double before = hub.metric("meshhub_ingest_hash_mismatch_total");
    IngestResult result = hub.submit(packets(observer(4)), packet(G4, "0000000000000000"));
    assertEquals(Status.ACCEPTED, result.status());
    assertEquals(before + 1, hub.metric("meshhub_ingest_hash_mismatch_total"));
    assertEquals(Set.of(observer(4)), hub.message(G4_HASH).observers(), "kept under the hash computed from raw");
    assertEquals(MessageEntity.KIND_MESSAGE, hub.message(G4_HASH).kind(), "undecrypted messages are kept");
    assertNull(hub.message("0000000000000000").kind(), "nothing under the uploaded hash");
    // Case does not make a mismatch.
    hub.submit(packets(observer(5)), packet(G4, G4_HASH.toLowerCase(Locale.ROOT)));
    assertEquals(before + 1, hub.metric("meshhub_ingest_hash_mismatch_total"));
  }

  @Test
  void tracesContactMessagesAndOtherPayloadTypesGoToTheirMessageEntities() throws Exception {
    assertEquals("recorded", hub.submit(packets(observer(1)), packet(T1, T1_HASH)).reason());
    assertEquals(MessageEntity.KIND_TRACE, hub.message(T1_HASH).kind());
    assertEquals("recorded", hub.submit(packets(observer(1)), packet(Q4, Q4_HASH)).reason());
    assertEquals(MessageEntity.KIND_MESSAGE, hub.message(Q4_HASH).kind(), "TXT_MSG is a contact message");
    assertEquals("recorded", hub.submit(packets(observer(1)), packet(K1, K1_HASH)).reason());
    assertEquals(MessageEntity.KIND_PACKET, hub.message(K1_HASH).kind(), "an ACK is recorded as a packet");
  }

  @Test
  void valuesMayBeNumbersOrTextThatIsNotANumber() throws Exception {
    String json = "{\"timestamp\":1758484280,\"direction\":\"RX\",\"raw\":\"" + T2.toLowerCase(Locale.ROOT)
        + "\",\"SNR\":\"Unknown\",\"RSSI\":-95,\"hash\":null}";
    IngestResult result = hub.submit(packets(observer(6)), json);
    assertEquals(Status.ACCEPTED, result.status(), result.toString());
    assertEquals(Set.of(observer(6)), hub.message(T2_HASH).observers());
  }

  @Test
  void transmittedPacketsAndTheInternalFeedAreIgnored() throws Exception {
    double ignored = hub.metric("meshhub_ingest_messages_total{result=\"ignored\"}");
    String tx = "{\"direction\":\"tx\",\"raw\":\"" + K1 + "\"}";
    IngestResult result = hub.submit(packets(observer(7)), tx);
    assertEquals(Status.IGNORED, result.status());
    assertEquals("not_received", result.reason());
    IngestResult internal = hub.submit(LetsMesh.topic(PREFIX, observer(7), "internal"), "{\"info\":\"restart\"}");
    assertEquals(Status.IGNORED, internal.status());
    assertEquals(ignored + 2, hub.metric("meshhub_ingest_messages_total{result=\"ignored\"}"));
    assertFalse(hub.message(K1_HASH).observers().contains(observer(7)));
  }

  @Test
  void aStatusReportMarksTheObserverAndItsRedeliveryIsADuplicate() throws Exception {
    String obs = observer(8);
    String status = LetsMesh.status("Loft", "online", AT);
    assertEquals("recorded", hub.submit(LetsMesh.topic(PREFIX, obs, "status"), status).reason());
    assertEquals("duplicate", hub.submit(LetsMesh.topic(PREFIX, obs, "status"), status).reason());
    NodeEntity.Summary node = hub.node(obs);
    assertTrue(node.observer());
    assertEquals(AT, node.lastSeen());
  }

  @Test
  void theOlderDecodedFeedMapsOntoTheSameEntities() throws Exception {
    String a = observer(10);
    String b = observer(11);
    String node = Samples.publicKey(777);
    String advert = "{\"public_key\":\"" + node.toUpperCase(Locale.ROOT) + "\",\"name\":\"Old Feed\","
        + "\"adv_type\":\"chat\",\"flags\":129,\"lat\":\"51.5\",\"lon\":-0.12,\"timestamp\":\"" + AT + "\"}";
    assertEquals("recorded", hub.submit(PREFIX + "/" + a + "/event/advertisement", advert).reason());
    assertEquals("reception_added", hub.submit(PREFIX + "/" + b + "/event/advertisement", advert).reason());
    assertEquals("duplicate", hub.submit(PREFIX + "/" + b + "/event/advertisement", advert).reason());
    NodeEntity.Summary summary = hub.node(node);
    assertEquals("Old Feed", summary.name());
    assertEquals("chat", summary.advType());
    assertEquals(51.5, summary.lat());
    assertEquals(2, summary.receptionCount());

    String channel = "{\"channel_idx\":0,\"text\":\"Tree: hello\",\"pubkey_prefix\":\"\",\"path_len\":2,"
        + "\"snr\":7.5,\"sender_timestamp\":1758484279,\"txt_type\":0}";
    assertEquals("recorded", hub.submit(PREFIX + "/" + a + "/event/channel_msg_recv", channel).reason());
    // Another observer's radio numbers its channels itself: the message is the same.
    assertEquals("reception_added", hub.submit(PREFIX + "/" + b + "/event/channel_msg_recv",
        channel.replace("\"channel_idx\":0", "\"channel_idx\":3")).reason());
    String hash = DecodedEventFeed.derivedHash("channel", "1758484279", "Tree: hello");
    assertEquals(Set.of(a, b), hub.message(hash).observers());

    String contact = "{\"pubkey_prefix\":\"A1B2C3D4E5F6\",\"text\":\"hi\",\"sender_timestamp\":1758484300,"
        + "\"txt_type\":0,\"path_len\":255,\"snr\":\"5\"}";
    assertEquals("recorded", hub.submit(PREFIX + "/" + a + "/event/contact_msg_recv", contact).reason());

    String telemetry = "{\"node_public_key\":\"" + node + "\",\"parsed_data\":{\"voltage\":4.01,\"temperature\":21},"
        + "\"timestamp\":\"" + AT + "\"}";
    long nodeEvents = hub.count("SELECT COUNT(*) FROM event_journal WHERE persistence_id = 'Node|" + node + "'");
    assertEquals("recorded", hub.submit(PREFIX + "/" + a + "/event/telemetry_response", telemetry).reason());
    assertEquals("duplicate", hub.submit(PREFIX + "/" + a + "/event/telemetry_response", telemetry).reason());
    assertEquals(nodeEvents + 1,
        hub.count("SELECT COUNT(*) FROM event_journal WHERE persistence_id = 'Node|" + node + "'"));

    String trace = "{\"initiator_tag\":3179892130,\"path_len\":1,\"flags\":0,\"path_hashes\":[\"FB\"],"
        + "\"snr_values\":[12.0],\"hop_count\":1}";
    assertEquals("recorded", hub.submit(PREFIX + "/" + a + "/event/trace_data", trace).reason());
    assertEquals(MessageEntity.KIND_TRACE,
        hub.message(DecodedEventFeed.derivedHash("trace", "3179892130", "1")).kind());

    IngestResult other = hub.submit(PREFIX + "/" + a + "/event/battery", "{\"level\":4100}");
    assertEquals(Status.IGNORED, other.status());
    assertEquals("unsupported_event", other.reason());
  }

  @Test
  void aPayloadOfExactly64KiBIsAccepted() throws Exception {
    String json = packet("0E41AABB11223344", "5EF3DF160FC8D17E");
    String padded = json.substring(0, json.length() - 1)
        + " ".repeat(IngestSettings.MAX_PAYLOAD_BYTES - json.length()) + "}";
    assertEquals(IngestSettings.MAX_PAYLOAD_BYTES, padded.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(Status.ACCEPTED, hub.submit(packets(observer(12)), padded).status());
  }
}
