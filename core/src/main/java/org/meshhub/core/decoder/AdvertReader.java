package org.meshhub.core.decoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads an ADVERT payload into an {@link Advert}, or a {@link Malformed} that the decoder turns into a rejection. */
final class AdvertReader {

    static final int PUBLIC_KEY = 32;
    static final int SIGNATURE = 64;
    /** Offset of app_data: key (32) + timestamp (4) + signature (64). */
    static final int APP_DATA = PUBLIC_KEY + 4 + SIGNATURE;

    private AdvertReader() {}

    static Payload read(byte[] p) {
        if (p.length < APP_DATA) {
            return truncated("advert payload is " + p.length + " bytes; needs at least " + APP_DATA);
        }
        int flags = p.length > APP_DATA ? Bytes.u8(p, APP_DATA) : 0;
        int at = APP_DATA + 1;
        Double lat = null;
        Double lon = null;
        if ((flags & Advert.FLAG_LOCATION) != 0) {
            if (p.length < at + 8) {
                return truncated("advert flags announce a location but app_data ends first");
            }
            lat = Bytes.i32(p, at) / 1e6;
            lon = Bytes.i32(p, at + 4) / 1e6;
            at += 8;
        }
        Integer feature1 = null;
        if ((flags & Advert.FLAG_FEATURE1) != 0) {
            if (p.length < at + 2) {
                return truncated("advert flags announce feature1 but app_data ends first");
            }
            feature1 = Bytes.u16(p, at);
            at += 2;
        }
        Integer feature2 = null;
        if ((flags & Advert.FLAG_FEATURE2) != 0) {
            if (p.length < at + 2) {
                return truncated("advert flags announce feature2 but app_data ends first");
            }
            feature2 = Bytes.u16(p, at);
            at += 2;
        }
        String name = (flags & Advert.FLAG_NAME) != 0 ? textUpToNul(p, Math.min(at, p.length), p.length) : null;

        byte[] publicKey = Arrays.copyOfRange(p, 0, PUBLIC_KEY);
        byte[] signature = Arrays.copyOfRange(p, PUBLIC_KEY + 4, APP_DATA);
        byte[] signed = new byte[p.length - SIGNATURE];
        System.arraycopy(p, 0, signed, 0, PUBLIC_KEY + 4);
        System.arraycopy(p, APP_DATA, signed, PUBLIC_KEY + 4, p.length - APP_DATA);
        Ed25519.Verdict verdict = Ed25519.verify(publicKey, signed, signature);
        if (verdict == Ed25519.Verdict.INVALID_KEY) {
            return new Malformed(RejectReason.INVALID_PUBLIC_KEY, "advert public key is not an Ed25519 point");
        }
        return new Advert(Hex.lower(publicKey), Bytes.u32(p, PUBLIC_KEY), Hex.lower(signature),
                verdict == Ed25519.Verdict.VALID, flags, lat, lon, feature1, feature2, name);
    }

    /** UTF-8 text of {@code b[from..to)} cut at the first NUL; malformed sequences become U+FFFD. */
    static String textUpToNul(byte[] b, int from, int to) {
        int end = from;
        while (end < to && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static Malformed truncated(String detail) {
        return new Malformed(RejectReason.TRUNCATED_PAYLOAD, detail);
    }
}
