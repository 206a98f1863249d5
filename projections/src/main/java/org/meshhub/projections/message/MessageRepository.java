package org.meshhub.projections.message;

import static org.meshhub.projections.Sql.orNull;

import java.sql.SQLException;
import java.util.stream.Collectors;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.projections.Sql;
import org.meshhub.projections.TableNames;

/**
 * The writes of the message read model. Idempotent like the node model's: a packet is inserted once, a reception
 * once per observer, and counts move only with an inserted row. How many observers heard a packet is the number of
 * its receptions, not a column that every reception would have to update.
 */
final class MessageRepository {
  private final String insertMessage;
  private final String insertTrace;
  private final String insertPacket;
  private final String insertReception;
  private final String upsertChannel;

  MessageRepository(TableNames tables) {
    insertMessage = "INSERT INTO " + tables.of("messages") + " (packet_hash, message_type, payload_type,"
        + " channel_idx, channel_name, decrypted, sender, text, sender_timestamp, txt_type, pubkey_prefix,"
        + " dest_hash, received_at, observer, snr, rssi, path_len)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (packet_hash) DO NOTHING";
    insertTrace = "INSERT INTO " + tables.of("trace_paths") + " (packet_hash, trace_tag, auth_code, flags,"
        + " path_hashes, snr_values, hop_count, received_at, observer)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (packet_hash) DO NOTHING";
    insertPacket = "INSERT INTO " + tables.of("packets") + " (packet_hash, payload_type, payload_kind, route_type,"
        + " received_at, observer) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (packet_hash) DO NOTHING";
    insertReception = "INSERT INTO " + tables.of("receptions") + " (packet_hash, observer, kind, received_at, snr,"
        + " rssi, path_len, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (packet_hash, observer) DO NOTHING";
    String channels = tables.of("channel_stats");
    upsertChannel = "INSERT INTO " + channels + " (channel_idx, slice, channel_name, message_count)"
        + " VALUES (?, ?, ?, 1) ON CONFLICT (channel_idx, slice) DO UPDATE SET"
        + " message_count = " + channels + ".message_count + 1,"
        + " channel_name = COALESCE(excluded.channel_name, " + channels + ".channel_name)";
  }

  /** True when the message was new. */
  boolean recordMessage(Sql sql, String hash, MessageEntity.MessageContent m, Reception first) throws SQLException {
    return sql.update(insertMessage, hash, m.messageType(), m.payloadType(), orNull(m.channelHash()),
        orNull(m.channelName()), m.decrypted(), orNull(m.sender()), orNull(m.text()), orNull(m.senderTimestamp()),
        orNull(m.txtType()), orNull(m.srcHash()), orNull(m.destHash()), first.receivedAt().toEpochMilli(),
        first.observer(), orNull(first.snr()), orNull(first.rssi()), first.pathLen()) == 1;
  }

  boolean recordTrace(Sql sql, String hash, MessageEntity.TraceContent t, Reception first) throws SQLException {
    String snrs = t.snrs().stream().map(String::valueOf).collect(Collectors.joining(","));
    return sql.update(insertTrace, hash, t.tag(), t.authCode(), t.flags(), String.join(",", t.routeHashes()), snrs,
        t.routeHashes().size(), first.receivedAt().toEpochMilli(), first.observer()) == 1;
  }

  boolean recordPacket(Sql sql, String hash, MessageEntity.PacketInfo p, Reception first) throws SQLException {
    return sql.update(insertPacket, hash, p.payloadType(), p.payloadKind(), p.routeType(),
        first.receivedAt().toEpochMilli(), first.observer()) == 1;
  }

  void countChannelMessage(Sql sql, int channelIdx, String slice, String channelName) throws SQLException {
    sql.update(upsertChannel, channelIdx, slice, orNull(channelName));
  }

  /** Records one observer hearing the packet; true when the observer was new for it. */
  boolean addReception(Sql sql, String hash, String kind, Reception r) throws SQLException {
    return sql.update(insertReception, hash, r.observer(), kind, r.receivedAt().toEpochMilli(), orNull(r.snr()),
        orNull(r.rssi()), r.pathLen(), orNull(r.path())) == 1;
  }

}
