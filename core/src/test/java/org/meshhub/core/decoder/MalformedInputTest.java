package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The M* rows of §4 and the other framing failures: rejected, or decoded with a {@link Malformed} payload. */
class MalformedInputTest {

    private static final PacketDecoder DECODER = new PacketDecoder(ChannelKeys.defaults());

    private static void assertRejected(RejectReason reason, DecodeResult result) {
        DecodeResult.Rejected rejected = assertInstanceOf(DecodeResult.Rejected.class, result, result::toString);
        assertEquals(reason, rejected.reason(), rejected::detail);
        assertFalse(rejected.detail().isEmpty());
    }

    private static void assertRejected(RejectReason reason, String hex) {
        assertRejected(reason, DECODER.decodeHex(hex));
    }

    private static Malformed malformed(String hex) {
        Packet packet = PacketDecoderVectorsTest.decoded(hex);
        return assertInstanceOf(Malformed.class, packet.payload());
    }

    @Test
    void rejectsMissingInputAsEmpty() {
        assertRejected(RejectReason.EMPTY, DECODER.decodeHex(null));
        assertRejected(RejectReason.EMPTY, DECODER.decodeHex(""));
        assertRejected(RejectReason.EMPTY, DECODER.decodeHex("  \n"));
        assertRejected(RejectReason.EMPTY, DECODER.decode(null));
        assertRejected(RejectReason.EMPTY, DECODER.decode(new byte[0]));
    }

    @Test
    void rejectsTextThatIsNotHex() {
        assertRejected(RejectReason.BAD_HEX, "150");
        assertRejected(RejectReason.BAD_HEX, "15 00");
        assertRejected(RejectReason.BAD_HEX, "1G00");
        assertRejected(RejectReason.BAD_HEX, "0x1500");
    }

    @Test
    void acceptsEitherCaseAndSurroundingWhiteSpace() {
        assertEquals(PacketDecoderVectorsTest.decoded(Vectors.G1),
                PacketDecoderVectorsTest.decoded("  " + Vectors.G1.toLowerCase() + "\n"));
    }

    @Test
    void rejectsSingleBytePacketsAsTooShort() {
        assertRejected(RejectReason.TOO_SHORT, "11");
        assertRejected(RejectReason.TOO_SHORT, "05");
    }

    @Test
    void rejectsReservedPathHashSize() {
        assertRejected(RejectReason.RESERVED_PATH_MODE, "15C1FF00");
        assertRejected(RejectReason.RESERVED_PATH_MODE, "11C0");
    }

    @Test
    void rejectsPathRunningPastTheEnd() {
        assertRejected(RejectReason.TRUNCATED_PATH, "1105AABB");
        assertRejected(RejectReason.TRUNCATED_PATH, "1542AABBCC");
    }

    @Test
    void rejectsPathOverSixtyFourBytes() {
        assertRejected(RejectReason.PATH_TOO_LONG, "1561" + "00".repeat(66));
        assertRejected(RejectReason.PATH_TOO_LONG, "15BF");
        // 64 bytes exactly is allowed
        assertEquals(32, PacketDecoderVectorsTest.decoded("1560" + "00".repeat(64) + "AABBCCDD").hopCount());
    }

    @Test
    void rejectsTransportRouteWithoutItsCodes() {
        assertRejected(RejectReason.TRUNCATED_TRANSPORT_CODES, "14FA1A");
        assertRejected(RejectReason.TRUNCATED_TRANSPORT_CODES, "1700");
        assertRejected(RejectReason.TOO_SHORT, "14FA1A0000");
    }

    @Test
    void rejectsPayloadOverFirmwareMaximum() {
        assertRejected(RejectReason.PAYLOAD_TOO_LARGE, "3E00" + "AB".repeat(185));
        assertEquals(184, PacketDecoderVectorsTest.decoded("3E00" + "AB".repeat(184)).payloadLength());
    }

    @Test
    void rejectsLaterPayloadVersions() {
        assertRejected(RejectReason.UNSUPPORTED_VERSION, "51" + Vectors.A1.substring(2));
        assertRejected(RejectReason.UNSUPPORTED_VERSION, "9500");
        assertRejected(RejectReason.UNSUPPORTED_VERSION, "D500");
    }

