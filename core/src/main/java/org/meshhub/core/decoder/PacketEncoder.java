package org.meshhub.core.decoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds real MeshCore packets, the inverse of {@link PacketDecoder}: signed adverts, encrypted channel messages and
 * traces, framed as {@code header | [transport codes] | path_len | path | payload}. Used by the simulator and the
 * tests; output is deterministic (Ed25519 and AES-ECB are).
 *
 * <p>Transport route types need a region: an encoder made with {@link #forRegion(String)} writes code0 = the
 * region code of §1.2 and code1 = 0; the plain encoder refuses transport routes.
 */
public final class PacketEncoder {

    /** Firmware MAX_ADVERT_DATA_SIZE. */
    static final int MAX_APP_DATA = 32;

    private final byte[] regionKey;

    /** An encoder without a region (no transport route types). */
    public PacketEncoder() {
        this(null);
    }

    private PacketEncoder(byte[] regionKey) {
        this.regionKey = regionKey;
    }

    /** An encoder that scopes transport routes to the public region {@code name} (with or without '#'). */
    public static PacketEncoder forRegion(String name) {
        return new PacketEncoder(regionKey(name));
    }

    /**
     * A public region's key: the first 16 bytes of SHA-256 over the UTF-8 name including its leading '#', which is
     * prepended when missing (the name's case is kept).
     */
    public static byte[] regionKey(String name) {
        if (name == null || name.isEmpty() || name.equals("#")) {
            throw new IllegalArgumentException("region name is empty");
        }
        String hashtag = name.charAt(0) == '#' ? name : "#" + name;
        return Arrays.copyOf(Bytes.sha256(hashtag.getBytes(StandardCharsets.UTF_8)), 16);
    }

    /**
     * Transport code0: the first 2 bytes (uint16 LE) of HMAC-SHA256(region key, payload type byte || payload); the
     * reserved values 0x0000 and 0xFFFF become 0x0001 and 0xFFFE.
     */
    public static int regionCode(byte[] regionKey, PayloadType type, byte[] payload) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(regionKey, "HmacSHA256"));
            hmac.update((byte) type.value());
            int code = Bytes.u16(hmac.doFinal(payload), 0);
            return code == 0 ? 1 : code == 0xFFFF ? 0xFFFE : code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * A signed ADVERT. app_data = flags (node type | 0x10 if located | 0x80 if named), lat/lon as int32 LE degrees
     * x 1e6, then the name cut to the longest whole-character UTF-8 prefix that keeps app_data within 32 bytes.
     *
     * @param lat null for no location (then lon must be null too)
     * @param name null for no name; must not contain NUL
     * @param path one entry of {@code hashSize} bytes per hop
     */
    public byte[] advert(NodeIdentity id, long timestamp, int nodeType, Double lat, Double lon, String name,
            RouteType route, List<byte[]> path, int hashSize) {
        Objects.requireNonNull(id, "id");
        Checks.u32(timestamp, "timestamp");
        Checks.range(nodeType, 0, 15, "nodeType");
        if ((lat == null) != (lon == null)) {
            throw new IllegalArgumentException("give both lat and lon or neither");
        }
        ByteArrayOutputStream appData = new ByteArrayOutputStream();
        int flags = nodeType | (lat != null ? Advert.FLAG_LOCATION : 0) | (name != null ? Advert.FLAG_NAME : 0);
        appData.write(flags);
        if (lat != null) {
            if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
                throw new IllegalArgumentException("lat and lon must be finite");
            }
            Checks.range(Math.round(lat * 1e6), -90_000_000, 90_000_000, "lat x 1e6");
            Checks.range(Math.round(lon * 1e6), -180_000_000, 180_000_000, "lon x 1e6");
            byte[] location = new byte[8];
            Bytes.putI32(location, 0, Math.round(lat * 1e6));
            Bytes.putI32(location, 4, Math.round(lon * 1e6));
            appData.writeBytes(location);
        }
        if (name != null) {
            if (name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("advert names cannot contain NUL");
            }
            appData.writeBytes(utf8Prefix(name, MAX_APP_DATA - appData.size()));
        }
        byte[] publicKey = id.publicKey();
        byte[] time = new byte[4];
        Bytes.putI32(time, 0, timestamp);
        byte[] data = appData.toByteArray();
        byte[] signature = id.sign(concat(publicKey, time, data));
        return frame(route, PayloadType.ADVERT, path, hashSize, concat(publicKey, time, signature, data));
    }

    /**
     * An encrypted GRP_TXT on {@code key}'s channel: plaintext = timestamp uint32 LE, flags 0, UTF-8 text (no NUL
     * appended; zero padding to whole 16-byte blocks), then MAC and channel hash in front.
     *
     * @param senderAndText conventionally {@code "<sender>: <message>"}; at most 171 UTF-8 bytes, no NUL
     */
    public byte[] groupText(ChannelKey key, long timestamp, String senderAndText, RouteType route, List<byte[]> path,
            int hashSize) {
        Objects.requireNonNull(key, "key");
        Checks.u32(timestamp, "timestamp");
        if (senderAndText.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("channel text cannot contain NUL");
        }
        byte[] text = senderAndText.getBytes(StandardCharsets.UTF_8);
        byte[] plain = new byte[5 + text.length];
        Bytes.putI32(plain, 0, timestamp);
        System.arraycopy(text, 0, plain, 5, text.length);
        byte[] sealed = GroupCipher.seal(key.keyBytes(), plain);
        if (1 + sealed.length > Packet.MAX_PAYLOAD) {
            throw new IllegalArgumentException("text of " + text.length + " bytes does not fit one packet");
        }
        return frame(route, PayloadType.GRP_TXT, path, hashSize, concat(new byte[] {(byte) key.hash()}, sealed));
    }

    /**
     * A DIRECT TRACE: tag, auth code, flags, route entries of {@code 1 << (flags & 3)} bytes; the path holds one
     * int8 SNR x 4 per hop already traversed.
     *
     * @param snrs dB, each within [-32, 31.75]; rounded to quarter dB
     */
    public byte[] trace(long tag, long authCode, int flags, List<byte[]> routeHashes, List<Double> snrs) {
        Checks.u32(tag, "tag");
        Checks.u32(authCode, "authCode");
        Checks.u8(flags, "flags");
        int size = 1 << (flags & 0x03);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        byte[] head = new byte[9];
        Bytes.putI32(head, 0, tag);
        Bytes.putI32(head, 4, authCode);
        head[8] = (byte) flags;
        payload.writeBytes(head);
        for (byte[] hash : routeHashes) {
            if (hash.length != size) {
                throw new IllegalArgumentException("trace flags " + flags + " need " + size + "-byte route entries");
            }
            payload.writeBytes(hash);
        }
        List<byte[]> path = snrs.stream().map(PacketEncoder::snrByte).toList();
        return frame(RouteType.DIRECT, PayloadType.TRACE, path, 1, payload.toByteArray());
    }

    /**
     * Frames any payload. Checks the firmware limits: hash size 1-3, every path entry {@code hashSize} bytes, at
     * most 63 hops and 64 path bytes, at most 184 payload bytes.
     */
    public byte[] frame(RouteType route, PayloadType type, List<byte[]> path, int hashSize, byte[] payload) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(type, "type");
        Checks.range(hashSize, 1, 3, "hashSize");
        Checks.range(path.size(), 0, 63, "hop count");
        Checks.range((long) path.size() * hashSize, 0, Packet.MAX_PATH_BYTES, "path bytes");
        Checks.range(payload.length, 0, Packet.MAX_PAYLOAD, "payload bytes");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(route.value() | type.value() << 2);
        if (route.hasTransportCodes()) {
            if (regionKey == null) {
                throw new IllegalArgumentException(route.code() + " needs transport codes: use PacketEncoder.forRegion");
            }
            byte[] codes = new byte[4];
            Bytes.putU16(codes, 0, regionCode(regionKey, type, payload));
            out.writeBytes(codes);
        }
        out.write((hashSize - 1) << 6 | path.size());
        for (byte[] hop : path) {
            if (hop.length != hashSize) {
                throw new IllegalArgumentException("path entries must be " + hashSize + " bytes, got " + hop.length);
            }
            out.writeBytes(hop);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] snrByte(double snr) {
        long quarters = Math.round(snr * 4);
        Checks.range(quarters, Byte.MIN_VALUE, Byte.MAX_VALUE, "SNR x 4");
        return new byte[] {(byte) quarters};
    }

    /** The longest prefix of {@code text}'s UTF-8 bytes of at most {@code max} bytes that ends on a character. */
    static byte[] utf8Prefix(String text, int max) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return bytes;
        }
        int cut = max;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return Arrays.copyOf(bytes, cut);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
