package org.meshhub.projections.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.meshhub.projections.Sql;

/** Small helpers shared by the query classes. */
public final class Rows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Rows() {}

  /** A row mapper that may throw. */
  @FunctionalInterface
  public interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public static <T> List<T> list(Connection c, String sql, List<Object> params, Mapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  public static long count(Connection c, String sql, List<Object> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Sql.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** A stored JSON document as a tree; a document that does not parse is returned as a string. */
  public static JsonNode json(String stored) {
    if (stored == null) {
      return null;
    }
    try {
      return JSON.readTree(stored);
    } catch (IOException e) {
      return TextNode.valueOf(stored);
    }
  }

  /** Escapes LIKE wildcards for use with {@code ESCAPE '\'}. */
  public static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** {@code ?, ?, ?} for n parameters. */
  public static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }
}
