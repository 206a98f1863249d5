package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every vector of §4 of the wire notes decodes to the documented values. */
class PacketDecoderVectorsTest {

    private static final PacketDecoder PUBLIC_ONLY = new PacketDecoder(ChannelKeys.defaults());
    private static final PacketDecoder WITH_BOT = new PacketDecoder(ChannelKeys.defaults().plus(ChannelKeys.parse("#bot")));

    static Packet decoded(PacketDecoder decoder, String hex) {
        DecodeResult result = decoder.decodeHex(hex);
        return assertInstanceOf(DecodeResult.Decoded.class, result, () -> "rejected: " + result).packet();
    }

    static Packet decoded(String hex) {
        return decoded(PUBLIC_ONLY, hex);
    }

    static <T extends Payload> T payload(PacketDecoder decoder, String hex, Class<T> type) {
        return assertInstanceOf(type, decoded(decoder, hex).payload());
    }

    static <T extends Payload> T payload(String hex, Class<T> type) {
        return payload(PUBLIC_ONLY, hex, type);
    }

    @Test
    void decodesRepeaterAdvertWithLocationAndName() {
        Packet packet = decoded(Vectors.A1);
        assertEquals(0x11, packet.header());
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(PayloadType.ADVERT, packet.payloadType());
        assertEquals(0, packet.version());
        assertNull(packet.transportCodes());
        assertEquals(1, packet.pathHashSize());
        assertEquals(0, packet.hopCount());
        assertEquals(List.of(), packet.pathHashes());
        assertEquals(132, packet.payloadLength());
        assertEquals(134, packet.length());
        assertEquals("75B10CB12C391078", packet.hash());

        Advert advert = assertInstanceOf(Advert.class, packet.payload());
        assertEquals("7e7662676f7f0850a8a355baafbfc1eb7b4174c340442d7d7161c9474a2c9400", advert.publicKey());
        assertEquals(1758455660L, advert.timestamp());
        assertEquals("2e58408dd8fcc51906eca98ebf94a037886bdade7ecd09fd92b839491df3809c9454f5286d1d3370ac31a34593d569"
                + "e9a042a3b41fd331dffb7e18599ce1e609", advert.signature());
        assertTrue(advert.signatureValid());
        assertEquals(146, advert.flags());
        assertEquals(2, advert.nodeType());
        assertEquals("repeater", advert.advType());
        assertEquals(47.543968, advert.lat(), 1e-9);
        assertEquals(-122.108616, advert.lon(), 1e-9);
        assertNull(advert.feature1());
        assertNull(advert.feature2());
        assertEquals("WW7STR/PugetMesh Cougar", advert.name());
        assertEquals("7e", advert.nodeHash());
    }

    @Test
    void decodesAdvertSentInTwoBytePathModeWithNoHops() {
        Packet packet = decoded(Vectors.A2);
        assertEquals(0x40, packet.pathLength());
        assertEquals(2, packet.pathHashSize());
        assertEquals(0, packet.hopCount());
        assertEquals(132, packet.payloadLength());
        assertEquals("06CB4BE8991D61F9", packet.hash());

        Advert advert = assertInstanceOf(Advert.class, packet.payload());
        assertEquals("96acef6f63bce25f06983cfb0040d39395fd2eb5769395504d020a422d6e94b6", advert.publicKey());
        assertEquals(1715819223L, advert.timestamp());
        assertTrue(advert.signatureValid());
        assertEquals(0x92, advert.flags());
        assertEquals("repeater", advert.advType());
        assertEquals(39.519889, advert.lat(), 1e-9);
        assertEquals(-104.729598, advert.lon(), 1e-9);
        assertEquals("DEN-PARKR-RJHPK-RE-96AC", advert.name());
    }

    @Test
    void decryptsPublicChannelMessageAndSplitsSender() {
        Packet packet = decoded(Vectors.G1);
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(PayloadType.GRP_TXT, packet.payloadType());
        assertEquals("B35E8EC0E974A30B", packet.hash());

        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertEquals(0x11, text.channelHash());
        assertEquals("c3c1", text.mac());
        assertEquals(32, text.ciphertextLength());
        assertTrue(text.decrypted());
        assertEquals("Public", text.channelName());
        assertEquals(1758484279L, text.timestamp());
        assertEquals(0, text.flags());
        assertEquals(0, text.txtType());
        assertEquals("\uD83C\uDF32 Tree: \u2601\uFE0F", text.text());
        assertEquals("\uD83C\uDF32 Tree", text.sender());
        assertEquals("\u2601\uFE0F", text.message());
    }

