package org.meshhub.migration.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.meshhub.core.Formats;
import org.meshhub.core.Reception;
import org.meshhub.core.decoder.Advert;
import org.meshhub.core.decoder.ChannelKey;
import org.meshhub.core.decoder.ChannelKeys;
import org.meshhub.core.decoder.GroupText;
import org.meshhub.core.decoder.PayloadType;
import org.meshhub.core.ingest.DerivedHash;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * What each MeshCore Hub row becomes in MeshHub, row by row, with no database in sight. The choices follow what
 * MeshHub records when it collects the same traffic itself, and are listed in docs/upgrading.md ("Coming from
 * MeshCore Hub"):
 *
 * <ul>
 *   <li>A message is keyed by its packet hash when MeshCore Hub kept one, else as MeshHub keys a message that comes
 *       without its packet (the decoded-event feed, {@link DerivedHash}); a trace always so, by tag and path length.
 *   <li>An advert is keyed by its own timestamp; one that has none (rows older than MeshCore Hub v0.11) by the
 *       5-minute bucket of its reception, as MeshHub does for adverts of the decoded-event feed. MeshCore Hub keeps
 *       no signature, so adverts are recorded as validly signed, as MeshCore Hub took them.
 *   <li>Every row of {@code event_observers} is one reception with its own time, SNR and path length.
 * </ul>
 */
final class HubMapping {
  /** The bucket of an advert without a timestamp of its own, as MeshHub's decoded-event feed and MeshCore Hub use. */
  static final long ADVERT_BUCKET_SECONDS = 300;

  static final String NOTE_ADVERT_BUCKET = "advert_time_from_reception";
  static final String NOTE_DERIVED_KEY = "message_key_derived";
  static final String NOTE_RECEPTION_FROM_ROW = "reception_from_event_row";
  static final String NOTE_TAG_EMPTY = "tag_without_value";
  static final String NOTE_ADVERT_LOCATION = "advert_location_from_node";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeDirectory nodes;
  private final Map<Integer, String> channelNames;
  private final ChannelKeys builtIn = ChannelKeys.defaults();

  /** @param channelNames MeshCore Hub's channels by hash byte, from its {@code channels} table */
  HubMapping(NodeDirectory nodes, Map<Integer, String> channelNames) {
    this.nodes = nodes;
    this.channelNames = Map.copyOf(channelNames);
  }

  NodeDirectory nodes() {
    return nodes;
  }

  /** What a row became: a value, or the reason it did not. */
  record Result<T>(T value, Unmapped reason) {
    static <T> Result<T> of(T value) {
      return new Result<>(value, null);
    }

    static <T> Result<T> no(Unmapped reason) {
      return new Result<>(null, reason);
    }

    boolean mapped() {
      return reason == null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // nodes and tags

  /**
   * An observer node's status reports: it is an observer, first seen at its first_seen and last at its last_seen
   * (MeshCore Hub keeps no status fields on the node), so MeshHub shows it heard over the same span.
   */
  Result<List<NodeEntity.ObserverStatus>> observerStatus(NodeDirectory.Node node) {
    if (node.publicKey() == null) {
      return Result.no(Unmapped.NODE_KEY);
    }
    List<Instant> times = new ArrayList<>();
    if (node.firstSeen() != null) {
      times.add(node.firstSeen());
    }
    if (node.lastSeen() != null && !node.lastSeen().equals(node.firstSeen())) {
      times.add(node.lastSeen());
    }
    if (times.isEmpty()) {
      return Result.no(Unmapped.NODE_TIME);
    }
    times.sort(Comparator.naturalOrder());
    List<NodeEntity.ObserverStatus> out = new ArrayList<>();
    for (Instant at : times) {
      out.add(new NodeEntity.ObserverStatus(node.name(), null, null, null, null, null, null, at));
    }
    return Result.of(out);
  }

  record Tag(String publicKey, NodeEntity.TagValue value) {}

  Result<Tag> tag(HubRows.TagRow row, Counters counters) {
    String key = nodes.keyOf(row.nodeId());
    if (key == null) {
      return Result.no(Unmapped.TAG_NODE);
    }
    String value = row.value();
    if (value == null) {
      value = "";
      counters.increment(Counters.NOTE + NOTE_TAG_EMPTY);
    }
    String problem = NodeEntity.tagProblem(row.key(), value);
    if (problem != null) {
      return Result.no(row.key() != null && NodeEntity.tagProblem(row.key(), "") == null ? Unmapped.TAG_VALUE
          : Unmapped.TAG_KEY);
    }
    if (row.at() == null) {
      return Result.no(Unmapped.TAG_TIME);
    }
    return Result.of(new Tag(key, new NodeEntity.TagValue(row.key(), value, row.at())));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // adverts

  /** The node an advert row is of, or null when its key is not a public key. */
  static String advertKey(HubRows.AdvertRow row) {
    return NodeDirectory.publicKey(row.publicKey());
  }

  /** The advert's own timestamp, else the 5-minute bucket of its reception; -1 when neither can be read. */
  static long advertTimestamp(HubRows.AdvertRow row) {
    Instant own = row.advertTimestamp();
    if (own != null && own.getEpochSecond() >= 0 && own.getEpochSecond() <= 0xFFFF_FFFFL) {
      return own.getEpochSecond();
    }
    if (row.receivedAt() == null) {
      return -1;
    }
    return Math.floorDiv(row.receivedAt().getEpochSecond(), ADVERT_BUCKET_SECONDS) * ADVERT_BUCKET_SECONDS;
  }

  /**
   * The advert of a row, without receptions.
   *
   * @param located the node's location (from its nodes row) belongs on this advert: it is the node's latest
   */
  Result<NodeEntity.Advert> advert(HubRows.AdvertRow row, boolean located, Counters counters) {
    if (advertKey(row) == null) {
      return Result.no(Unmapped.ADVERT_KEY);
    }
    if (row.receivedAt() == null) {
      return Result.no(Unmapped.ADVERT_TIME);
    }
    long ts = advertTimestamp(row);
    if (row.advertTimestamp() == null || row.advertTimestamp().getEpochSecond() != ts) {
      counters.increment(Counters.NOTE + NOTE_ADVERT_BUCKET);
    }
    int flags = row.flags() != null && row.flags() >= 0 && row.flags() <= 0xFF ? row.flags() : 0;
    String advType;
    if (row.flags() != null) {
      advType = Advert.advTypeName(flags & 0x0F);
    } else if (row.advType() != null && !row.advType().isBlank()) {
      advType = row.advType().strip().toLowerCase(Locale.ROOT);
    } else {
      advType = Advert.advTypeName(0);
    }
    Double lat = null;
    Double lon = null;
    if (located) {
      NodeDirectory.Node node = nodes.byKey(advertKey(row));
      if (node != null && isLocation(node.lat(), node.lon())) {
        lat = node.lat();
        lon = node.lon();
        counters.increment(Counters.NOTE + NOTE_ADVERT_LOCATION);
      }
    }
    return Result.of(new NodeEntity.Advert(ts, row.name(), advType, flags, lat, lon, true, packetHash(row.packetHash()),
        null));
  }

  static boolean isLocation(Double lat, Double lon) {
    return lat != null && lon != null && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // messages and traces

  /** A stored packet hash as MeshHub's message id, or null when it is not 16 hex characters. */
  static String packetHash(String stored) {
    if (stored == null) {
      return null;
    }
    String h = stored.strip().toUpperCase(Locale.ROOT);
    return Formats.isPacketHash(h) ? h : null;
  }

  /** The message's id in MeshHub, or null when its type is neither channel nor contact. */
  static String messageKey(HubRows.MessageRow row) {
    String type = messageType(row);
    if (type == null) {
      return null;
    }
    String hash = packetHash(row.packetHash());
    if (hash != null) {
      return hash;
    }
    Long ts = senderTimestamp(row);
    String text = row.text() == null ? "" : row.text();
    if (type.equals("channel")) {
      return DerivedHash.of("channel", String.valueOf(ts), text);
    }
    return DerivedHash.of("contact", srcHash(row) + "|" + ts, text);
  }

  private static String messageType(HubRows.MessageRow row) {
    String t = row.messageType() == null ? "" : row.messageType().strip().toLowerCase(Locale.ROOT);
    return t.equals("channel") || t.equals("contact") ? t : null;
  }

  private static Long senderTimestamp(HubRows.MessageRow row) {
    Instant at = row.senderTimestamp();
    return at != null && at.getEpochSecond() >= 0 && at.getEpochSecond() <= 0xFFFF_FFFFL ? at.getEpochSecond()
        : null;
  }

  private static String srcHash(HubRows.MessageRow row) {
    if (row.pubkeyPrefix() == null) {
      return null;
    }
    String p = row.pubkeyPrefix().strip().toLowerCase(Locale.ROOT);
    return Formats.isLowerHex(p) ? p : null;
  }

  Result<MessageEntity.MessageContent> message(HubRows.MessageRow row, Counters counters) {
    String type = messageType(row);
    if (type == null) {
      return Result.no(Unmapped.MESSAGE_TYPE);
    }
    if (row.receivedAt() == null) {
      return Result.no(Unmapped.MESSAGE_TIME);
    }
    if (packetHash(row.packetHash()) == null) {
      counters.increment(Counters.NOTE + NOTE_DERIVED_KEY);
    }
    String text = row.text() == null ? "" : row.text();
    Integer txtType = row.txtType() != null && row.txtType() >= 0 && row.txtType() <= 0xFF ? row.txtType() : null;
    if (type.equals("channel")) {
      Integer channel = row.channelIdx() != null && row.channelIdx() >= 0 && row.channelIdx() <= 0xFF
          ? row.channelIdx() : null;
      // MeshCore Hub stores the packet's payload type (5) where a channel message's text type (0, plain) belongs.
      if (txtType != null && txtType == PayloadType.GRP_TXT.value()) {
        txtType = 0;
      }
      String[] split = GroupText.splitSender(text);
      return Result.of(new MessageEntity.MessageContent("channel", PayloadType.GRP_TXT.value(), channel,
          channelName(channel), true, split[0], split[1], senderTimestamp(row), txtType, null, null));
    }
    // Likewise for contact messages (1, 2 or 7): only a 0 is surely a text type.
    Integer contactTxtType = txtType != null && txtType == 0 ? 0 : null;
    return Result.of(new MessageEntity.MessageContent("contact", PayloadType.TXT_MSG.value(), null, null, true, null,
        text, senderTimestamp(row), contactTxtType, srcHash(row), null));
  }

  private String channelName(Integer channel) {
    if (channel == null) {
      return null;
    }
    String name = channelNames.get(channel);
    if (name != null) {
      return name;
    }
    List<ChannelKey> known = builtIn.matching(channel);
    return known.isEmpty() ? null : known.get(0).name();
  }

  /** The trace's id in MeshHub (tag and path length, as for traces without their packet), or null. */
  static String traceKey(HubRows.TraceRow row) {
    if (row.initiatorTag() == null || row.initiatorTag() < 0 || row.initiatorTag() > 0xFFFF_FFFFL) {
      return null;
    }
    return DerivedHash.of("trace", Long.toString(row.initiatorTag()), String.valueOf(tracePathLength(row)));
  }

  private static int tracePathLength(HubRows.TraceRow row) {
    if (row.pathLen() != null && row.pathLen() >= 0) {
      return row.pathLen();
    }
    List<Double> snrs = snrs(row.snrValues());
    return snrs == null ? 0 : snrs.size();
  }

  Result<MessageEntity.TraceContent> trace(HubRows.TraceRow row) {
    long auth = row.auth() == null ? 0 : row.auth();
    if (traceKey(row) == null || auth < 0 || auth > 0xFFFF_FFFFL) {
      return Result.no(Unmapped.TRACE_TAG);
    }
    if (row.receivedAt() == null) {
      return Result.no(Unmapped.TRACE_TIME);
    }
    List<String> route = hashes(row.pathHashes());
    List<Double> snrs = snrs(row.snrValues());
    if (route == null || snrs == null) {
      return Result.no(Unmapped.TRACE_PATH);
    }
    int flags = row.flags() != null && row.flags() >= 0 && row.flags() <= 0xFF ? row.flags() : 0;
    return Result.of(new MessageEntity.TraceContent(row.initiatorTag(), auth, flags, route, snrs));
  }

  /** A JSON list of hex strings, lower-cased; empty for SQL NULL or JSON null; null when unreadable. */
  static List<String> hashes(String json) {
    JsonNode node = parse(json);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode h : node) {
      String hex = h.asText("").strip().toLowerCase(Locale.ROOT);
      if (!h.isTextual() || !Formats.isLowerHex(hex)) {
        return null;
      }
      out.add(hex);
    }
    return out;
  }

  /** A JSON list of numbers; empty for SQL NULL or JSON null; null when unreadable. */
  static List<Double> snrs(String json) {
    JsonNode node = parse(json);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode v : node) {
      if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
        return null;
      }
      out.add(v.asDouble());
    }
    return out;
  }

  /** JSON text, or null for SQL NULL, blank text and JSON {@code null}; a {@link MissingNode} when unreadable. */
  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(json);
      return node == null || node.isNull() ? null : node;
    } catch (JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // telemetry

  static String telemetryKey(HubRows.TelemetryRow row) {
    return NodeDirectory.publicKey(row.nodePublicKey());
  }

  /** The readings as MeshHub keeps them (compact JSON), or the reason there are none. */
  Result<String> telemetryData(HubRows.TelemetryRow row) {
    if (telemetryKey(row) == null) {
      return Result.no(Unmapped.TELEMETRY_KEY);
    }
    if (row.receivedAt() == null) {
      return Result.no(Unmapped.TELEMETRY_TIME);
    }
    JsonNode data = parse(row.parsedData());
    if (data == null || !data.isObject()) {
      return Result.no(Unmapped.TELEMETRY_DATA);
    }
    try {
      return Result.of(JSON.writeValueAsString(JSON.treeToValue(data, Object.class)));
    } catch (JsonProcessingException e) {
      return Result.no(Unmapped.TELEMETRY_DATA);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // receptions

  /**
   * Everyone who heard an event: one reception per {@code event_observers} row, in the order they heard it; when an
   * event has no such rows, the observer its own row names. Rows that cannot be receptions are counted by reason.
   *
   * @param firstObserverId the event row's {@code observer_node_id}: the observer that heard it first
   * @param pathLen the event row's path length (messages), for the first observer when its row has none
   * @param snr the event row's SNR (messages), likewise
   */
  List<Reception> receptions(List<HubRows.ObserverRow> observers, String firstObserverId, Instant receivedAt,
      Integer pathLen, Double snr, Counters counters) {
    List<Reception> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (HubRows.ObserverRow o : observers) {
      String key = nodes.keyOf(o.observerNodeId());
      if (key == null) {
        counters.unmapped(Unmapped.OBSERVER_NODE);
        continue;
      }
      if (o.observedAt() == null) {
        counters.unmapped(Unmapped.OBSERVER_TIME);
        continue;
      }
      boolean first = o.observerNodeId().equals(firstObserverId);
      Integer hops = validHops(o.pathLen()) != null ? validHops(o.pathLen()) : first ? validHops(pathLen) : null;
      Double signal = o.snr() != null ? o.snr() : first ? snr : null;
      counters.increment(Counters.OBSERVERS_MAPPED);
      if (seen.add(key)) {
        out.add(new Reception(key, o.observedAt(), signal, null, hops == null ? 0 : hops, null));
      }
    }
    if (observers.isEmpty()) {
      String key = nodes.keyOf(firstObserverId);
      if (key != null && receivedAt != null) {
        Integer hops = validHops(pathLen);
        out.add(new Reception(key, receivedAt, snr, null, hops == null ? 0 : hops, null));
        counters.increment(Counters.NOTE + NOTE_RECEPTION_FROM_ROW);
      }
    }
    out.sort(Comparator.comparing(Reception::receivedAt).thenComparing(Reception::observer));
    return out;
  }

  /** A path length MeshHub keeps: 0 to 254 hops (255 is the firmware's "direct, no path"). */
  private static Integer validHops(Integer pathLen) {
    return pathLen != null && pathLen >= 0 && pathLen < 255 ? pathLen : null;
  }
}
