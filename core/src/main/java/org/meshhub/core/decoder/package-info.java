/**
 * MeshCore radio packets: decoding what observers upload and encoding synthetic packets.
 *
 * <p>{@link org.meshhub.core.decoder.PacketDecoder} turns raw bytes (the LetsMesh {@code raw} hex) into a
 * {@link org.meshhub.core.decoder.DecodeResult}, never throwing; the payload layouts are the
 * {@link org.meshhub.core.decoder.Payload} records. Group channels are opened with
 * {@link org.meshhub.core.decoder.ChannelKeys} (the {@code CHANNEL_KEYS} setting).
 * {@link org.meshhub.core.decoder.PacketEncoder} and {@link org.meshhub.core.decoder.NodeIdentity} build real,
 * signed and encrypted packets for the simulator and tests.
 *
 * <p>Written from the wire notes ({@code meshcore-wire.md}), which derive from the MeshCore firmware v1.17.1; JDK
 * crypto only.
 */
package org.meshhub.core.decoder;
