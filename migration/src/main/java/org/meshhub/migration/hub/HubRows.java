package org.meshhub.migration.hub;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of MeshCore Hub's tables as the import reads them, and the queries that read them. Each table is read by
 * one forward-only query in an order that puts together the rows MeshHub makes one thing of (a node's adverts by
 * advert time, the rows of one packet), with the row id last so that the order is the same on every run: a resumed
 * import skips exactly the rows its checkpoint counts.
 */
final class HubRows {
  private HubRows() {}

  record TagRow(String id, String nodeId, String key, String value, Instant at) {}

  record AdvertRow(String id, String publicKey, String name, String advType, Integer flags, Instant receivedAt,
      String eventHash, Instant advertTimestamp, String packetHash, String observerNodeId) {}

  record MessageRow(String id, String messageType, String pubkeyPrefix, Integer channelIdx, String text,
      Integer pathLen, Integer txtType, Double snr, Instant senderTimestamp, Instant receivedAt, String eventHash,
      String packetHash, String observerNodeId) {}

  record TraceRow(String id, Long initiatorTag, Integer pathLen, Integer flags, Long auth, String pathHashes,
      String snrValues, Instant receivedAt, String eventHash, String observerNodeId) {}

  record TelemetryRow(String id, String nodePublicKey, String parsedData, Instant receivedAt, String eventHash,
      String observerNodeId) {}

  /** One row of {@code event_observers}: one observer hearing one event. */
  record ObserverRow(String eventHash, String observerNodeId, Double snr, Integer pathLen, Instant observedAt) {}

  /** Reads one row at the cursor. */
  @FunctionalInterface
  interface RowReader<R> {
    R read(ResultSet rs) throws SQLException;
  }

  /** A query and how to read its rows. */
  record Query<R>(String sql, RowReader<R> reader) {}

  static Query<NodeDirectory.Node> nodes(HubSource s, NodeDirectory directory) throws SQLException {
    return new Query<>("SELECT id FROM nodes ORDER BY id", rs -> directory.byId(rs.getString(1)));
  }

