package org.meshhub.core.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reading the uploaders' JSON leniently: every value may come as a string ({@code "SNR": "9.25"}), numbers that are
 * not numbers ({@code "RSSI": "Unknown"}) read as absent, times come as ISO-8601 with or without an offset (without
 * one they are taken as UTC) or as epoch seconds.
 */
final class JsonFields {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private JsonFields() {}

  /**
   * Parses a payload that must be one JSON object.
   *
   * @throws RejectedInput {@code invalid_json}
   */
  static ObjectNode object(byte[] payload) {
    if (payload.length == 0) {
      throw new RejectedInput(IngestReason.INVALID_JSON, "empty payload");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new RejectedInput(IngestReason.INVALID_JSON, "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RejectedInput(IngestReason.INVALID_JSON, "not JSON: " + e.getMessage());
    }
    if (node == null || node.isMissingNode()) {
      throw new RejectedInput(IngestReason.INVALID_JSON, "empty payload");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new RejectedInput(IngestReason.INVALID_JSON, "JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
          + " where an object was expected");
    }
    return object;
  }

  /** A scalar field as text, or null when absent, null, blank, or not a scalar. */
  static String text(ObjectNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || !value.isValueNode() || value.isNull()) {
      return null;
    }
    String text = value.asText().strip();
    return text.isEmpty() ? null : text;
  }

  /** @throws RejectedInput {@code missing_field} when the field has no text */
  static String requiredText(ObjectNode node, String name) {
    String text = text(node, name);
    if (text == null) {
      throw new RejectedInput(IngestReason.MISSING_FIELD, "field '" + name + "' is missing or empty");
    }
    return text;
  }

  /** A finite number from a JSON number or a numeric string; null otherwise. */
  static Double decimal(ObjectNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null) {
      return null;
    }
    double d;
    if (value.isNumber()) {
      d = value.asDouble();
    } else if (value.isTextual()) {
      try {
        d = Double.parseDouble(value.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return Double.isFinite(d) ? d : null;
  }

  /** A whole number (a fractional one is rounded) within the int range; null otherwise. */
  static Integer integer(ObjectNode node, String name) {
    Double d = decimal(node, name);
    if (d == null || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      return null;
    }
    return (int) Math.round(d);
  }

  /** A whole number within the long range; null otherwise. */
  static Long whole(ObjectNode node, String name) {
    Double d = decimal(node, name);
    if (d == null || Math.abs(d) > 9.0e15) {
      return null;
    }
    return Math.round(d);
  }

  /**
   * A time: ISO-8601 with an offset, ISO-8601 local time (taken as UTC), or epoch seconds (epoch milliseconds when
   * over 10^11). Null when absent or unreadable.
   */
  static Instant instant(ObjectNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return epoch(value.asDouble());
    }
    if (!value.isTextual()) {
      return null;
    }
    String text = value.asText().strip();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      // fall through
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // fall through
    }
    try {
      return epoch(Double.parseDouble(text));
    } catch (NumberFormatException notEpoch) {
      return null;
    }
  }

  private static Instant epoch(double value) {
    if (!Double.isFinite(value) || value < 0) {
      return null;
    }
    double seconds = value > 1e11 ? value / 1000.0 : value;
    if (seconds > 32_503_680_000.0) { // year 3000
      return null;
    }
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9) % 1_000_000_000L);
  }

  /** A nested object or array as compact JSON with sorted keys, or null. */
  static String json(ObjectNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull() || !value.isContainerNode()) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(MAPPER.treeToValue(value, Object.class));
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }
}
