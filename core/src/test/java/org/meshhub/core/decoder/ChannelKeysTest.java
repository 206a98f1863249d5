package org.meshhub.core.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelKeysTest {

    @Test
    void derivesHashtagKeysAndHashes() {
        ChannelKey test = ChannelKey.hashtag("#test");
        assertEquals("9cd8fcf22a47333b591d96a2b848b73f", test.key());
        assertEquals(0xD9, test.hash());

        ChannelKey bot = ChannelKey.hashtag("#bot");
        assertEquals("eb50a1bcb3e4e5d7bf69a57c9dada211", bot.key());
        assertEquals(0xCA, bot.hash());

        ChannelKey chat = ChannelKey.hashtag("#chat");
        assertEquals("d0bdd6d71538138ed979eec00d98ad97", chat.key());
        assertEquals(184, chat.hash());
    }

    @Test
    void lowerCasesHashtagNamesBeforeDerivingTheKey() {
        ChannelKey bot = ChannelKey.hashtag("#Bot");
        assertEquals("#bot", bot.name());
        assertEquals("eb50a1bcb3e4e5d7bf69a57c9dada211", bot.key());
    }

    @Test
    void publicChannelIsTheFirmwareConstantWithHash0x11() {
        assertEquals("8b3387e9c5cdea6ac9e5edbaa115cd72", ChannelKey.PUBLIC.key());
        assertEquals(0x11, ChannelKey.PUBLIC.hash());
        assertEquals(List.of(ChannelKey.PUBLIC), ChannelKeys.defaults().matching(0x11));
        assertEquals(List.of(ChannelKey.PUBLIC), ChannelKeys.defaults().all());
        // not the hashtag derivation of "#public"
        assertEquals("8b4b705b080c0d943b1c80f6b3ef6b6d", ChannelKey.hashtag("#public").key());
        assertEquals(0x66, ChannelKey.hashtag("#public").hash());
    }

    @Test
    void hashesThirtyTwoByteKeysOverAllThirtyTwoBytes() {
        byte[] key = new byte[32];
        key[31] = 1;
        ChannelKey wide = ChannelKey.of("wide", key);
        assertEquals(Bytes.sha256(key)[0] & 0xFF, wide.hash());
    }

    @Test
    void parsesNamedHexAndHashtagEntries() {
        ChannelKeys keys = ChannelKeys.parse(" Ops = 9CD8FCF22A47333B591D96A2B848B73F , #Bot,, #chat ");
        assertEquals(3, keys.size());
        assertEquals(new ChannelKey("Ops", "9cd8fcf22a47333b591d96a2b848b73f"), keys.all().get(0));
        assertEquals(ChannelKey.hashtag("#bot"), keys.all().get(1));
        assertEquals(List.of(ChannelKey.hashtag("#chat")), keys.matching(184));
        assertEquals(List.of(), keys.matching(0x11));
        assertEquals(0, ChannelKeys.parse("").size());
        assertEquals(0, ChannelKeys.parse(null).size());
    }

    @Test
    void parsesThirtyTwoByteKeys() {
        String hex = "00".repeat(31) + "01";
        ChannelKeys keys = ChannelKeys.parse("wide=" + hex);
        assertEquals(hex, keys.all().get(0).key());
    }

    @Test
    void returnsEveryKeySharingAHashAndKeepsOneEntryPerKey() {
        ChannelKey a = ChannelKey.hashtag("#chat");
        ChannelKey b = ChannelKey.hashtag("#bot"); // hash 0xCA
        ChannelKey sameHashAsChat = GroupReaderTest.keyWithHash(a.hash());
        ChannelKeys keys = ChannelKeys.of(a, b, sameHashAsChat, new ChannelKey("dup", a.key()));
        assertEquals(3, keys.size());
        assertEquals(List.of(a, sameHashAsChat), keys.matching(a.hash()));
        assertEquals(List.of(b), keys.matching(0xCA));
    }

    @Test
    void rejectsBadEntriesNamingTheEntryButNotTheKey() {
        IllegalArgumentException badHex = assertThrows(IllegalArgumentException.class,
                () -> ChannelKeys.parse("#bot, mine=8b3387e9c5cdea6ac9e5edbaa115cdZZ"));
        assertTrue(badHex.getMessage().contains("entry 2"), badHex.getMessage());
        assertTrue(badHex.getMessage().contains("mine"), badHex.getMessage());
        assertFalse(badHex.getMessage().contains("8b3387"), badHex.getMessage());

        IllegalArgumentException badLength = assertThrows(IllegalArgumentException.class,
                () -> ChannelKeys.parse("short=8b3387e9c5cdea6ac9e5edbaa115cd"));
        assertTrue(badLength.getMessage().contains("short"), badLength.getMessage());
        assertFalse(badLength.getMessage().contains("8b3387"), badLength.getMessage());

        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> ChannelKeys.parse("8b3387e9c5cdea6ac9e5edbaa115cd72"));
        assertFalse(bare.getMessage().contains("8b3387"), bare.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ChannelKeys.parse("=8b3387e9c5cdea6ac9e5edbaa115cd72"));
        assertThrows(IllegalArgumentException.class, () -> ChannelKeys.parse("#"));
        assertThrows(IllegalArgumentException.class, () -> ChannelKeys.parse("odd=abc"));
    }

    @Test
    void neverShowsKeysInToString() {
        ChannelKeys keys = ChannelKeys.parse("secret=00112233445566778899aabbccddeeff");
        assertFalse(keys.toString().contains("00112233"), keys.toString());
        assertTrue(keys.toString().contains("secret"), keys.toString());
    }

    @Test
    void macAndCipherMatchTheG1Vector() {
        byte[] payload = Hex.decode(Vectors.G1.substring(4));
        byte[] mac = Arrays.copyOfRange(payload, 1, 3);
        byte[] ciphertext = Arrays.copyOfRange(payload, 3, payload.length);
        byte[] key = ChannelKey.PUBLIC.keyBytes();
        assertEquals("c3c1", Hex.lower(GroupCipher.mac(key, ciphertext)));
        assertEquals("3757d06800f09f8cb220547265653a20e29881efb88f00000000000000000000",
                Hex.lower(GroupCipher.open(key, mac, ciphertext)));
        assertEquals(Hex.lower(payload, 1, payload.length),
                Hex.lower(GroupCipher.seal(key, Arrays.copyOf(GroupCipher.open(key, mac, ciphertext), 22))));
    }
}
