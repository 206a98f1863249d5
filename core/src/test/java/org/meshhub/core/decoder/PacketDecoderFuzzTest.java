package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the input, the decoder returns a non-null result without throwing, and a rejection always has
 * a reason other than {@code internal_error}. Seeded, so a failure reproduces.
 */
class PacketDecoderFuzzTest {

    private static final long SEED = 0x5EED_CAFEL;
    private static final String HEX_ALPHABET = "0123456789abcdefABCDEF";
    private static final String NOISE_ALPHABET = HEX_ALPHABET + "gGxz -:,\n\t\u00e9\uD83D\uDC7E";

    private final PacketDecoder decoder =
            new PacketDecoder(ChannelKeys.defaults().with(ChannelKey.hashtag("#bot")));
    private final Random random = new Random(SEED);
    private int checked;

    @Test
    void neverThrowsOnAnyInput() {
        List<byte[]> vectors = new ArrayList<>();
        for (String hex : Vectors.ALL) {
            vectors.add(Hex.decode(hex));
        }
        PacketEncoder encoder = new PacketEncoder();
        NodeIdentity node = NodeIdentity.fromSeed(new byte[32]);
        vectors.add(encoder.advert(node, 1, 4, -1.0, 1.0, "fuzz", RouteType.FLOOD, List.of(new byte[3]), 3));
        vectors.add(encoder.groupText(ChannelKey.PUBLIC, 1, "f: z", RouteType.DIRECT, List.of(), 1));

        // random byte strings of length 0..300
        for (int i = 0; i < 60_000; i++) {
            byte[] raw = new byte[random.nextInt(301)];
            random.nextBytes(raw);
            check(raw);
        }
        // random payloads behind a valid version-0 header and path, to reach every payload reader
        for (int i = 0; i < 50_000; i++) {
            check(framedRandom());
        }
        // every truncation of every vector
        for (byte[] vector : vectors) {
            for (int length = 0; length <= vector.length; length++) {
                check(Arrays.copyOf(vector, length));
            }
        }
        // every header and path_len value on every vector
        for (byte[] vector : vectors) {
            for (int value = 0; value < 256; value++) {
                byte[] header = vector.clone();
                header[0] = (byte) value;
                check(header);
                byte[] pathLength = vector.clone();
                int at = RouteType.fromValue(vector[0]).hasTransportCodes() ? 5 : 1;
                pathLength[at] = (byte) value;
                check(pathLength);
            }
        }
        // random single-byte mutations of every vector
        for (byte[] vector : vectors) {
            for (int i = 0; i < 1_000; i++) {
                byte[] mutated = vector.clone();
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                check(mutated);
            }
        }
        // random text as hex: odd lengths, non-hex characters, and valid hex
        for (int i = 0; i < 60_000; i++) {
            checkHex(randomText(i % 3 == 0 ? HEX_ALPHABET : NOISE_ALPHABET, random.nextInt(90)));
        }
        checkHex(null);
        check(null);

        assertTrue(checked >= 200_000, "only " + checked + " inputs");
    }

    @Test
    void decodesHexAndBytesAlike() {
        for (int i = 0; i < 5_000; i++) {
            byte[] raw = framedRandom();
            assertEquals(decoder.decode(raw), decoder.decodeHex(Hex.upper(raw)));
            assertEquals(decoder.decode(raw), decoder.decodeHex(Hex.lower(raw)));
        }
    }

    @Test
    void doesNotModifyTheInputArray() {
        byte[] raw = Hex.decode(Vectors.G3);
        byte[] copy = raw.clone();
        decoder.decode(raw);
        assertTrue(Arrays.equals(copy, raw));
    }

    /** A version-0 header, a valid path_len and path, and a random payload of 0..184 bytes. */
    private byte[] framedRandom() {
        RouteType route = RouteType.fromValue(random.nextInt(4));
        int type = random.nextInt(16);
        int size = 1 + random.nextInt(3);
        int hops = random.nextInt(Math.min(63, Packet.MAX_PATH_BYTES / size) + 1);
        byte[] payload = new byte[random.nextInt(185)];
        random.nextBytes(payload);
        byte[] path = new byte[hops * size];
        random.nextBytes(path);
        int transport = route.hasTransportCodes() ? 4 : 0;
        byte[] raw = new byte[2 + transport + path.length + payload.length];
        raw[0] = (byte) (route.value() | type << 2);
        for (int i = 0; i < transport; i++) {
            raw[1 + i] = (byte) random.nextInt(256);
        }
        raw[1 + transport] = (byte) ((size - 1) << 6 | hops);
        System.arraycopy(path, 0, raw, 2 + transport, path.length);
        System.arraycopy(payload, 0, raw, 2 + transport + path.length, payload.length);
        return raw;
    }

    private String randomText(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private void check(byte[] raw) {
        DecodeResult result;
        try {
            result = decoder.decode(raw);
        } catch (RuntimeException e) {
            throw new AssertionError("threw on " + (raw == null ? "null" : Hex.upper(raw)), e);
        }
        assertValid(result, raw == null ? "null" : Hex.upper(raw));
    }

    private void checkHex(String hex) {
        DecodeResult result;
        try {
            result = decoder.decodeHex(hex);
        } catch (RuntimeException e) {
            throw new AssertionError("threw on text " + hex, e);
        }
        assertValid(result, String.valueOf(hex));
    }

    private void assertValid(DecodeResult result, String input) {
        checked++;
        assertNotNull(result, input);
        if (result instanceof DecodeResult.Decoded decoded) {
            Packet packet = decoded.packet();
            assertNotNull(packet.payload(), input);
            assertEquals(16, packet.hash().length(), input);
            assertEquals(packet.payloadLength(), packet.payloadBytes().length, input);
        } else if (result instanceof DecodeResult.Rejected rejected) {
            assertNotNull(rejected.reason(), input);
            assertNotEquals(RejectReason.INTERNAL_ERROR, rejected.reason(), () -> input + ": " + rejected.detail());
        } else {
            fail("unknown result " + result);
        }
    }
}
