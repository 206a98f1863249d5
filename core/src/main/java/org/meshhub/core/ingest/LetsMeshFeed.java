package org.meshhub.core.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.meshhub.core.Reception;
import org.meshhub.core.decoder.Advert;
import org.meshhub.core.decoder.DecodeResult;
import org.meshhub.core.decoder.GroupText;
import org.meshhub.core.decoder.Packet;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.decoder.PeerMessage;
import org.meshhub.core.decoder.Trace;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * The LetsMesh feeds ({@code <prefix>/<IATA>/<observer>/packets|status|internal}) turned into entity commands.
 *
 * <p>{@code packets}: the {@code raw} hex is decoded here (route, type, path and payload come from it, never from
 * the other fields); adverts go to the node entity of the advertised key, channel (GRP_TXT) and contact (TXT_MSG)
 * messages to the message entity of the packet hash as {@code RecordMessage}, traces as {@code RecordTrace}, every
 * other payload type as {@code RecordPacket}. The packet hash is always computed from {@code raw}; a feed
 * {@code hash} that disagrees is reported to the mismatch listener and otherwise ignored. A packet whose
 * {@code direction} is not {@code rx} is ignored (uploaders report transmissions with the previous reception's raw).
 *
 * <p>{@code status}: an observer status report for the node entity of the topic's key, which marks it an observer.
 * {@code internal}: no producer defines it; a JSON object is accepted and ignored.
 */
final class LetsMeshFeed {
  private final PacketDecoder decoder;
  private final Clock clock;
  private final BiConsumer<String, String> hashMismatch;

  /**
   * @param hashMismatch told (feed hash, computed hash) whenever they differ
   */
  LetsMeshFeed(PacketDecoder decoder, Clock clock, BiConsumer<String, String> hashMismatch) {
    this.decoder = decoder;
    this.clock = clock;
    this.hashMismatch = hashMismatch;
  }

  Route route(IngestTopic.FeedTopic topic, ObjectNode json) {
    switch (topic.feed()) {
      case PACKETS:
        return packet(topic.observer(), json);
      case STATUS:
        return status(topic.observer(), json);
      default:
        return new Route.Ignore("internal_feed", "the internal feed is accepted and not recorded");
    }
  }

  private Route packet(String observer, ObjectNode json) {
    String direction = JsonFields.text(json, "direction");
    if (direction != null && !direction.equalsIgnoreCase("rx")) {
      return new Route.Ignore("not_received", "direction '" + abbreviate(direction) + "' is not rx");
    }
    String rawText = JsonFields.requiredText(json, "raw");
    DecodeResult result = decoder.decodeHex(rawText);
    if (result instanceof DecodeResult.Rejected rejected) {
      IngestReason reason = IngestReason.fromDecoder(rejected.reason());
      String code = rejected.reason().code();
      throw new RejectedInput(reason, code.equals(reason.code()) ? rejected.detail() : code + ": " + rejected.detail());
    }
    Packet packet = ((DecodeResult.Decoded) result).packet();
    String hash = packet.hash();
    String feedHash = JsonFields.text(json, "hash");
    if (feedHash != null && !feedHash.equalsIgnoreCase(hash)) {
      hashMismatch.accept(feedHash, hash);
    }
    String raw = rawText.strip().toUpperCase(Locale.ROOT);
    Reception reception = reception(observer, json, packet);

    if (packet.payload() instanceof Advert advert) {
      boolean located = isLocation(advert.lat(), advert.lon());
      NodeEntity.Advert value = new NodeEntity.Advert(advert.timestamp(), advert.name(), advert.advType(),
          advert.flags(), located ? advert.lat() : null, located ? advert.lon() : null, advert.signatureValid(), hash,
          raw);
      return new Route.ToNode(advert.publicKey(), replyTo -> new NodeEntity.RecordAdvert(value, reception, replyTo));
    }
    if (packet.payload() instanceof GroupText text) {
      MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel",
          PayloadType.GRP_TXT.value(), text.channelHash(), text.channelName(), text.decrypted(), text.sender(),
          text.message(), text.timestamp(), text.txtType(), null, null);
      return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordMessage(content, raw, reception, replyTo));
    }
    if (packet.payload() instanceof PeerMessage peer && packet.payloadType() == PayloadType.TXT_MSG) {
      MessageEntity.MessageContent content = new MessageEntity.MessageContent("contact",
          PayloadType.TXT_MSG.value(), null, null, false, null, null, null, null, peer.srcHash(), peer.destHash());
      return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordMessage(content, raw, reception, replyTo));
    }
    if (packet.payload() instanceof Trace trace) {
      MessageEntity.TraceContent content = new MessageEntity.TraceContent(trace.tag(), trace.authCode(),
          trace.flags(), trace.routeHashes(), trace.snrs());
      return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordTrace(content, raw, reception, replyTo));
    }
    MessageEntity.PacketInfo info = new MessageEntity.PacketInfo(packet.payloadType().value(),
        packet.payloadType().code(), packet.routeType().value());
    return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordPacket(info, raw, reception, replyTo));
  }

  /**
   * Who heard the packet, when, how well, over which hops. The time is the uploader's {@code timestamp}, else the
   * arrival here. A TRACE's path bytes are SNR values, not hops, so its path is left out.
   */
  private Reception reception(String observer, ObjectNode json, Packet packet) {
    Instant receivedAt = receivedAt(json);
    String path = packet.payloadType() == PayloadType.TRACE ? null : String.join("", packet.pathHashes());
    return new Reception(observer, receivedAt, JsonFields.decimal(json, "SNR"), JsonFields.integer(json, "RSSI"),
        packet.hopCount(), path);
  }

  private Instant receivedAt(ObjectNode json) {
    Instant at = JsonFields.instant(json, "timestamp");
    return at != null ? at : clock.instant();
  }

  private Route status(String observer, ObjectNode json) {
    NodeEntity.ObserverStatus status = new NodeEntity.ObserverStatus(
        JsonFields.text(json, "origin"),
        lower(JsonFields.text(json, "status")),
        JsonFields.text(json, "model"),
        JsonFields.text(json, "firmware_version"),
        JsonFields.text(json, "radio"),
        JsonFields.text(json, "client_version"),
        JsonFields.json(json, "stats"),
        receivedAt(json));
    return new Route.ToNode(observer, replyTo -> new NodeEntity.ReportObserverStatus(status, replyTo));
  }

  /**
   * Whether a position can be kept: both present, latitude within [-90, 90], longitude within [-180, 180]. A node
   * advertising anything else (a broken GPS fix) is recorded without a location.
   */
  static boolean isLocation(Double lat, Double lon) {
    return lat != null && lon != null && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