    @Test
    void decryptsHashtagMessageWithThreeByteHopsAndNoNulTerminator() {
        Packet packet = decoded(WITH_BOT, Vectors.G2);
        assertEquals(0x83, packet.pathLength());
        assertEquals(3, packet.pathHashSize());
        assertEquals(List.of("3fa002", "860cca", "e0eed9"), packet.pathHashes());
        assertEquals("D6FC7DD34DFD54AD", packet.hash());

        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertEquals(0xCA, text.channelHash());
        assertEquals("78b9", text.mac());
        assertEquals(16, text.ciphertextLength());
        assertTrue(text.decrypted());
        assertEquals("#bot", text.channelName());
        assertEquals(1772919297L, text.timestamp());
        assertEquals(0, text.flags());
        assertEquals("Roy B V4: P", text.text());
        assertEquals("Roy B V4", text.sender());
        assertEquals("P", text.message());
    }

    @Test
    void decryptsHashtagMessageSentInTwoBytePathMode() {
        Packet packet = decoded(WITH_BOT, Vectors.G3);
        assertEquals(2, packet.pathHashSize());
        assertEquals(0, packet.hopCount());
        assertEquals("C70E590F3B6508B6", packet.hash());

        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertEquals(0xCA, text.channelHash());
        assertEquals("b3b1", text.mac());
        assertTrue(text.decrypted());
        assertEquals(1772918551L, text.timestamp());
        assertEquals(0, text.flags());
        assertEquals("Howl \uD83D\uDC7E: prefix 0101", text.text());
        assertEquals("Howl \uD83D\uDC7E", text.sender());
        assertEquals("prefix 0101", text.message());
    }

    @Test
    void leavesMessageUndecryptedWhenFirstMacByteIsFlipped() {
        byte[] raw = Hex.decode(Vectors.G3);
        raw[3] ^= 0x01; // header, path_len, channel hash, then the first MAC byte
        DecodeResult result = WITH_BOT.decode(raw);
        GroupText text = assertInstanceOf(GroupText.class,
                assertInstanceOf(DecodeResult.Decoded.class, result).packet().payload());
        assertEquals(0xCA, text.channelHash());
        assertEquals("b2b1", text.mac());
        assertFalse(text.decrypted());
        assertNull(text.channelName());
        assertNull(text.text());
        assertNull(text.sender());
        assertNull(text.timestamp());
    }

    @Test
    void leavesMessageUndecryptedWithoutTheRightKey() {
        GroupText text = payload(Vectors.G3, GroupText.class); // Public only, no #bot
        assertFalse(text.decrypted());
        assertEquals(0xCA, text.channelHash());

        // A wrong key that claims the Public channel's hash byte is still not accepted: the MAC fails.
        PacketDecoder wrongKey = new PacketDecoder(ChannelKeys.of(new ChannelKey("Fake", "eb50a1bcb3e4e5d7bf69a57c9dada211")));
        GroupText g1 = payload(wrongKey, Vectors.G1, GroupText.class);
        assertFalse(g1.decrypted());
    }

    @Test
    void reportsMessageOnUnknownChannelUndecrypted() {
        Packet packet = decoded(Vectors.G4);
        assertEquals("5234BDACD8C7C8E8", packet.hash());
        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertEquals(0x13, text.channelHash());
        assertFalse(text.decrypted());
        assertEquals(32, text.ciphertextLength());
    }

    @Test
    void readsTransportCodesOfRegionScopedFlood() {
        Packet packet = decoded(Vectors.R1);
        assertEquals(0x14, packet.header());
        assertEquals(RouteType.TRANSPORT_FLOOD, packet.routeType());
        assertEquals(PayloadType.GRP_TXT, packet.payloadType());
        assertEquals(new TransportCodes(0x1AFA, 0), packet.transportCodes());
        assertEquals(List.of("4e", "92", "7d"), packet.pathHashes());
        assertEquals(83, packet.payloadLength());
        assertEquals("DE517617E6B2504C", packet.hash());

        GroupText text = assertInstanceOf(GroupText.class, packet.payload());
        assertEquals(0x59, text.channelHash());
        assertEquals("6ea2", text.mac());
        assertEquals(80, text.ciphertextLength());
        assertFalse(text.decrypted());
    }