  static Query<TagRow> tags(HubSource s) throws SQLException {
    String t = "node_tags";
    String at = s.columns(t).contains("updated_at") ? "updated_at" : s.column(t, "created_at");
    return new Query<>("SELECT id, node_id, \"key\", " + s.column(t, "value") + ", " + at
        + " FROM node_tags ORDER BY node_id, \"key\", id",
        rs -> new TagRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            HubTime.parse(rs.getString(5))));
  }

  static Query<AdvertRow> adverts(HubSource s) throws SQLException {
    String t = "advertisements";
    String advertTime = s.columns(t).contains("advert_timestamp") ? "COALESCE(advert_timestamp, received_at)"
        : "received_at";
    return new Query<>("SELECT id, public_key, " + s.column(t, "name") + ", " + s.column(t, "adv_type") + ", "
        + s.column(t, "flags") + ", received_at, " + s.column(t, "event_hash") + ", "
        + s.column(t, "advert_timestamp") + ", " + s.column(t, "packet_hash") + ", "
        + s.column(t, "observer_node_id") + " FROM advertisements ORDER BY LOWER(public_key), " + advertTime + ", id",
        rs -> new AdvertRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), getInt(rs, 5),
            HubTime.parse(rs.getString(6)), rs.getString(7), HubTime.parse(rs.getString(8)), rs.getString(9),
            rs.getString(10)));
  }

  /**
   * Messages with a packet hash first, by that hash (so that the rows of one packet come together), then those
   * without one, by what MeshHub derives their id from (type, sender time, text, sender).
   */
  static List<Query<MessageRow>> messages(HubSource s) throws SQLException {
    String t = "messages";
    String columns = "SELECT id, message_type, " + s.column(t, "pubkey_prefix") + ", " + s.column(t, "channel_idx")
        + ", text, " + s.column(t, "path_len") + ", " + s.column(t, "txt_type") + ", " + s.column(t, "snr") + ", "
        + s.column(t, "sender_timestamp") + ", received_at, " + s.column(t, "event_hash") + ", "
        + s.column(t, "packet_hash") + ", " + s.column(t, "observer_node_id") + " FROM messages";
    RowReader<MessageRow> reader = rs -> new MessageRow(rs.getString(1), rs.getString(2), rs.getString(3),
        getInt(rs, 4), rs.getString(5), getInt(rs, 6), getInt(rs, 7), getDouble(rs, 8),
        HubTime.parse(rs.getString(9)), HubTime.parse(rs.getString(10)), rs.getString(11), rs.getString(12),
        rs.getString(13));
    List<Query<MessageRow>> out = new ArrayList<>();
    if (s.columns(t).contains("packet_hash")) {
      out.add(new Query<>(columns + " WHERE packet_hash IS NOT NULL ORDER BY UPPER(packet_hash), id", reader));
      out.add(new Query<>(columns + " WHERE packet_hash IS NULL ORDER BY message_type, sender_timestamp, text,"
          + " pubkey_prefix, id", reader));
    } else {
      out.add(new Query<>(columns + " ORDER BY message_type, sender_timestamp, text, pubkey_prefix, id", reader));
    }
    return out;
  }

  static Query<TraceRow> traces(HubSource s) throws SQLException {
    String t = "trace_paths";
    return new Query<>("SELECT id, initiator_tag, " + s.column(t, "path_len") + ", " + s.column(t, "flags") + ", "
        + s.column(t, "auth") + ", " + s.column(t, "path_hashes") + ", " + s.column(t, "snr_values") + ", "
        + "received_at, " + s.column(t, "event_hash") + ", " + s.column(t, "observer_node_id")
        + " FROM trace_paths ORDER BY initiator_tag, path_len, id",
        rs -> new TraceRow(rs.getString(1), getLong(rs, 2), getInt(rs, 3), getInt(rs, 4), getLong(rs, 5),
            rs.getString(6), rs.getString(7), HubTime.parse(rs.getString(8)), rs.getString(9), rs.getString(10)));
  }

  static Query<TelemetryRow> telemetry(HubSource s) throws SQLException {
    String t = "telemetry";
    return new Query<>("SELECT id, node_public_key, " + s.column(t, "parsed_data") + ", received_at, "
        + s.column(t, "event_hash") + ", " + s.column(t, "observer_node_id")
        + " FROM telemetry ORDER BY LOWER(node_public_key), received_at, id",
        rs -> new TelemetryRow(rs.getString(1), rs.getString(2), rs.getString(3), HubTime.parse(rs.getString(4)),
            rs.getString(5), rs.getString(6)));
  }

  /** Every observer row of the given events of one type, by event hash, each list in the order they heard it. */
  static Map<String, List<ObserverRow>> observers(HubSource s, String eventType, List<String> eventHashes)
      throws SQLException {
    Map<String, List<ObserverRow>> out = new HashMap<>();
    if (eventHashes.isEmpty() || !s.hasTable("event_observers")) {
      return out;
    }
    String pathLen = s.column("event_observers", "path_len");
    String snr = s.column("event_observers", "snr");
    int chunk = 500;
    for (int from = 0; from < eventHashes.size(); from += chunk) {
      List<String> part = eventHashes.subList(from, Math.min(eventHashes.size(), from + chunk));
      StringBuilder sql = new StringBuilder("SELECT event_hash, observer_node_id, ").append(snr).append(", ")
          .append(pathLen).append(", observed_at FROM event_observers WHERE event_type = ? AND event_hash IN (");
      for (int i = 0; i < part.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      sql.append(')');
      try (PreparedStatement ps = s.connection().prepareStatement(sql.toString())) {
        ps.setString(1, eventType);
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 2, part.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ObserverRow row = new ObserverRow(rs.getString(1), rs.getString(2), getDouble(rs, 3), getInt(rs, 4),
                HubTime.parse(rs.getString(5)));
            out.computeIfAbsent(row.eventHash(), h -> new ArrayList<>()).add(row);
          }
        }
      }
    }
    return out;
  }

  static Integer getInt(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    if (rs.wasNull() || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      return null;
    }
    return (int) v;
  }

  static Long getLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Double getDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() || !Double.isFinite(v) ? null : v;
  }
}
