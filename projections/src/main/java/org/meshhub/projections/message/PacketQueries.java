package org.meshhub.projections.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Dialect;
import org.meshhub.projections.Sql;
import org.meshhub.projections.message.MessageViews.PacketReception;
import org.meshhub.projections.node.NodeProjectionHandler;
import org.meshhub.projections.node.NodeQueries;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Total;
import org.meshhub.projections.query.Where;

/**
 * {@code GET /api/v1/packets}: every reception of every packet, newest first. Receptions live in two read models
 * (advert receptions in the node model, the others in the message model); each is read in time order through its
 * own index and the two streams are merged here, so a page costs its offset plus its length, never the tables'
 * size.
 */
public final class PacketQueries {
  private final Database database;

  public PacketQueries(Database database) {
    this.database = database;
  }

  public Page<PacketReception> list(PacketFilter filter, PageRequest page) throws SQLException {
    Where others = new Where();
    Where adverts = new Where();
    if (filter.packetHash() != null) {
      others.add("r.packet_hash = ?", filter.packetHash());
      adverts.add("a.packet_hash = ?", filter.packetHash());
    }
    if (filter.observedBy() != null) {
      others.add("r.observer = ?", filter.observedBy());
      adverts.add("r.observer = ?", filter.observedBy());
    }
    if (filter.publicKey() != null) {
      adverts.add("r.public_key = ?", filter.publicKey());
    }
    if (filter.kind() != null && !PacketFilter.ADVERT.equals(filter.kind())) {
      others.add("r.kind = ?", filter.kind());
    }
    others.timeRange("r.received_at", filter.since(), filter.until());
    adverts.timeRange("r.received_at", filter.since(), filter.until());
    String othersFrom = "FROM receptions r" + others.sql();
    // The advert's packet hash is on the advert; joined only when filtering by it.
    String advertsFrom = "FROM advert_receptions r" + (filter.packetHash() != null
        ? " JOIN advertisements a ON a.public_key = r.public_key AND a.advert_timestamp = r.advert_timestamp" : "")
        + adverts.sql();
    long window = (long) page.offset() + page.limit();
    boolean postgres = database.dialect() == Dialect.POSTGRESQL;
    try (Connection c = database.connection()) {
      Total total = Total.exact(0);
      if (filter.others()) {
        total = total.plus(others.isEmpty()
            ? Total.exact(NodeQueries.counter(c, "message_stats", MessageProjectionHandler.RECEPTIONS_TOTAL))
            : Total.count(c, othersFrom, others.params(), page));
      }
      if (filter.adverts()) {
        total = total.plus(adverts.isEmpty()
            ? Total.exact(NodeQueries.counter(c, "node_stats", NodeProjectionHandler.ADVERT_RECEPTIONS_TOTAL))
            : Total.count(c, advertsFrom, adverts.params(), page));
      }
      boolean autoCommit = c.getAutoCommit();
      if (postgres) {
        c.setAutoCommit(false); // PostgreSQL streams a result in fetch-size pieces only inside a transaction
      }
      try (Stream a = filter.others() ? new Stream(c, "SELECT r.packet_hash, r.kind, NULL AS public_key,"
              + " r.observer, r.received_at, r.snr, r.rssi, r.path_len, r.path " + othersFrom
              + " ORDER BY r.received_at DESC, r.packet_hash DESC, r.observer DESC LIMIT ?", others.params(), window) : null;
          Stream b = filter.adverts() ? new Stream(c, "SELECT (SELECT x.packet_hash FROM advertisements x"
              + " WHERE x.public_key = r.public_key AND x.advert_timestamp = r.advert_timestamp) AS packet_hash,"
              + " 'advert' AS kind, r.public_key, r.observer, r.received_at, r.snr, r.rssi, r.path_len, r.path "
              + advertsFrom + " ORDER BY r.received_at DESC, r.public_key DESC, r.advert_timestamp DESC, r.observer DESC"
              + " LIMIT ?", adverts.params(), window) : null) {
        List<PacketReception> items = new ArrayList<>();
        long skipped = 0;
        while (items.size() < page.limit()) {
          PacketReception next = pick(a, b);
          if (next == null) {
            break;
          }
          if (skipped < page.offset()) {
            skipped++;
          } else {
            items.add(next);
          }
        }
        return new Page<>(withObserverNames(c, items), total, page);
      } finally {
        if (postgres) {
          c.commit();
          c.setAutoCommit(autoCommit);
        }
      }
    }
  }

  /** The newer of the two streams' heads (message-side first on a tie), taken from its stream. */
  private static PacketReception pick(Stream a, Stream b) throws SQLException {
    PacketReception x = a == null ? null : a.peek();
    PacketReception y = b == null ? null : b.peek();
    if (x == null && y == null) {
      return null;
    }
    if (y == null || x != null && !x.receivedAt().isBefore(y.receivedAt())) {
      return a.take();
    }
    return b.take();
  }

  private static List<PacketReception> withObserverNames(Connection c, List<PacketReception> items)
      throws SQLException {
    List<Object> observers = new ArrayList<>(items.stream().map(PacketReception::observer).distinct().toList());
    if (observers.isEmpty()) {
      return items;
    }
    java.util.Map<String, String> names = new java.util.HashMap<>();
    org.meshhub.projections.query.Rows.list(c, "SELECT public_key, name FROM nodes WHERE public_key IN ("
        + org.meshhub.projections.query.Rows.placeholders(observers.size()) + ")", observers, rs -> {
          names.put(rs.getString(1), rs.getString(2));
          return null;
        });
    List<PacketReception> out = new ArrayList<>();
    for (PacketReception p : items) {
      out.add(new PacketReception(p.packetHash(), p.kind(), p.publicKey(), p.observer(), names.get(p.observer()),
          p.receivedAt(), p.snr(), p.rssi(), p.pathLen(), p.path()));
    }
    return out;
  }

  /** A forward-only cursor over one side's receptions, read in small fetches. */
  private static final class Stream implements AutoCloseable {
    private final PreparedStatement statement;
    private final ResultSet rs;
    private PacketReception head;
    private boolean done;

    Stream(Connection c, String sql, List<Object> params, long limit) throws SQLException {
      statement = c.prepareStatement(sql);
      List<Object> p = new ArrayList<>(params);
      p.add(limit);
      Sql.bind(statement, p);
      statement.setFetchSize((int) Math.min(limit, 500));
      rs = statement.executeQuery();
    }

    PacketReception peek() throws SQLException {
      if (head == null && !done) {
        if (rs.next()) {
          head = new PacketReception(rs.getString("packet_hash"), rs.getString("kind"), rs.getString("public_key"),
              rs.getString("observer"), null, Sql.getInstant(rs, "received_at"), Sql.getDouble(rs, "snr"),
              Sql.getInt(rs, "rssi"), rs.getInt("path_len"), rs.getString("path"));
        } else {
          done = true;
        }
      }
      return head;
    }

    PacketReception take() throws SQLException {
      PacketReception out = peek();
      head = null;
      return out;
    }

    @Override
    public void close() throws SQLException {
      try {
        rs.close();
      } finally {
        statement.close();
      }
    }
  }
}