    @Test
    void decodesTraceWithSnrFromPathAndHashIncludingPathLength() {
        Packet packet = decoded(Vectors.T1);
        assertEquals(RouteType.DIRECT, packet.routeType());
        assertEquals(PayloadType.TRACE, packet.payloadType());
        assertEquals(List.of("30"), packet.pathHashes());
        assertEquals("2C9D6AB99D59069C", packet.hash());

        Trace trace = assertInstanceOf(Trace.class, packet.payload());
        assertEquals(0xBD894DA2L, trace.tag());
        assertEquals(3179892130L, trace.tag());
        assertEquals(0L, trace.authCode());
        assertEquals(0, trace.flags());
        assertEquals(1, trace.routeHashSize());
        assertEquals(List.of("fb"), trace.routeHashes());
        assertEquals(List.of(12.0), trace.snrs());
    }

    @Test
    void decodesTraceWithTwoByteRouteEntries() {
        Packet packet = decoded(Vectors.T2);
        assertEquals("41E543347DFE49A9", packet.hash());
        Trace trace = assertInstanceOf(Trace.class, packet.payload());
        assertEquals(0x01020304L, trace.tag());
        assertEquals(0x0D0C0B0AL, trace.authCode());
        assertEquals(218893066L, trace.authCode());
        assertEquals(1, trace.flags());
        assertEquals(2, trace.routeHashSize());
        assertEquals(List.of("aabb", "ccdd"), trace.routeHashes());
        assertEquals(List.of(12.0), trace.snrs());
    }

    @Test
    void decodesRealDiscoverResponse() {
        Packet packet = decoded(Vectors.C1);
        assertEquals(RouteType.DIRECT, packet.routeType());
        assertEquals(PayloadType.CONTROL, packet.payloadType());
        assertEquals(0, packet.hopCount());
        assertEquals("C96D16C340A6A15C", packet.hash());

        Control control = assertInstanceOf(Control.class, packet.payload());
        assertEquals(Control.DISCOVER_RESP, control.subtype());
        assertEquals(2, control.lowBits());
        Control.DiscoverResponse response = assertInstanceOf(Control.DiscoverResponse.class, control.discovery());
        assertEquals(2, response.nodeType());
        assertEquals("repeater", response.advType());
        assertEquals(-9.0, response.snr());
        assertEquals(0x5B3E3335L, response.tag());
        assertEquals("4fbb374d26e77a3af0a0e3d34a7174131bbebf2341ee948b6f4b13cf800c928f", response.publicKey());
        assertFalse(response.prefixOnly());
    }

    @Test
    void decodesMoreRealDiscoverResponses() {
        assertDiscoverResponse(Vectors.C1_B, 2, 2.25, 0xF50126B3L,
                "58ee6d48fed50ac95fddd9c38c9f80156f1f6c5d5a075e0a3912fecc1e47d8f8");
        assertDiscoverResponse(Vectors.C1_C, 2, 11.0, 0xF50126B3L,
                "7a2859ff1d754965f798452a6857059a1eff151c798a1b9cc05169bc8247ead5");
        assertDiscoverResponse(Vectors.C1_D, 2, -8.5, 0xF50126B3L,
                "cf43af0cec2976cd39c2dce8bda4cb0399936b4bd2d2867c4cc82cdd474ee454");
        assertDiscoverResponse(Vectors.C1_E, 2, 4.0, 0x5B3E3335L,
                "d44de9dd6e165aca8c71717dfe7418e74e999a0eabfbaf36cf2d53b1d46a7268");
    }

    @Test
    void decodesConstructedDiscoverResponsesWithSnrExtremesAndNodeTypes() {
        assertDiscoverResponse("2E00920435333E5B0102030405060708", 2, 1.0, 0x5B3E3335L, "0102030405060708");
        assertDiscoverResponse("2E00928035333E5B0102030405060708", 2, -32.0, 0x5B3E3335L, "0102030405060708");
        assertDiscoverResponse("2E00927F35333E5B0102030405060708", 2, 31.75, 0x5B3E3335L, "0102030405060708");
        assertDiscoverResponse("2E009108AABBCCDD0102030405060708", 1, 2.0, 0xDDCCBBAAL, "0102030405060708");
        assertDiscoverResponse("2E009308AABBCCDD0102030405060708", 3, 2.0, 0xDDCCBBAAL, "0102030405060708");
        assertDiscoverResponse("2E009408AABBCCDD0102030405060708", 4, 2.0, 0xDDCCBBAAL, "0102030405060708");

        Control.DiscoverResponse chat = discoverResponse("2E009108AABBCCDD0102030405060708");
        assertEquals("chat", chat.advType());
        assertTrue(chat.prefixOnly());
        assertEquals("room", discoverResponse("2E009308AABBCCDD0102030405060708").advType());
        assertEquals("sensor", discoverResponse("2E009408AABBCCDD0102030405060708").advType());
    }

