package org.meshhub.core.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.meshhub.core.db.Database;
import org.meshhub.core.db.Dialect;

/**
 * The {@code rejected_messages} table (schema migration V2): what was rejected, why and when, with the payload cut
 * at {@link IngestSettings#MAX_PAYLOAD_BYTES}. Retention is bounded by {@link #prune}.
 */
public final class RejectedMessages {
  public static final String TABLE = "rejected_messages";
  static final int MAX_TOPIC_CHARS = 1024;
  static final int MAX_DETAIL_CHARS = 1000;
  /** SQLite keeps times as fixed-width UTC text, so that text order is time order. */
  private static final DateTimeFormatter SQLITE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** One kept message. */
  public record Row(long id, String topic, byte[] payload, int payloadSize, String reason, String detail,
      Instant receivedAt) {
    public Row {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  private final Database database;

  public RejectedMessages(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Stores one rejected message (blocking; call it off the actor threads). */
  public void insert(String topic, byte[] payload, String reason, String detail, Instant receivedAt)
      throws SQLException {
    byte[] kept = payload.length > IngestSettings.MAX_PAYLOAD_BYTES
        ? Arrays.copyOf(payload, IngestSettings.MAX_PAYLOAD_BYTES) : payload;
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
            + " (topic, payload, payload_size, reason, detail, received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, clean(topic == null ? "" : topic, MAX_TOPIC_CHARS));
      ps.setBytes(2, kept);
      ps.setInt(3, payload.length);
      ps.setString(4, reason);
      ps.setString(5, detail == null ? null : clean(detail, MAX_DETAIL_CHARS));
      setTime(ps, 6, receivedAt);
      ps.executeUpdate();
    }
  }

  /**
   * Deletes all but the newest {@code keepRows} rows, and (unless {@code maxAge} is zero) every row received before
   * {@code now - maxAge}.
   *
   * @return the number of rows deleted
   */
  public int prune(int keepRows, Duration maxAge, Instant now) throws SQLException {
    int deleted = 0;
    try (Connection c = database.connection()) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id <= (SELECT id FROM " + TABLE
          + " ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
        ps.setInt(1, keepRows);
        deleted += ps.executeUpdate();
      }
      if (!maxAge.isZero()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE received_at < ?")) {
          setTime(ps, 1, now.minus(maxAge));
          deleted += ps.executeUpdate();
        }
      }
    }
    return deleted;
  }

  /** How many rows there are of one reason or ({@code null}) of all, counting at most {@code cap + 1}. */
  public long countUpTo(String reason, long cap) throws SQLException {
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM (SELECT 1 FROM " + TABLE
            + (reason == null ? "" : " WHERE reason = ?") + " LIMIT ?) capped")) {
      int i = 1;
      if (reason != null) {
        ps.setString(i++, reason);
      }
      ps.setLong(i, cap + 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public long count() throws SQLException {
    try (Connection c = database.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The newest rows first. */
  public List<Row> newest(int limit) throws SQLException {
    return newest(null, limit, 0);
  }

  /** A page of the newest rows, of one reason or ({@code null}) of all. */
  public List<Row> newest(String reason, int limit, int offset) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement("SELECT id, topic, payload, payload_size, reason, detail,"
            + " received_at FROM " + TABLE + (reason == null ? "" : " WHERE reason = ?")
            + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
      int i = 1;
      if (reason != null) {
        ps.setString(i++, reason);
      }
      ps.setInt(i++, limit);
      ps.setInt(i, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getInt(4), rs.getString(5),
              rs.getString(6), time(rs, 7)));
        }
      }
    }
    return rows;
  }

  private void setTime(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (database.dialect() == Dialect.POSTGRESQL) {
      ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    } else {
      ps.setString(index, SQLITE_TIME.format(at));
    }
  }

  private Instant time(ResultSet rs, int index) throws SQLException {
    if (database.dialect() == Dialect.POSTGRESQL) {
      return rs.getObject(index, OffsetDateTime.class).toInstant();
    }
    return Instant.parse(rs.getString(index));
  }

  /** Cut to {@code max} characters; NUL (which PostgreSQL text cannot hold) becomes U+FFFD. */
  static String clean(String text, int max) {
    String cut = text.length() <= max ? text : text.substring(0, max);
    return cut.replace('\u0000', '\uFFFD');
  }
}
