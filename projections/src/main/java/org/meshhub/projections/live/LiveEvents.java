package org.meshhub.projections.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/** Which events the change feed announces, and the JSON body of each. Everything else is not announced. */
final class LiveEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the feed records for one event. */
  record Entry(String kind, String body) {}

  private LiveEvents() {}

  static Optional<Entry> of(Object event) {
    Map<String, Object> body = new LinkedHashMap<>();
    String kind;
    if (event instanceof MessageEntity.MessageRecorded m) {
      kind = LiveEvent.MESSAGE;
      MessageEntity.MessageContent c = m.content();
      body.put("packet_hash", m.hash());
      body.put("message_type", c.messageType());
      body.put("channel_idx", c.channelHash());
      body.put("channel_name", c.channelName());
      body.put("pubkey_prefix", c.srcHash());
      body.put("dest_hash", c.destHash());
      body.put("sender_name", c.sender());
      body.put("text", c.text());
      body.put("txt_type", c.txtType());
      body.put("sender_timestamp", c.senderTimestamp() == null ? null : time(Instant.ofEpochSecond(
          c.senderTimestamp())));
      body.put("decrypted", c.decrypted());
      reception(body, m.reception());
    } else if (event instanceof NodeEntity.AdvertRecorded a) {
      kind = LiveEvent.ADVERT;
      NodeEntity.Advert advert = a.advert();
      body.put("public_key", a.publicKey());
      body.put("name", advert.name());
      body.put("adv_type", advert.advType());
      body.put("flags", advert.flags());
      body.put("lat", advert.lat());
      body.put("lon", advert.lon());
      body.put("advert_timestamp", time(Instant.ofEpochSecond(advert.advertTimestamp())));
      body.put("signature_valid", advert.signatureValid());
      body.put("packet_hash", advert.packetHash());
      reception(body, a.reception());
    } else if (event instanceof NodeEntity.ObserverStatusReported s) {
      kind = LiveEvent.NODE;
      node(body, s.publicKey(), "status", s.status().reportedAt());
      body.put("status", s.status().status());
      body.put("name", s.status().name());
    } else if (event instanceof NodeEntity.TelemetryRecorded t) {
      kind = LiveEvent.NODE;
      node(body, t.publicKey(), "telemetry", t.telemetry().receivedAt());
    } else if (event instanceof NodeEntity.TagSet t) {
      kind = LiveEvent.NODE;
      node(body, t.publicKey(), "tags", t.at());
    } else if (event instanceof NodeEntity.TagRemoved t) {
      kind = LiveEvent.NODE;
      node(body, t.publicKey(), "tags", t.at());
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(new Entry(kind, JSON.writeValueAsString(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a feed entry could not be encoded", e);
    }
  }

  private static void reception(Map<String, Object> body, Reception r) {
    body.put("path_len", r.pathLen());
    body.put("snr", r.snr());
    body.put("rssi", r.rssi());
    body.put("received_at", time(r.receivedAt()));
    body.put("received_by", r.observer());
    body.put("reception_count", 1);
    body.put("observers", List.of());
  }

  private static void node(Map<String, Object> body, String publicKey, String change, Instant at) {
    body.put("public_key", publicKey);
    body.put("change", change);
    body.put("at", time(at));
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
