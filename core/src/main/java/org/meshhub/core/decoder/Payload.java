package org.meshhub.core.decoder;

/**
 * The decoded payload of a {@link Packet}, one record per layout (firmware v1 layouts, §2 of the wire notes).
 *
 * <ul>
 *   <li>{@link Advert}: ADVERT (4);
 *   <li>{@link GroupText}: GRP_TXT (5), decrypted when a channel key matches, otherwise still reported;
 *   <li>{@link GroupData}: GRP_DATA (6), likewise;
 *   <li>{@link PeerMessage}: REQ (0), RESPONSE (1), TXT_MSG (2) and PATH (8), end-to-end encrypted;
 *   <li>{@link AnonRequest}: ANON_REQ (7);
 *   <li>{@link Ack}: ACK (3);
 *   <li>{@link Trace}: TRACE (9);
 *   <li>{@link Multipart}: MULTIPART (10);
 *   <li>{@link Control}: CONTROL (11);
 *   <li>{@link Opaque}: RAW_CUSTOM (15) and the reserved types 12-14;
 *   <li>{@link Malformed}: a framing-valid packet whose payload is too short or inconsistent for its type.
 * </ul>
 */
public sealed interface Payload
        permits Advert, GroupText, GroupData, PeerMessage, AnonRequest, Ack, Trace, Multipart, Control, Opaque,
                Malformed {}