    @Test
    void marksResponseWithoutCiphertextMalformed() {
        Packet packet = PacketDecoderVectorsTest.decoded("0600DE1F");
        assertEquals(PayloadType.RESPONSE, packet.payloadType());
        Malformed malformed = assertInstanceOf(Malformed.class, packet.payload());
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed.reason());
        assertEquals(16, packet.hash().length());
    }

    @Test
    void marksTraceWithEmptyPayloadMalformed() {
        Packet packet = PacketDecoderVectorsTest.decoded("260100");
        assertEquals(PayloadType.TRACE, packet.payloadType());
        assertEquals(List.of("00"), packet.pathHashes());
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, assertInstanceOf(Malformed.class, packet.payload()).reason());
    }

    @Test
    void marksTraceWhoseRouteEndsMidEntryMalformed() {
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("260130040302010A0B0C0D01AABBCC").reason());
    }

    @Test
    void marksShortPayloadsOfEveryLaidOutTypeMalformed() {
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("0200D1DEB01B").reason()); // REQ, no ciphertext
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("1E00" + "57" + "AB".repeat(34)).reason());
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("0D00BB40BA").reason()); // ACK of 3 bytes
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("150011C3C1").reason()); // GRP_TXT, no ciphertext
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("190011C3").reason()); // GRP_DATA
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("2E00").reason()); // CONTROL, empty
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("2E0080040102").reason()); // DISCOVER_REQ of 4 bytes
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("2E00920435333E5B01020304050607").reason());
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("2A0013BB").reason()); // MULTIPART of 2
        assertEquals(RejectReason.TRUNCATED_PAYLOAD, malformed("2A0013BB40BA").reason()); // inner ACK of 3
    }

    @Test
    void rejectsAdvertUnderOneHundredBytes() {
        String truncated = Vectors.A1.substring(0, 2 * (2 + 99));
        assertRejected(RejectReason.TRUNCATED_PAYLOAD, truncated);
        assertRejected(RejectReason.TRUNCATED_PAYLOAD, "1100");
    }

    @Test
    void rejectsAdvertWhoseAppDataEndsBeforeItsFlagsSay() {
        // flags 0x92 announce a location, but only 3 of its 8 bytes follow
        assertRejected(RejectReason.TRUNCATED_PAYLOAD, Vectors.A1.substring(0, 2 * (2 + 100)) + "92A076D5");
        assertRejected(RejectReason.TRUNCATED_PAYLOAD, Vectors.A1.substring(0, 2 * (2 + 100)) + "21AB");
    }

    @Test
    void rejectsAdvertWhosePublicKeyIsNotACurvePoint() {
        byte[] raw = Hex.decode(Vectors.A1);
        Arrays.fill(raw, 2, 34, (byte) 0);
        raw[2] = 2; // y = 2 has no x on the curve
        assertRejected(RejectReason.INVALID_PUBLIC_KEY, DECODER.decode(raw));
        Arrays.fill(raw, 2, 34, (byte) 0xFF); // y >= p: not a canonical encoding
        assertRejected(RejectReason.INVALID_PUBLIC_KEY, DECODER.decode(raw));
    }

    @Test
    void decodesAdvertWithTamperedNameAsBadlySigned() {
        byte[] raw = Hex.decode(Vectors.A1);
        raw[raw.length - 1] ^= 0x20; // 'r' -> 'R'
        Advert advert = assertInstanceOf(Advert.class,
                assertInstanceOf(DecodeResult.Decoded.class, DECODER.decode(raw)).packet().payload());
        assertFalse(advert.signatureValid());
        assertEquals("WW7STR/PugetMesh CougaR", advert.name());
    }

    @Test
    void decodesAdvertWithoutAppDataAsTypeNone() {
        Advert advert = assertInstanceOf(Advert.class,
                PacketDecoderVectorsTest.decoded(Vectors.A1.substring(0, 2 * (2 + 100))).payload());
        assertEquals(0, advert.flags());
        assertEquals("none", advert.advType());
        assertNull(advert.name());
        assertNull(advert.lat());
        assertFalse(advert.signatureValid()); // the signature covered the app_data that was cut off
    }

    @Test
    void leavesGroupTextUndecryptedWhenCiphertextIsNotWholeBlocks() {
        String cut = Vectors.G1.substring(0, Vectors.G1.length() - 2);
        GroupText text = PacketDecoderVectorsTest.payload(cut, GroupText.class);
        assertFalse(text.decrypted());
        assertEquals(31, text.ciphertextLength());
    }

    @Test
    void decodesReservedAndRawCustomTypesAsOpaque() {
        Packet raw = PacketDecoderVectorsTest.decoded("3E00DEADBEEF");
        assertEquals(PayloadType.RAW_CUSTOM, raw.payloadType());
        assertEquals("raw_custom", raw.payloadType().code());
        assertEquals(new Opaque("deadbeef"), raw.payload());

        Packet reserved = PacketDecoderVectorsTest.decoded("3100AB");
        assertEquals(PayloadType.RESERVED_12, reserved.payloadType());
        assertEquals("reserved_12", reserved.payloadType().code());
        assertEquals(new Opaque("ab"), reserved.payload());
    }

    @Test
    void decodesMultipartAck() {
        Packet packet = PacketDecoderVectorsTest.decoded("2A0013BB40BA7001");
        assertEquals(PayloadType.MULTIPART, packet.payloadType());
        Multipart multipart = assertInstanceOf(Multipart.class, packet.payload());
        assertEquals(1, multipart.remaining());
        assertEquals(PayloadType.ACK, multipart.innerPayloadType());
        assertEquals(new Ack("bb40ba70", "01"), multipart.ack());
    }
}
