package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketEncoderTest {

    private static final PacketEncoder ENCODER = new PacketEncoder();
    private static final ChannelKey BOT = ChannelKey.hashtag("#bot");
    private static final PacketDecoder DECODER = new PacketDecoder(ChannelKeys.defaults().with(BOT));
    private static final NodeIdentity NODE = NodeIdentity.fromSeed(seed(42));

    private static byte[] seed(int fill) {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (fill + i);
        }
        return seed;
    }

    private static Packet decode(byte[] raw) {
        DecodeResult result = DECODER.decode(raw);
        return assertInstanceOf(DecodeResult.Decoded.class, result, result::toString).packet();
    }

    @Test
    void derivesIdentityFromSeedAsRfc8032Does() {
        // RFC 8032 section 7.1, TEST 1
        NodeIdentity id = NodeIdentity.fromSeed(
                Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", id.publicKeyHex());
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                + "d25bf5f0595bbe24655141438e7a100b", Hex.lower(id.sign(new byte[0])));
        assertEquals(NodeIdentity.fromSeed(seed(42)).publicKeyHex(), NODE.publicKeyHex());
        assertNotEquals(NodeIdentity.fromSeed(seed(43)).publicKeyHex(), NODE.publicKeyHex());
        assertEquals(NODE.publicKeyHex().substring(0, 4), Hex.lower(NODE.hash(2)));
        assertFalse(NODE.toString().contains(Hex.lower(seed(42))));
    }

    @Test
    void roundTripsSignedAdvertWithLocationAndName() {
        List<byte[]> path = List.of(Hex.decode("a1b2"), Hex.decode("c3d4"));
        byte[] raw = ENCODER.advert(NODE, 1758455660L, 2, 47.543968, -122.108616, "Sim Repeater", RouteType.FLOOD,
                path, 2);
        Packet packet = decode(raw);
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(PayloadType.ADVERT, packet.payloadType());
        assertEquals(2, packet.pathHashSize());
        assertEquals(List.of("a1b2", "c3d4"), packet.pathHashes());

        Advert advert = assertInstanceOf(Advert.class, packet.payload());
        assertEquals(NODE.publicKeyHex(), advert.publicKey());
        assertEquals(1758455660L, advert.timestamp());
        assertTrue(advert.signatureValid());
        assertEquals(0x92, advert.flags());
        assertEquals("repeater", advert.advType());
        assertEquals(47.543968, advert.lat(), 1e-9);
        assertEquals(-122.108616, advert.lon(), 1e-9);
        assertEquals("Sim Repeater", advert.name());

        // deterministic, and the path is not part of the hash
        byte[] again = ENCODER.advert(NODE, 1758455660L, 2, 47.543968, -122.108616, "Sim Repeater",
                RouteType.DIRECT, List.of(), 1);
        assertEquals(packet.hash(), decode(again).hash());
        assertArrayEquals(raw, ENCODER.advert(NODE, 1758455660L, 2, 47.543968, -122.108616, "Sim Repeater",
                RouteType.FLOOD, path, 2));
    }

    @Test
    void roundTripsAdvertWithoutLocationOrName() {
        Advert advert = assertInstanceOf(Advert.class,
                decode(ENCODER.advert(NODE, 0, 1, null, null, null, RouteType.FLOOD, List.of(), 1)).payload());
        assertTrue(advert.signatureValid());
        assertEquals(1, advert.flags());
        assertEquals("chat", advert.advType());
        assertNull(advert.lat());
        assertNull(advert.name());
    }

    @Test
    void readsAdvertOptionalFieldsInWireOrder() {
        // flags: sensor (4) | location | feature1 | feature2 | name
        byte[] appData = Hex.decode("f4" + "40420f00" + "c0bdf0ff" + "3412" + "7856" + "53656e73" + "00" + "6a756e6b");
        byte[] key = NODE.publicKey();
        byte[] time = Hex.decode("01000000");
        byte[] signed = new byte[36 + appData.length];
        System.arraycopy(key, 0, signed, 0, 32);
        System.arraycopy(time, 0, signed, 32, 4);
        System.arraycopy(appData, 0, signed, 36, appData.length);
        byte[] payload = new byte[100 + appData.length];
        System.arraycopy(signed, 0, payload, 0, 36);
        System.arraycopy(NODE.sign(signed), 0, payload, 36, 64);
        System.arraycopy(appData, 0, payload, 100, appData.length);

        Advert advert = assertInstanceOf(Advert.class,
                decode(ENCODER.frame(RouteType.FLOOD, PayloadType.ADVERT, List.of(), 1, payload)).payload());
        assertTrue(advert.signatureValid());
        assertEquals(1L, advert.timestamp());
        assertEquals("sensor", advert.advType());
        assertEquals(1.0, advert.lat(), 1e-9);
        assertEquals(-1.0, advert.lon(), 1e-9);
        assertEquals(0x1234, advert.feature1());
        assertEquals(0x5678, advert.feature2());
        assertEquals("Sens", advert.name()); // cut at the NUL
    }

    @Test
    void detectsAnyTamperedAdvertByteAsBadSignature() {
        byte[] raw = ENCODER.advert(NODE, 1700000000L, 3, 1.5, 2.5, "Room", RouteType.FLOOD, List.of(), 1);
        // the timestamp, a signature byte and a location byte
        for (int offset : new int[] {2 + 33, 2 + 40, 2 + 102}) {
            byte[] tampered = raw.clone();
            tampered[offset] ^= 0x01;
            Advert advert = assertInstanceOf(Advert.class, decode(tampered).payload());
            assertFalse(advert.signatureValid(), "offset " + offset);
        }
    }

    @Test
    void cutsLongAdvertNamesOnCharacterBoundaries() {
        String name = "\uD83D\uDC7E".repeat(10); // 40 UTF-8 bytes
        Advert located = assertInstanceOf(Advert.class, decode(ENCODER.advert(NODE, 1, 2, 0.0, 0.0, name,
                RouteType.FLOOD, List.of(), 1)).payload());
        assertEquals("\uD83D\uDC7E".repeat(5), located.name()); // 23-byte budget: 5 whole emoji
        assertTrue(located.signatureValid());
        Advert unlocated = assertInstanceOf(Advert.class, decode(ENCODER.advert(NODE, 1, 2, null, null, name,
                RouteType.FLOOD, List.of(), 1)).payload());
        assertEquals("\uD83D\uDC7E".repeat(7), unlocated.name()); // 31-byte budget: 7 whole emoji
        assertEquals(28, unlocated.name().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void reproducesTheChannelMessageVectorsByteForByte() {
        byte[] g1 = ENCODER.groupText(ChannelKey.PUBLIC, 1758484279L, "\uD83C\uDF32 Tree: \u2601\uFE0F",
                RouteType.FLOOD, List.of(), 1);
        assertEquals(Vectors.G1.toLowerCase(), Hex.lower(g1));

        byte[] g2 = ENCODER.groupText(BOT, 1772919297L, "Roy B V4: P", RouteType.FLOOD,
                List.of(Hex.decode("3fa002"), Hex.decode("860cca"), Hex.decode("e0eed9")), 3);
        assertEquals(Vectors.G2, Hex.lower(g2));

        byte[] g3 = ENCODER.groupText(BOT, 1772918551L, "Howl \uD83D\uDC7E: prefix 0101", RouteType.FLOOD,
                List.of(), 2);
        assertEquals(Vectors.G3, Hex.lower(g3));
    }

    @Test
    void roundTripsChannelMessage() {
        byte[] raw = ENCODER.groupText(BOT, 1772918551L, "Sim: hello mesh", RouteType.FLOOD,
                List.of(Hex.decode("01")), 1);
        Packet packet = decode(raw);
        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertTrue(text.decrypted());
        assertEquals("#bot", text.channelName());
        assertEquals(0xCA, text.channelHash());
        assertEquals(1772918551L, text.timestamp());
        assertEquals("Sim", text.sender());
        assertEquals("hello mesh", text.message());
        assertEquals(packet.hash(), decode(ENCODER.groupText(BOT, 1772918551L, "Sim: hello mesh",
                RouteType.DIRECT, List.of(), 1)).hash());
    }

    @Test
    void refusesChannelTextThatDoesNotFitOnePacket() {
        // 5 + 171 bytes of plaintext fill 11 blocks: channel hash + MAC + 176 = 179 payload bytes; one more needs 195
        assertEquals(179, ENCODER.groupText(BOT, 1, "x".repeat(171), RouteType.FLOOD, List.of(), 1).length - 2);
        assertThrows(IllegalArgumentException.class,
                () -> ENCODER.groupText(BOT, 1, "x".repeat(172), RouteType.FLOOD, List.of(), 1));
    }

    @Test
    void reproducesTheTraceVectorsByteForByte() {
        assertEquals(Vectors.T1.toLowerCase(), Hex.lower(ENCODER.trace(0xBD894DA2L, 0, 0,
                List.of(Hex.decode("fb")), List.of(12.0))));
        assertEquals(Vectors.T2.toLowerCase(), Hex.lower(ENCODER.trace(0x01020304L, 0x0D0C0B0AL, 1,
                List.of(Hex.decode("aabb"), Hex.decode("ccdd")), List.of(12.0))));
    }

    @Test
    void roundTripsTraceAndItsHashChangesPerHop() {
        List<byte[]> route = List.of(Hex.decode("01"), Hex.decode("02"), Hex.decode("03"));
        Packet start = decode(ENCODER.trace(7, 9, 0, route, List.of()));
        Packet twoHops = decode(ENCODER.trace(7, 9, 0, route, List.of(-32.0, 31.75)));
        Trace trace = assertInstanceOf(Trace.class, twoHops.payload());
        assertEquals(7L, trace.tag());
        assertEquals(9L, trace.authCode());
        assertEquals(List.of("01", "02", "03"), trace.routeHashes());
        assertEquals(List.of(-32.0, 31.75), trace.snrs());
        assertNotEquals(start.hash(), twoHops.hash());
    }

    @Test
    void computesRegionCodeOfTheOttawaVector() {
        assertEquals("7871ec72b45617696c35c970bddd8124", Hex.lower(PacketEncoder.regionKey("#ottawa")));
        assertArrayEquals(PacketEncoder.regionKey("#ottawa"), PacketEncoder.regionKey("ottawa"));
        byte[] payload = Hex.decode(Vectors.R1.substring(2 * (1 + 4 + 1 + 3)));
        assertEquals(0x1AFA, PacketEncoder.regionCode(PacketEncoder.regionKey("#ottawa"), PayloadType.GRP_TXT, payload));
    }

    @Test
    void writesRegionTransportCodesForTransportRoutes() {
        PacketEncoder ottawa = PacketEncoder.forRegion("#ottawa");
        byte[] raw = ottawa.groupText(BOT, 5, "a: b", RouteType.TRANSPORT_FLOOD, List.of(), 1);
        Packet packet = decode(raw);
        assertEquals(RouteType.TRANSPORT_FLOOD, packet.routeType());
        int expected = PacketEncoder.regionCode(PacketEncoder.regionKey("#ottawa"), PayloadType.GRP_TXT,
                packet.payloadBytes());
        assertEquals(new TransportCodes(expected, 0), packet.transportCodes());
        assertTrue(assertInstanceOf(GroupText.class, packet.payload()).decrypted());

        assertThrows(IllegalArgumentException.class,
                () -> ENCODER.groupText(BOT, 5, "a: b", RouteType.TRANSPORT_DIRECT, List.of(), 1));
    }

    @Test
    void refusesPathsTheFirmwareWouldDrop() {
        assertThrows(IllegalArgumentException.class,
                () -> ENCODER.frame(RouteType.FLOOD, PayloadType.ACK, List.of(new byte[2]), 1, new byte[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ENCODER.frame(RouteType.FLOOD, PayloadType.ACK, List.of(), 4, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> ENCODER.frame(RouteType.FLOOD, PayloadType.ACK,
                Collections.nCopies(22, new byte[3]), 3, new byte[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ENCODER.frame(RouteType.FLOOD, PayloadType.RAW_CUSTOM, List.of(), 1, new byte[185]));
    }
}
