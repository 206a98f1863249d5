package org.meshhub.projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC for the read side: parameters bound by their Java type, a SQL {@code NULL} that keeps its type (so
 * that PostgreSQL can infer the parameter), and a cache of prepared statements for the length of one batch.
 */
public final class Sql implements AutoCloseable {
  /** A typed SQL NULL parameter. */
  public record Null(int sqlType) {}

  public static final Null NULL_LONG = new Null(Types.BIGINT);
  public static final Null NULL_INT = new Null(Types.INTEGER);
  public static final Null NULL_DOUBLE = new Null(Types.DOUBLE);
  public static final Null NULL_TEXT = new Null(Types.VARCHAR);

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  public Sql(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /** Executes an INSERT/UPDATE/DELETE and returns the number of rows it changed. */
  public int update(String sql, Object... params) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    bind(ps, params);
    return ps.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    SQLException failure = null;
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        failure = e;
      }
    }
    statements.clear();
    if (failure != null) {
      throw failure;
    }
  }

  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      set(ps, i + 1, params[i]);
    }
  }

  public static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    bind(ps, params.toArray());
  }

  private static void set(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else if (value instanceof Null n) {
      ps.setNull(index, n.sqlType());
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer n) {
      ps.setInt(index, n);
    } else if (value instanceof Double d) {
      ps.setDouble(index, d);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else {
      throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
    }
  }

  public static Object orNull(Long value) {
    return value == null ? NULL_LONG : value;
  }

  public static Object orNull(Integer value) {
    return value == null ? NULL_INT : value;
  }

  public static Object orNull(Double value) {
    return value == null ? NULL_DOUBLE : value;
  }

  public static Object orNull(String value) {
    return value == null ? NULL_TEXT : value;
  }

  public static Object millisOrNull(Instant value) {
    return value == null ? NULL_LONG : (Object) value.toEpochMilli();
  }

  /** A nullable column as a Long. */
  public static Long getLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static Integer getInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static Double getDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** An epoch-millisecond column as an instant, or null. */
  public static Instant getInstant(ResultSet rs, String column) throws SQLException {
    Long v = getLong(rs, column);
    return v == null ? null : Instant.ofEpochMilli(v);
  }

  /** An epoch-second column (a sender's own clock) as an instant, or null. */
  public static Instant getEpochSecond(ResultSet rs, String column) throws SQLException {
    Long v = getLong(rs, column);
    return v == null ? null : Instant.ofEpochSecond(v);
  }
}
