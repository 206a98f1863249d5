package org.meshhub.projections.message;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshhub.core.db.Database;
import org.meshhub.projections.Sql;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.query.Observation;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Rows;
import org.meshhub.projections.query.Where;

/** Reads of the message read model. */
public final class MessageQueries {
  private final Database database;

  public MessageQueries(Database database) {
    this.database = database;
  }

  public Page<MessageViews.Message> list(MessageFilter filter, PageRequest page) throws SQLException {
    Where where = new Where();
    if (filter.messageType() != null) {
      where.add("m.message_type = ?", filter.messageType());
    }
    if (filter.channelIdx() != null) {
      where.add("m.channel_idx = ?", filter.channelIdx());
    }
    if (filter.pubkeyPrefix() != null) {
      senderPrefix(where, filter.pubkeyPrefix());
    }
    if (filter.observedBy() != null) {
      where.add("m.packet_hash IN (SELECT r.packet_hash FROM receptions r WHERE r.observer = ?)",
          filter.observedBy());
    }
    if (filter.since() != null) {
      where.add("m.received_at >= ?", filter.since().toEpochMilli());
    }
    if (filter.until() != null) {
      where.add("m.received_at < ?", filter.until().toEpochMilli());
    }
    if (filter.search() != null) {
      TextSearch.restrict(where, database.dialect(), filter.search());
    }
    try (Connection c = database.connection()) {
      long total = where.isEmpty()
          ? NodeQueries.counter(c, "message_stats", MessageProjectionHandler.MESSAGES_TOTAL)
          : Rows.count(c, "SELECT COUNT(*) FROM messages m" + where.sql(), where.params());
      List<Object> params = new ArrayList<>(where.params());
      params.add(page.limit());
      params.add(page.offset());
      List<MessageViews.Message> messages = Rows.list(c, "SELECT m.packet_hash, m.message_type, m.channel_idx,"
          + " m.channel_name, m.pubkey_prefix, m.dest_hash, m.sender, m.text, m.txt_type, m.sender_timestamp,"
          + " m.decrypted, m.path_len, m.snr, m.rssi, m.received_at, m.observer"
          + " FROM messages m" + where.sql() + " ORDER BY m.received_at DESC, m.packet_hash LIMIT ? OFFSET ?",
          params, rs -> new MessageViews.Message(rs.getString("packet_hash"), rs.getString("message_type"),
              Sql.getInt(rs, "channel_idx"), rs.getString("channel_name"), rs.getString("pubkey_prefix"),
              rs.getString("dest_hash"), rs.getString("sender"), rs.getString("text"), Sql.getInt(rs, "txt_type"),
              Sql.getEpochSecond(rs, "sender_timestamp"), rs.getBoolean("decrypted"), rs.getInt("path_len"),
              Sql.getDouble(rs, "snr"), Sql.getInt(rs, "rssi"), Sql.getInstant(rs, "received_at"),
              rs.getString("observer"), 0, List.of()));
      return new Page<>(withObservers(c, messages), total, page.limit(), page.offset());
    }
  }

  /**
   * Messages whose stored sender prefix starts with the given prefix, or is itself a prefix of it (a contact
   * message carries one byte of the sender's key; asking with the whole key finds it). Both are index lookups.
   */
  private static void senderPrefix(Where where, String prefix) {
    List<String> shorter = new ArrayList<>();
    for (int len = 2; len < prefix.length(); len += 2) {
      shorter.add(prefix.substring(0, len));
    }
    if (shorter.isEmpty()) {
      where.hexPrefix("m.pubkey_prefix", prefix);
    } else {
      List<Object> params = new ArrayList<>();
      params.add(prefix);
      params.add(prefix + "g");
      params.addAll(shorter);
      where.add("((m.pubkey_prefix >= ? AND m.pubkey_prefix < ?) OR m.pubkey_prefix IN ("
          + Rows.placeholders(shorter.size()) + "))", params.toArray());
    }
  }

  private static List<MessageViews.Message> withObservers(Connection c, List<MessageViews.Message> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return messages;
    }
    List<Object> hashes = new ArrayList<>();
    messages.forEach(m -> hashes.add(m.packetHash()));
    Map<String, List<Observation>> byHash = new HashMap<>();
    Rows.list(c, "SELECT r.packet_hash, r.observer, n.name AS observer_name, r.received_at, r.snr, r.rssi,"
        + " r.path_len, r.path FROM receptions r LEFT JOIN nodes n ON n.public_key = r.observer"
        + " WHERE r.packet_hash IN (" + Rows.placeholders(hashes.size()) + ") ORDER BY r.received_at, r.observer",
        hashes, rs -> {
          byHash.computeIfAbsent(rs.getString("packet_hash"), k -> new ArrayList<>())
              .add(new Observation(rs.getString("observer"), rs.getString("observer_name"),
                  Sql.getInstant(rs, "received_at"), Sql.getDouble(rs, "snr"), Sql.getInt(rs, "rssi"),
                  rs.getInt("path_len"), rs.getString("path")));
          return null;
        });
    List<MessageViews.Message> out = new ArrayList<>();
    for (MessageViews.Message m : messages) {
      out.add(m.withObservers(byHash.getOrDefault(m.packetHash(), List.of())));
    }
    return out;
  }
}
