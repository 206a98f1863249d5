package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupReaderTest {

    private static final ChannelKey BOT = ChannelKey.hashtag("#bot");

    @Test
    void splitsSenderAtFirstColonSpaceWithinFiftyCharacters() {
        assertArrayEquals(new String[] {"Alice", "hi: there"}, GroupReader.splitSender("Alice: hi: there"));
        assertArrayEquals(new String[] {null, ": no sender"}, GroupReader.splitSender(": no sender"));
        assertArrayEquals(new String[] {null, "no separator"}, GroupReader.splitSender("no separator"));
        assertArrayEquals(new String[] {null, "[bot] x: y"}, GroupReader.splitSender("[bot] x: y"));
        assertArrayEquals(new String[] {null, "a:b: c"}, GroupReader.splitSender("a:b: c"));
        String name49 = "n".repeat(49);
        assertArrayEquals(new String[] {name49, "m"}, GroupReader.splitSender(name49 + ": m"));
        String name50 = "n".repeat(50);
        assertArrayEquals(new String[] {null, name50 + ": m"}, GroupReader.splitSender(name50 + ": m"));
    }

    @Test
    void reportsMessageWithoutSenderPrefixWithNullSender() {
        byte[] raw = new PacketEncoder().groupText(BOT, 9, "just text", RouteType.FLOOD, List.of(), 1);
        GroupText text = assertInstanceOf(GroupText.class, decode(ChannelKeys.of(BOT), raw).payload());
        assertTrue(text.decrypted());
        assertNull(text.sender());
        assertEquals("just text", text.message());
        assertEquals("just text", text.text());
    }

    @Test
    void triesEveryKeySharingTheChannelHash() {
        ChannelKey impostor = keyWithHash(BOT.hash());
        PacketDecoder decoder = new PacketDecoder(ChannelKeys.of(impostor, BOT));
        assertEquals(List.of(impostor, BOT), decoder.keys().matching(0xCA));
        GroupText text = assertInstanceOf(GroupText.class, decode(decoder, Vectors.G3).payload());
        assertTrue(text.decrypted());
        assertEquals("#bot", text.channelName());
    }

    @Test
    void decryptsGroupDataWithItsDeclaredLength() {
        byte[] plain = Hex.decode("3412" + "03" + "aabbcc");
        GroupData data = groupData(plain);
        assertTrue(data.decrypted());
        assertEquals("#bot", data.channelName());
        assertEquals(0x1234, data.dataType());
        assertEquals(3, data.dataLength());
        assertEquals("aabbcc", data.data());
        assertEquals(16, data.ciphertextLength());
    }

    @Test
    void leavesGroupDataBytesOutWhenDeclaredLengthExceedsPlaintext() {
        GroupData data = groupData(Hex.decode("0100" + "ff" + "aabbcc"));
        assertTrue(data.decrypted());
        assertEquals(255, data.dataLength());
        assertNull(data.data());
    }

    @Test
    void reportsGroupDataUndecryptedWithoutKey() {
        byte[] payload = concat(new byte[] {(byte) BOT.hash()}, GroupCipher.seal(BOT.keyBytes(), new byte[3]));
        byte[] raw = new PacketEncoder().frame(RouteType.FLOOD, PayloadType.GRP_DATA, List.of(), 1, payload);
        GroupData data = assertInstanceOf(GroupData.class, decode(ChannelKeys.defaults(), raw).payload());
        assertFalse(data.decrypted());
        assertEquals(0xCA, data.channelHash());
        assertNull(data.dataType());
    }

    private static GroupData groupData(byte[] plain) {
        byte[] payload = concat(new byte[] {(byte) BOT.hash()}, GroupCipher.seal(BOT.keyBytes(), plain));
        byte[] raw = new PacketEncoder().frame(RouteType.FLOOD, PayloadType.GRP_DATA, List.of(), 1, payload);
        return assertInstanceOf(GroupData.class, decode(ChannelKeys.of(BOT), raw).payload());
    }

    private static Packet decode(ChannelKeys keys, byte[] raw) {
        return decode(new PacketDecoder(keys), Hex.upper(raw));
    }

    private static Packet decode(PacketDecoder decoder, String hex) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decodeHex(hex)).packet();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A random 16-byte key, other than #bot's, with the given channel hash. */
    static ChannelKey keyWithHash(int hash) {
        Random random = new Random(7);
        byte[] key = new byte[16];
        while (true) {
            random.nextBytes(key);
            ChannelKey candidate = ChannelKey.of("impostor", key);
            if (candidate.hash() == hash) {
                return candidate;
            }
        }
    }
}