    @Test
    void decodesDiscoverRequestWithAndWithoutSince() {
        Control control = payload(Vectors.C2, Control.class);
        assertEquals(Control.DISCOVER_REQ, control.subtype());
        Control.DiscoverRequest request = assertInstanceOf(Control.DiscoverRequest.class, control.discovery());
        assertFalse(request.prefixOnly());
        assertEquals(0x04, request.typeFilter());
        assertEquals(0x04030201L, request.tag());
        assertEquals(0L, request.since());

        Control.DiscoverRequest real = assertInstanceOf(Control.DiscoverRequest.class,
                payload(Vectors.C2_REAL, Control.class).discovery());
        assertFalse(real.prefixOnly());
        assertEquals(0x04, real.typeFilter());
        assertEquals(0x8F748B51L, real.tag());
        assertNull(real.since());
    }

    @Test
    void decodesFloodAckWithPath() {
        Packet packet = decoded(Vectors.K1);
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(PayloadType.ACK, packet.payloadType());
        assertEquals(List.of("b8", "91", "64", "7e"), packet.pathHashes());
        assertEquals("BBF95563C6EEC9FE", packet.hash());
        Ack ack = assertInstanceOf(Ack.class, packet.payload());
        assertEquals("bb40ba70", ack.checksum());
        assertEquals("", ack.extra());
    }

    @Test
    void decodesDirectAckWithTwoByteHop() {
        Packet packet = decoded(Vectors.K2);
        assertEquals(RouteType.DIRECT, packet.routeType());
        assertEquals(2, packet.pathHashSize());
        assertEquals(List.of("aabb"), packet.pathHashes());
        assertEquals("5EF3DF160FC8D17E", packet.hash());
        assertEquals("11223344", assertInstanceOf(Ack.class, packet.payload()).checksum());
    }

    @Test
    void readsPathPacketAsEncryptedEnvelopeLikeTheFirmware() {
        Packet packet = decoded(Vectors.P1);
        assertEquals(RouteType.FLOOD, packet.routeType());
        assertEquals(PayloadType.PATH, packet.payloadType());
        assertEquals(List.of("f4", "64", "c7", "7e", "41"), packet.pathHashes());
        assertEquals("6A383220E950E9A3", packet.hash());
        assertEquals(new PeerMessage("12", "79", "399e", 16), packet.payload());
    }

    @Test
    void decodesEncryptedPeerPacketStructure() {
        Packet q1 = decoded(Vectors.Q1);
        assertEquals(RouteType.DIRECT, q1.routeType());
        assertEquals(PayloadType.REQ, q1.payloadType());
        assertEquals(new PeerMessage("d1", "de", "b01b", 16), q1.payload());
        assertEquals("E5025D111EAF38CA", q1.hash());

        Packet q2 = decoded(Vectors.Q2);
        assertEquals(PayloadType.RESPONSE, q2.payloadType());
        assertEquals(new PeerMessage("de", "1f", "dfca", 16), q2.payload());
        assertEquals("616AF2BFF47A09AD", q2.hash());

        Packet q3 = decoded(Vectors.Q3);
        assertEquals(RouteType.DIRECT, q3.routeType());
        assertEquals(PayloadType.ANON_REQ, q3.payloadType());
        assertEquals(List.of("5f"), q3.pathHashes());
        assertEquals(new AnonRequest("57", "54af4e36fb37d58be06a87aa8f97c23d0a1f42ec66eced68875175540404a496", "141b",
                16), q3.payload());
        assertEquals("CD0C5ED1C04D746B", q3.hash());

        Packet q4 = decoded(Vectors.Q4);
        assertEquals(RouteType.FLOOD, q4.routeType());
        assertEquals(PayloadType.TXT_MSG, q4.payloadType());
        assertEquals(List.of("6f", "17", "c4", "7e"), q4.pathHashes());
        assertEquals(new PeerMessage("d0", "0a", "13e1", 16), q4.payload());
        assertEquals("ED5D121DC09272C4", q4.hash());
    }

    private static Control.DiscoverResponse discoverResponse(String hex) {
        return assertInstanceOf(Control.DiscoverResponse.class, payload(hex, Control.class).discovery());
    }

    private static void assertDiscoverResponse(String hex, int nodeType, double snr, long tag, String key) {
        Control.DiscoverResponse response = discoverResponse(hex);
        assertEquals(nodeType, response.nodeType(), hex);
        assertEquals(snr, response.snr(), hex);
        assertEquals(tag, response.tag(), hex);
        assertEquals(key, response.publicKey(), hex);
    }
}
