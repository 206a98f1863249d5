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
}
