package org.meshhub.core.decoder;

/**
 * ADVERT (type 4): a node announcing its identity. Layout: Ed25519 public key (32), timestamp uint32 LE (4, the
 * node's own clock, often wrong), Ed25519 signature (64) over {@code pubkey || timestamp bytes || app_data}, then
 * up to 32 bytes of app_data: a flags byte (low nibble = node type; 0x10 lat/lon as int32 LE degrees x 1e6;
 * 0x20 feature1 uint16; 0x40 feature2 uint16; 0x80 name = the remaining bytes as UTF-8).
 *
 * <p>An advert with no app_data at all reads as flags 0 (node type none, no optional fields). {@code name} is null
 * when the name flag is clear, and is cut at the first NUL when present.
 *
 * @param publicKey 64 lower-case hex
 * @param timestamp unix seconds as sent
 * @param signature 128 lower-case hex
 * @param signatureValid whether the signature verifies against the public key
 */
public record Advert(
        String publicKey,
        long timestamp,
        String signature,
        boolean signatureValid,
        int flags,
        Double lat,
        Double lon,
        Integer feature1,
        Integer feature2,
        String name)
        implements Payload {

    public static final int FLAG_LOCATION = 0x10;
    public static final int FLAG_FEATURE1 = 0x20;
    public static final int FLAG_FEATURE2 = 0x40;
    public static final int FLAG_NAME = 0x80;

    public Advert {
        Checks.hex(publicKey, 32, "publicKey");
        Checks.u32(timestamp, "timestamp");
        Checks.hex(signature, 64, "signature");
        Checks.u8(flags, "flags");
        if ((lat == null) != (lon == null)) {
            throw new IllegalArgumentException("lat and lon come together");
        }
        if ((lat != null) != ((flags & FLAG_LOCATION) != 0)) {
            throw new IllegalArgumentException("lat/lon present exactly when the location flag is set");
        }
        if ((feature1 != null) != ((flags & FLAG_FEATURE1) != 0)
                || (feature2 != null) != ((flags & FLAG_FEATURE2) != 0)
                || (name != null) != ((flags & FLAG_NAME) != 0)) {
            throw new IllegalArgumentException("optional fields present exactly when their flag is set");
        }
    }

    /** Node type from the low nibble of flags: 0 none, 1 chat, 2 repeater, 3 room, 4 sensor, 5-15 reserved. */
    public int nodeType() {
        return flags & 0x0F;
    }

    /** {@link #nodeType()} as a label: "none", "chat", "repeater", "room", "sensor", or "type_N" if reserved. */
    public String advType() {
        return advTypeName(nodeType());
    }

    /** Label for an advert node type value (also used by discovery responses). */
    public static String advTypeName(int nodeType) {
        switch (nodeType) {
            case 0:
                return "none";
            case 1:
                return "chat";
            case 2:
                return "repeater";
            case 3:
                return "room";
            case 4:
                return "sensor";
            default:
                return "type_" + nodeType;
        }
    }

    /** The 1-byte node hash used in paths and peer envelopes: the first byte of the public key. */
    public String nodeHash() {
        return publicKey.substring(0, 2);
    }
}
