package org.meshhub.projections.message;

import java.time.Instant;
import java.util.List;
import org.meshhub.projections.query.Observation;

/** What the message queries answer. */
public final class MessageViews {
  private MessageViews() {}

  /**
   * A channel or contact message with everyone who heard it.
   *
   * @param channelIdx the channel hash byte carried by the packet (channel messages)
   * @param pubkeyPrefix the sender's public key prefix (contact messages)
   * @param destHash the recipient's public key prefix (contact messages)
   * @param senderName the sender's name (channel messages carry it in the text)
   * @param senderTimestamp the sender's own clock
   * @param receivedAt when it was first heard
   * @param receivedBy the observer that heard it first; {@code snr}, {@code rssi} and {@code pathLen} are its
   * @param receptionCount how many observers heard it: the size of {@code observers}
   */
  public record Message(
      String packetHash,
      String messageType,
      Integer channelIdx,
      String channelName,
      String pubkeyPrefix,
      String destHash,
      String senderName,
      String text,
      Integer txtType,
      Instant senderTimestamp,
      boolean decrypted,
      int pathLen,
      Double snr,
      Integer rssi,
      Instant receivedAt,
      String receivedBy,
      int receptionCount,
      List<Observation> observers) {

    public Message {
      observers = List.copyOf(observers);
    }

    Message withObservers(List<Observation> list) {
      return new Message(packetHash, messageType, channelIdx, channelName, pubkeyPrefix, destHash, senderName, text,
          txtType, senderTimestamp, decrypted, pathLen, snr, rssi, receivedAt, receivedBy, list.size(), list);
    }
  }

  /**
   * A trace packet with everyone who heard it.
   *
   * @param pathHashes the hashes of the repeaters on its route, in order
   * @param snrValues the SNR measured at each hop so far
   * @param receivedBy the observer that heard it first
   */
  public record TracePath(
      String packetHash,
      long traceTag,
      long authCode,
      int flags,
      List<String> pathHashes,
      List<Double> snrValues,
      int hopCount,
      Instant receivedAt,
      String receivedBy,
      int receptionCount,
      List<Observation> observers) {

    public TracePath {
      pathHashes = List.copyOf(pathHashes);
      snrValues = List.copyOf(snrValues);
      observers = List.copyOf(observers);
    }

    TracePath withObservers(List<Observation> list) {
      return new TracePath(packetHash, traceTag, authCode, flags, pathHashes, snrValues, hopCount, receivedAt,
          receivedBy, list.size(), list);
    }
  }

  /**
   * A channel messages were heard on.
   *
   * @param channelIdx the channel hash byte carried by its packets
   * @param channelName its name when a channel key decrypted its messages
   */
  public record Channel(int channelIdx, String channelName, long messageCount, Instant lastMessageAt) {}

  /**
   * One observer hearing one packet: an advert, a message, a trace or another packet.
   *
   * @param kind {@code advert}, {@code message}, {@code trace} or {@code packet}
   * @param publicKey the advertising node (adverts only)
   */
  public record PacketReception(
      String packetHash,
      String kind,
      String publicKey,
      String observer,
      String observerName,
      Instant receivedAt,
      Double snr,
      Integer rssi,
      int pathLen,
      String path) {}
}
