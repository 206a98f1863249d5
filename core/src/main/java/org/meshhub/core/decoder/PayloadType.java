package org.meshhub.core.decoder;

/**
 * Payload type, bits 2-5 of the header byte. All 16 values exist on the wire; 12-14 are reserved by the firmware
 * and 15 carries opaque application bytes.
 */
public enum PayloadType {
    REQ(0x00, "req"),
    RESPONSE(0x01, "response"),
    TXT_MSG(0x02, "txt_msg"),
    ACK(0x03, "ack"),
    ADVERT(0x04, "advert"),
    GRP_TXT(0x05, "grp_txt"),
    GRP_DATA(0x06, "grp_data"),
    ANON_REQ(0x07, "anon_req"),
    PATH(0x08, "path"),
    TRACE(0x09, "trace"),
    MULTIPART(0x0A, "multipart"),
    CONTROL(0x0B, "control"),
    RESERVED_12(0x0C, "reserved_12"),
    RESERVED_13(0x0D, "reserved_13"),
    RESERVED_14(0x0E, "reserved_14"),
    RAW_CUSTOM(0x0F, "raw_custom");

    private static final PayloadType[] BY_VALUE = values();

    private final int value;
    private final String code;

    PayloadType(int value, String code) {
        this.value = value;
        this.code = code;
    }

    /** The 4-bit wire value. */
    public int value() {
        return value;
    }

    /** Stable snake_case label, e.g. {@code "grp_txt"}. */
    public String code() {
        return code;
    }

    /** The payload type for a 4-bit wire value (only the low 4 bits are used). */
    public static PayloadType fromValue(int value) {
        return BY_VALUE[value & 0x0F];
    }
}
