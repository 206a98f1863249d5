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
import org.meshhub.projections.query.Total;
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
    where.timeRange("m.received_at", filter.since(), filter.until());
    try (Connection c = database.connection()) {
      if (filter.search() != null) {
        TextSearch.restrict(c, where, database.dialect(), filter.search(), (long) page.offset() + page.limit(),
            NodeQueries.counter(c, "message_stats", MessageProjectionHandler.MESSAGES_TOTAL));
      }
      Total total = total(c, filter, where, page);
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
      return new Page<>(withObservers(c, messages), total, page);
    }
  }

  /** A counter when there is one for the filters (none, or only a channel), else a capped count. */
  private Total total(Connection c, MessageFilter filter, Where where, PageRequest page) throws SQLException {
    if (where.isEmpty()) {
      return Total.exact(NodeQueries.counter(c, "message_stats", MessageProjectionHandler.MESSAGES_TOTAL));
    }
    boolean onlyChannel = filter.channelIdx() != null && filter.pubkeyPrefix() == null && filter.observedBy() == null
        && filter.since() == null && filter.until() == null && filter.search() == null
        && !"contact".equals(filter.messageType());
    if (onlyChannel) {
      return Total.exact(Rows.count(c, "SELECT COALESCE(SUM(message_count), 0) FROM channel_stats"
          + " WHERE channel_idx = ?", List.of(filter.channelIdx())));
    }
    boolean onlySearch = filter.search() != null && filter.messageType() == null && filter.channelIdx() == null
        && filter.pubkeyPrefix() == null && filter.observedBy() == null && filter.since() == null
        && filter.until() == null;
    if (onlySearch) {
      // Counted in the full-text index alone, which stops at the cap without touching the messages.
      return Total.count(c, TextSearch.onlyIndex(database.dialect()),
          List.of(TextSearch.onlyIndexParameter(database.dialect(), filter.search())), page);
    }
    return Total.count(c, "FROM messages m" + where.sql(), where.params(), page);
  }

  /** Trace packets, newest first, each with everyone who heard it. */
  public Page<MessageViews.TracePath> tracePaths(TraceFilter filter, PageRequest page) throws SQLException {
    Where where = new Where();
    if (filter.observedBy() != null) {
      where.add("t.packet_hash IN (SELECT r.packet_hash FROM receptions r WHERE r.observer = ?)",
          filter.observedBy());
    }
    where.timeRange("t.received_at", filter.since(), filter.until());
    try (Connection c = database.connection()) {
      Total total = where.isEmpty()
          ? Total.exact(NodeQueries.counter(c, "message_stats", MessageProjectionHandler.TRACES_TOTAL))
          : Total.count(c, "FROM trace_paths t" + where.sql(), where.params(), page);
      List<Object> params = new ArrayList<>(where.params());
      params.add(page.limit());
      params.add(page.offset());
      List<MessageViews.TracePath> traces = Rows.list(c, "SELECT t.* FROM trace_paths t" + where.sql()
          + " ORDER BY t.received_at DESC, t.packet_hash LIMIT ? OFFSET ?", params,
          rs -> new MessageViews.TracePath(rs.getString("packet_hash"), rs.getLong("trace_tag"),
              rs.getLong("auth_code"), rs.getInt("flags"), split(rs.getString("path_hashes")),
              split(rs.getString("snr_values")).stream().map(Double::valueOf).toList(), rs.getInt("hop_count"),
              Sql.getInstant(rs, "received_at"), rs.getString("observer"), 0, List.of()));
      Map<String, List<Observation>> observers = observers(c, traces.stream()
          .map(MessageViews.TracePath::packetHash).toList());
      List<MessageViews.TracePath> out = new ArrayList<>();
      for (MessageViews.TracePath t : traces) {
        out.add(t.withObservers(observers.getOrDefault(t.packetHash(), List.of())));
      }
      return new Page<>(out, total, page);
    }
  }

  private static List<String> split(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
  }

  /** The channels messages were heard on, busiest first, with their message counts and latest message. */
  public Page<MessageViews.Channel> channels(PageRequest page) throws SQLException {
    try (Connection c = database.connection()) {
      Total total = Total.exact(Rows.count(c, "SELECT COUNT(DISTINCT channel_idx) FROM channel_stats", List.of()));
      List<MessageViews.Channel> channels = Rows.list(c, "SELECT s.channel_idx, MAX(s.channel_name) AS name,"
          + " SUM(s.message_count) AS n, (SELECT MAX(m.received_at) FROM messages m"
          + " WHERE m.channel_idx = s.channel_idx) AS last_message_at FROM channel_stats s GROUP BY s.channel_idx"
          + " ORDER BY n DESC, s.channel_idx LIMIT ? OFFSET ?", List.of(page.limit(), page.offset()),
          rs -> new MessageViews.Channel(rs.getInt("channel_idx"), rs.getString("name"), rs.getLong("n"),
              Sql.getInstant(rs, "last_message_at")));
      return new Page<>(channels, total, page);
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
    Map<String, List<Observation>> byHash = observers(c, messages.stream()
        .map(MessageViews.Message::packetHash).toList());
    List<MessageViews.Message> out = new ArrayList<>();
    for (MessageViews.Message m : messages) {
      out.add(m.withObservers(byHash.getOrDefault(m.packetHash(), List.of())));
    }
    return out;
  }

  /** Who heard each of the packets, in order of reception. */
  static Map<String, List<Observation>> observers(Connection c, List<String> packetHashes) throws SQLException {
    Map<String, List<Observation>> byHash = new HashMap<>();
    if (packetHashes.isEmpty()) {
      return byHash;
    }
    List<Object> hashes = new ArrayList<>(packetHashes);
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
    return byHash;
  }
}
