package org.meshhub.core.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.meshhub.core.Formats;
import org.meshhub.core.Reception;
import org.meshhub.core.decoder.Advert;
import org.meshhub.core.decoder.GroupText;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * The older decoded-event feed, {@code <prefix>/<observer>/event/<name>}, whose observers uploaded what their own
 * radio had already decoded. Mapped onto the same commands as the LetsMesh feed:
 *
 * <ul>
 *   <li>{@code advertisement}: {@code RecordAdvert} on the advertised {@code public_key};
 *   <li>{@code channel_msg_recv} / {@code contact_msg_recv}: {@code RecordMessage};
 *   <li>{@code telemetry_response}: {@code RecordTelemetry} on {@code node_public_key};
 *   <li>{@code trace_data}: {@code RecordTrace};
 *   <li>any other event name: ignored.
 * </ul>
 *
 * <p>These events carry no radio packet, so there is no packet hash: messages and traces are keyed by a hash
 * derived from what identifies them (see {@link #derivedHash}), the same for every observer that heard the same
 * message. An advert without its own timestamp is keyed by the 5-minute bucket of its reception time. The observer's
 * firmware verified the advert's signature before emitting the event, so it is recorded as validly signed.
 */
final class DecodedEventFeed {
  /** Bucket for adverts that carry no advert timestamp of their own, as MeshCore Hub did. */
  static final long ADVERT_BUCKET_SECONDS = 300;

  private final Clock clock;

  DecodedEventFeed(Clock clock) {
    this.clock = clock;
  }

  Route route(IngestTopic.EventTopic topic, ObjectNode json) {
    switch (topic.name()) {
      case "advertisement":
      case "advert":
      case "new_advert":
        return advert(topic.observer(), json);
      case "channel_msg_recv":
      case "channel_message":
        return channelMessage(topic.observer(), json);
      case "contact_msg_recv":
      case "contact_message":
        return contactMessage(topic.observer(), json);
      case "telemetry_response":
      case "telemetry":
        return telemetry(topic.observer(), json);
      case "trace_data":
      case "trace":
        return trace(topic.observer(), json);
      default:
        return new Route.Ignore("unsupported_event",
            "event '" + LetsMeshFeed.abbreviate(topic.name()) + "' is not recorded");
    }
  }

  private Route advert(String observer, ObjectNode json) {
    String publicKey = publicKey(json, "public_key");
    Instant receivedAt = receivedAt(json);
    Long own = firstWhole(json, "advert_timestamp", "adv_timestamp", "last_advert");
    long advertTimestamp = own != null && own >= 0 && own <= 0xFFFF_FFFFL ? own
        : Math.floorDiv(receivedAt.getEpochSecond(), ADVERT_BUCKET_SECONDS) * ADVERT_BUCKET_SECONDS;
    Integer flagsField = JsonFields.integer(json, "flags");
    int flags = flagsField != null && flagsField >= 0 && flagsField <= 0xFF ? flagsField : 0;
    Double lat = JsonFields.decimal(json, "lat");
    Double lon = JsonFields.decimal(json, "lon");
    boolean located = LetsMeshFeed.isLocation(lat, lon);
    NodeEntity.Advert advert = new NodeEntity.Advert(advertTimestamp, JsonFields.text(json, "name"),
        advType(json, flags), flags, located ? lat : null, located ? lon : null, true, null, null);
    Reception reception = reception(observer, json, receivedAt);
    return new Route.ToNode(publicKey, replyTo -> new NodeEntity.RecordAdvert(advert, reception, replyTo));
  }

  /** {@code adv_type} as a name or a number; else the type in the low nibble of the flags. */
  private static String advType(ObjectNode json, int flags) {
    String given = JsonFields.text(json, "adv_type");
    if (given == null) {
      return Advert.advTypeName(flags & 0x0F);
    }
    Integer number = JsonFields.integer(json, "adv_type");
    if (number != null && number >= 0 && number <= 15) {
      return Advert.advTypeName(number);
    }
    return given.toLowerCase(Locale.ROOT);
  }

  private Route channelMessage(String observer, ObjectNode json) {
    String text = JsonFields.requiredText(json, "text");
    Long senderTimestamp = senderTimestamp(json);
    Integer channel = JsonFields.integer(json, "channel_idx");
    String[] split = GroupText.splitSender(text);
    MessageEntity.MessageContent content = new MessageEntity.MessageContent("channel", PayloadType.GRP_TXT.value(),
        channel != null && channel >= 0 && channel <= 0xFF ? channel : null, null, true, split[0], split[1],
        senderTimestamp, txtType(json), null, null);
    String hash = derivedHash("channel", String.valueOf(senderTimestamp), text);
    Reception reception = reception(observer, json, receivedAt(json));
    return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordMessage(content, null, reception, replyTo));
  }

  private Route contactMessage(String observer, ObjectNode json) {
    String text = JsonFields.requiredText(json, "text");
    Long senderTimestamp = senderTimestamp(json);
    String prefix = JsonFields.text(json, "pubkey_prefix");
    String srcHash = prefix == null ? null : prefix.toLowerCase(Locale.ROOT);
    if (srcHash != null && !Formats.isLowerHex(srcHash)) {
      throw new RejectedInput(IngestReason.INVALID_FIELD, "pubkey_prefix is not hex");
    }
    MessageEntity.MessageContent content = new MessageEntity.MessageContent("contact", PayloadType.TXT_MSG.value(),
        null, null, true, null, text, senderTimestamp, txtType(json), srcHash, observer.substring(0, 2));
    String hash = derivedHash("contact", srcHash + "|" + senderTimestamp, text);
    Reception reception = reception(observer, json, receivedAt(json));
    return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordMessage(content, null, reception, replyTo));
  }

  private Route telemetry(String observer, ObjectNode json) {
    String node = publicKey(json, "node_public_key");
    String data = JsonFields.json(json, "parsed_data");
    if (data == null) {
      throw new RejectedInput(IngestReason.MISSING_FIELD, "field 'parsed_data' is missing or not an object");
    }
    NodeEntity.Telemetry telemetry = new NodeEntity.Telemetry(observer, receivedAt(json), data);
    return new Route.ToNode(node, replyTo -> new NodeEntity.RecordTelemetry(telemetry, replyTo));
  }

  private Route trace(String observer, ObjectNode json) {
    long tag = traceTag(json);
    Integer flagsField = JsonFields.integer(json, "flags");
    int flags = flagsField != null && flagsField >= 0 && flagsField <= 0xFF ? flagsField : 0;
    List<String> route = new ArrayList<>();
    JsonNode hashes = json.get("path_hashes");
    if (hashes != null && hashes.isArray()) {
      for (JsonNode h : hashes) {
        String hex = h.asText().strip().toLowerCase(Locale.ROOT);
        if (!Formats.isLowerHex(hex)) {
          throw new RejectedInput(IngestReason.INVALID_FIELD, "path_hashes holds a value that is not hex");
        }
        route.add(hex);
      }
    }
    List<Double> snrs = new ArrayList<>();
    JsonNode values = json.get("snr_values");
    if (values != null && values.isArray()) {
      for (JsonNode v : values) {
        double snr = v.isNumber() ? v.asDouble() : parseOrNaN(v.asText());
        if (!Double.isFinite(snr)) {
          throw new RejectedInput(IngestReason.INVALID_FIELD, "snr_values holds a value that is not a number");
        }
        snrs.add(snr);
      }
    }
    Integer pathLen = JsonFields.integer(json, "path_len");
    MessageEntity.TraceContent content = new MessageEntity.TraceContent(tag, 0, flags, route, snrs);
    String hash = derivedHash("trace", Long.toString(tag), String.valueOf(pathLen == null ? snrs.size() : pathLen));
    Reception reception = reception(observer, json, receivedAt(json));
    return new Route.ToMessage(hash, replyTo -> new MessageEntity.RecordTrace(content, null, reception, replyTo));
  }

  /** {@code initiator_tag}: a number, a decimal string, or a hex string (with or without 0x); unsigned 32-bit. */
  private static long traceTag(ObjectNode json) {
    String text = JsonFields.requiredText(json, "initiator_tag");
    long tag;
    try {
      if (json.get("initiator_tag").isNumber()) {
        tag = json.get("initiator_tag").asLong();
      } else if (text.startsWith("0x") || text.startsWith("0X")) {
        tag = Long.parseLong(text.substring(2), 16);
      } else if (text.chars().allMatch(Character::isDigit)) {
        tag = Long.parseLong(text);
      } else {
        tag = Long.parseLong(text, 16);
      }
    } catch (NumberFormatException e) {
      throw new RejectedInput(IngestReason.INVALID_FIELD, "initiator_tag is not a number");
    }
    if (tag < 0 || tag > 0xFFFF_FFFFL) {
      throw new RejectedInput(IngestReason.INVALID_FIELD, "initiator_tag is not an unsigned 32-bit number");
    }
    return tag;
  }

  private Reception reception(String observer, ObjectNode json, Instant receivedAt) {
    Integer pathLen = JsonFields.integer(json, "path_len");
    // 255 is the firmware's "direct, no path"; anything out of range is unknown.
    int hops = pathLen != null && pathLen >= 0 && pathLen < 255 ? pathLen : 0;
    Double snr = JsonFields.decimal(json, "snr");
    if (snr == null) {
      snr = JsonFields.decimal(json, "SNR");
    }
    Integer rssi = JsonFields.integer(json, "rssi");
    if (rssi == null) {
      rssi = JsonFields.integer(json, "RSSI");
    }
    return new Reception(observer, receivedAt, snr, rssi, hops, null);
  }

  private Instant receivedAt(ObjectNode json) {
    Instant at = JsonFields.instant(json, "timestamp");
    if (at == null) {
      at = JsonFields.instant(json, "received_at");
    }
    return at != null ? at : clock.instant();
  }

  private static Long senderTimestamp(ObjectNode json) {
    Long ts = JsonFields.whole(json, "sender_timestamp");
    if (ts == null) {
      Instant at = JsonFields.instant(json, "sender_timestamp");
      ts = at == null ? null : at.getEpochSecond();
    }
    return ts != null && ts >= 0 && ts <= 0xFFFF_FFFFL ? ts : null;
  }

  private static Integer txtType(ObjectNode json) {
    Integer t = JsonFields.integer(json, "txt_type");
    return t != null && t >= 0 && t <= 0xFF ? t : null;
  }

  private static Long firstWhole(ObjectNode json, String... names) {
    for (String name : names) {
      Long v = JsonFields.whole(json, name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String publicKey(ObjectNode json, String field) {
    String given = JsonFields.requiredText(json, field);
    String key = given.toLowerCase(Locale.ROOT);
    if (!Formats.isPublicKey(key)) {
      throw new RejectedInput(IngestReason.INVALID_PUBLIC_KEY, field + " is not a public key of 64 hex characters");
    }
    return key;
  }

  private static double parseOrNaN(String s) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The id of an event that has no packet: the first 8 bytes of SHA-256 over {@code legacy|kind|parts...}, as 16
   * upper-case hex, so it has the shape of a packet hash. Channel messages: sender timestamp and text ("sender:
   * message"); the channel slot number is left out because each observer's radio numbers its channels itself.
   * Contact messages: sender key prefix, sender timestamp, text. Traces: tag and path length (each hop is a
   * different packet, as with real trace hashes).
   */
  static String derivedHash(String kind, String... parts) {
    return DerivedHash.of(kind, parts);
  }

}
