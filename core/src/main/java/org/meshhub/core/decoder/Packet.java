package org.meshhub.core.decoder;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One framed MeshCore packet (payload version 0). Wire order:
 * {@code header(1) | [transport codes(4)] | path_len(1) | path | payload}.
 *
 * <ul>
 *   <li>header: bits 0-1 route type, bits 2-5 payload type, bits 6-7 version (always 0 here);
 *   <li>transport codes: only for the two transport route types;
 *   <li>path_len: bits 0-5 hop count, bits 6-7 hash size minus 1 (1, 2 or 3 bytes per hop; 3 is reserved); the
 *       path holds {@code count x size <= 64} bytes, the first bytes of each hop's public key. For TRACE the path
 *       bytes are SNR values instead (see {@link Trace}) but are still listed here as 1-byte entries;
 *   <li>payload: the rest, at most 184 bytes.
 * </ul>
 *
 * @param header the raw header byte
 * @param transportCodes present exactly when the route type has them
 * @param pathLength the raw path_len byte
 * @param pathHashes the path entries as lower-case hex, in wire order
 * @param payloadHex the payload as lower-case hex
 * @param payload the payload read according to its type
 */
public record Packet(
        int header,
        TransportCodes transportCodes,
        int pathLength,
        List<String> pathHashes,
        String payloadHex,
        Payload payload) {

    /** Firmware MAX_PACKET_PAYLOAD. */
    public static final int MAX_PAYLOAD = 184;
    /** Firmware MAX_PATH_SIZE. */
    public static final int MAX_PATH_BYTES = 64;

    public Packet {
        Checks.u8(header, "header");
        if (version(header) != 0) {
            throw new IllegalArgumentException("only payload version 0 is laid out, got " + version(header));
        }
        if ((transportCodes != null) != RouteType.fromValue(header).hasTransportCodes()) {
            throw new IllegalArgumentException("transport codes go with the transport route types only");
        }
        Checks.u8(pathLength, "pathLength");
        if (pathLength >> 6 == 3) {
            throw new IllegalArgumentException("path hash size code 3 is reserved");
        }
        int size = (pathLength >> 6) + 1;
        int count = pathLength & 0x3F;
        if (count * size > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("path longer than " + MAX_PATH_BYTES + " bytes");
        }
        pathHashes = List.copyOf(pathHashes);
        if (pathHashes.size() != count) {
            throw new IllegalArgumentException("path_len says " + count + " hops, got " + pathHashes.size());
        }
        for (String hash : pathHashes) {
            Checks.hex(hash, size, "path hash");
        }
        Checks.hex(payloadHex, "payloadHex");
        if (payloadHex.length() > 2 * MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload over " + MAX_PAYLOAD + " bytes");
        }
        Objects.requireNonNull(payload, "payload");
    }

    public RouteType routeType() {
        return RouteType.fromValue(header);
    }

    public PayloadType payloadType() {
        return PayloadType.fromValue(header >> 2);
    }

    /** Header bits 6-7; always 0, since later versions are rejected. */
    public int version() {
        return version(header);
    }

    /** Bytes per path entry: 1, 2 or 3. */
    public int pathHashSize() {
        return (pathLength >> 6) + 1;
    }

    /** Number of path entries (path_len bits 0-5). */
    public int hopCount() {
        return pathLength & 0x3F;
    }

    /** A fresh copy of the payload bytes. */
    public byte[] payloadBytes() {
        return Hex.decode(payloadHex);
    }

    public int payloadLength() {
        return payloadHex.length() / 2;
    }

    /** Length of the whole packet on the wire. */
    public int length() {
        return 2 + (transportCodes == null ? 0 : 4) + hopCount() * pathHashSize() + payloadLength();
    }

    /**
     * The LetsMesh/firmware packet hash: the first 8 bytes of SHA-256 over the payload type byte, then for TRACE
     * only the path_len as 2 bytes little-endian, then the payload; as 16 upper-case hex. Route type, transport
     * codes and path are left out, so every observer of a flood sees the same hash (except for TRACE, whose hash
     * changes at each hop).
     */
    public String hash() {
        MessageDigest sha = Bytes.sha256();
        sha.update((byte) payloadType().value());
        if (payloadType() == PayloadType.TRACE) {
            sha.update((byte) pathLength);
            sha.update((byte) 0);
        }
        sha.update(payloadBytes());
        byte[] digest = sha.digest();
        return Hex.upper(Arrays.copyOf(digest, 8));
    }

    private static int version(int header) {
        return (header >> 6) & 0x03;
    }
}
