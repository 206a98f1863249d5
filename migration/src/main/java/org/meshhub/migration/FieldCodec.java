package org.meshhub.migration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Converts one SQLite value into the binary COPY form of its target column, deciding by the TARGET type: 0/1 become
 * booleans, blobs {@code bytea}, ISO-8601 text or epoch numbers {@code timestamptz}, and so on. Values that do not fit
 * (a 300-character name for {@code varchar(255)}, a 2 in a boolean) are refused with a reason instead of being cut.
 *
 * <p>It also defines what the verification compares: the field bytes themselves for every type PostgreSQL returns
 * exactly as it received them, and a normalized form for the two it rewrites ({@code numeric}, {@code jsonb}).
 */
public abstract class FieldCodec {
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
  private static final long PG_EPOCH_DAYS = 10_957L;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A value that cannot be stored in its target column. */
  static final class ConversionException extends RuntimeException {
    ConversionException(String message) {
      super(message);
    }
  }

  final TargetSchema.Column column;

  FieldCodec(TargetSchema.Column column) {
    this.column = column;
  }

  /** Writes the value at {@code index} of the current row, or a NULL field. */
  abstract void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException;

  /** Whether the verification compares the stored bytes as they are. */
  boolean exact() {
    return true;
  }

  /** The normalized form of a stored value, for types that are not {@link #exact()}. */
  byte[] normalized(byte[] field, int off, int len) {
    return java.util.Arrays.copyOfRange(field, off, off + len);
  }

  /** The codec for a target column, or null when MeshHub does not convert into that type. */
  static FieldCodec forColumn(TargetSchema.Column c) {
    switch (c.type()) {
      case "int8":
        return new IntCodec(c, 8, Long.MIN_VALUE, Long.MAX_VALUE);
      case "int4":
        return new IntCodec(c, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "int2":
        return new IntCodec(c, 2, Short.MIN_VALUE, Short.MAX_VALUE);
      case "bool":
        return new BoolCodec(c);
      case "bytea":
        return new ByteaCodec(c);
      case "text":
      case "varchar":
      case "bpchar":
      case "json":
      case "jsonb":
        return new TextCodec(c);
      case "float8":
      case "float4":
        return new FloatCodec(c);
      case "numeric":
        return new NumericCodec(c);
      case "timestamptz":
      case "timestamp":
        return new TimestampCodec(c);
      case "date":
        return new DateCodec(c);
      case "uuid":
        return new UuidCodec(c);
      default:
        return null;
    }
  }

  /** The types {@link #forColumn} accepts, for messages. */
  static final String SUPPORTED = "bigint, integer, smallint, boolean, bytea, text, varchar, char, json, jsonb,"
      + " double precision, real, numeric, timestamptz, timestamp, date, uuid";

  // ---------------------------------------------------------------------------------------------------------------

  private static final class IntCodec extends FieldCodec {
    private final int width;
    private final long min;
    private final long max;

    IntCodec(TargetSchema.Column c, int width, long min, long max) {
      super(c);
      this.width = width;
      this.min = min;
      this.max = max;
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      long v = rs.getLong(index);
      if (v == 0 && rs.wasNull()) {
        out.putNull();
        return;
      }
      if (v < min || v > max) {
        throw new ConversionException(v + " does not fit " + column.display());
      }
      out.putInt(width);
      switch (width) {
        case 8 -> out.putLong(v);
        case 4 -> out.putInt((int) v);
        default -> out.putShort((int) v);
      }
    }
  }

  private static final class BoolCodec extends FieldCodec {
    BoolCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      Object o = rs.getObject(index);
      if (o == null) {
        out.putNull();
        return;
      }
      boolean b;
      if (o instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
        b = n.doubleValue() == 1;
      } else {
        String s = o.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("1") || s.equals("true") || s.equals("t")) {
          b = true;
        } else if (s.equals("0") || s.equals("false") || s.equals("f")) {
          b = false;
        } else {
          throw new ConversionException("'" + abbreviate(o.toString()) + "' is not a boolean (0 or 1)");
        }
      }
      out.putInt(1);
      out.putByte(b ? 1 : 0);
    }
  }

  private static final class ByteaCodec extends FieldCodec {
    ByteaCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      byte[] b = rs.getBytes(index);
      if (b == null) {
        out.putNull();
        return;
      }
      out.putInt(b.length);
      out.putBytes(b);
    }
  }

  /** text, varchar(n), char(n), json, jsonb: SQLite's UTF-8 bytes, checked, passed on without decoding. */
  private static final class TextCodec extends FieldCodec {
    private final int maxLength;
    private final boolean padded;
    private final boolean json;
    private final boolean jsonb;

    TextCodec(TargetSchema.Column c) {
      super(c);
      this.maxLength = c.maxLength();
      this.padded = c.type().equals("bpchar");
      this.json = c.type().equals("json") || c.type().equals("jsonb");
      this.jsonb = c.type().equals("jsonb");
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      byte[] b = rs.getBytes(index);
      if (b == null) {
        out.putNull();
        return;
      }
      int chars = checkUtf8(b);
      if (maxLength >= 0 && chars > maxLength) {
        if (padded && isTrailingSpace(b, maxLength)) {
          b = new String(b, StandardCharsets.UTF_8).substring(0, maxLength).getBytes(StandardCharsets.UTF_8);
          chars = maxLength;
        } else {
          throw new ConversionException("a value of " + chars + " characters does not fit " + column.display());
        }
      }
      if (json) {
        try {
          JSON.readTree(b);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new ConversionException("is not valid JSON (" + abbreviate(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
          throw new ConversionException("is not valid JSON");
        }
      }
      int pad = padded && maxLength > chars ? maxLength - chars : 0;
      out.putInt(b.length + pad + (jsonb ? 1 : 0));
      if (jsonb) {
        out.putByte(1);
      }
      out.putBytes(b);
      for (int i = 0; i < pad; i++) {
        out.putByte(' ');
      }
    }

    @Override
    boolean exact() {
      return !jsonb;
    }

    @Override
    byte[] normalized(byte[] field, int off, int len) {
      if (!jsonb) {
        return super.normalized(field, off, len);
      }
      try {
        JsonNode node = JSON.readTree(field, off + 1, len - 1);
        StringBuilder sb = new StringBuilder();
        canonicalJson(node, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        return super.normalized(field, off, len);
      }
    }

    private static boolean isTrailingSpace(byte[] b, int keepChars) {
      String s = new String(b, StandardCharsets.UTF_8);
      int cut = s.offsetByCodePoints(0, keepChars);
      return s.substring(cut).isBlank() && s.substring(cut).chars().allMatch(ch -> ch == ' ');
    }
  }

  /** Counts the characters of UTF-8 text, refusing a NUL (PostgreSQL text cannot hold it) and invalid UTF-8. */
  static int checkUtf8(byte[] b) {
    int chars = 0;
    boolean ascii = true;
    for (byte x : b) {
      if (x == 0) {
        throw new ConversionException("contains a NUL character, which PostgreSQL text cannot hold");
      }
      if (x < 0) {
        ascii = false;
      }
      if ((x & 0xC0) != 0x80) {
        chars++;
      }
    }
    if (!ascii) {
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      } catch (CharacterCodingException e) {
        throw new ConversionException("is not valid UTF-8 text");
      }
    }
    return chars;
  }

  private static final class FloatCodec extends FieldCodec {
    private final boolean single;

    FloatCodec(TargetSchema.Column c) {
      super(c);
      this.single = c.type().equals("float4");
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      double d = rs.getDouble(index);
      if (d == 0 && rs.wasNull()) {
        out.putNull();
        return;
      }
      if (single) {
        out.putInt(4);
        out.putInt(Float.floatToRawIntBits((float) d));
      } else {
        out.putInt(8);
        out.putLong(Double.doubleToRawLongBits(d));
      }
    }
  }

  /** numeric, in PostgreSQL's base-10000 binary form; verified by value, as PostgreSQL normalizes it. */
  static final class NumericCodec extends FieldCodec {
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    NumericCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      String s = rs.getString(index);
      if (s == null) {
        out.putNull();
        return;
      }
      BigDecimal v;
      try {
        v = new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw new ConversionException("'" + abbreviate(s) + "' is not a number");
      }
      if (column.numericScale() >= 0) {
        v = v.setScale(column.numericScale(), RoundingMode.HALF_UP);
      }
      write(v, out);
    }

    static void write(BigDecimal v, CopyBuffer out) {
      int dscale = Math.max(0, v.scale());
      BigInteger unscaled = v.unscaledValue().abs();
      int scale = v.scale();
      if (scale < 0) {
        unscaled = unscaled.multiply(BigInteger.TEN.pow(-scale));
        scale = 0;
      }
      int pad = (4 - scale % 4) % 4;
      unscaled = unscaled.multiply(BigInteger.TEN.pow(pad));
      int fractionGroups = (scale + pad) / 4;
      List<Integer> digits = new ArrayList<>();
      while (unscaled.signum() > 0) {
        BigInteger[] qr = unscaled.divideAndRemainder(TEN_THOUSAND);
        digits.add(0, qr[1].intValue());
        unscaled = qr[0];
      }
      int weight = digits.size() - 1 - fractionGroups;
      while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
        digits.remove(digits.size() - 1);
      }
      if (digits.isEmpty()) {
        weight = 0;
      }
      out.putInt(8 + 2 * digits.size());
      out.putShort(digits.size());
      out.putShort(weight);
      out.putShort(v.signum() < 0 && !digits.isEmpty() ? 0x4000 : 0);
      out.putShort(dscale);
      for (int d : digits) {
        out.putShort(d);
      }
    }

    static BigDecimal read(byte[] b, int off) {
      int ndigits = CopyBuffer.getShort(b, off) & 0xFFFF;
      int weight = CopyBuffer.getShort(b, off + 2);
      int sign = CopyBuffer.getShort(b, off + 4) & 0xFFFF;
      BigInteger acc = BigInteger.ZERO;
      for (int i = 0; i < ndigits; i++) {
        acc = acc.multiply(TEN_THOUSAND).add(BigInteger.valueOf(CopyBuffer.getShort(b, off + 8 + 2 * i) & 0xFFFF));
      }
      BigDecimal v = new BigDecimal(acc).scaleByPowerOfTen(4 * (weight - ndigits + 1));
      return sign == 0x4000 ? v.negate() : v;
    }

    @Override
    boolean exact() {
      return false;
    }

    @Override
    byte[] normalized(byte[] field, int off, int len) {
      int sign = CopyBuffer.getShort(field, off + 4) & 0xFFFF;
      String text = switch (sign) {
        case 0xC000 -> "NaN";
        case 0xD000 -> "Infinity";
        case 0xF000 -> "-Infinity";
        default -> {
          BigDecimal v = read(field, off);
          yield v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
        }
      };
      return text.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** timestamptz and timestamp from ISO-8601 text (UTC unless it says otherwise) or epoch seconds / milliseconds. */
  private static final class TimestampCodec extends FieldCodec {
    TimestampCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      Object o = rs.getObject(index);
      if (o == null) {
        out.putNull();
        return;
      }
      long micros = epochMicros(o);
      out.putInt(8);
      out.putLong(micros - PG_EPOCH_MICROS);
    }
  }

  /** Epoch microseconds of a SQLite timestamp value: text in ISO-8601, or a number of seconds or milliseconds. */
  static long epochMicros(Object o) {
    if (o instanceof Number n) {
      return numberToMicros(n);
    }
    String s = o.toString().trim();
    try {
      return numberToMicros(new BigDecimal(s));
    } catch (NumberFormatException notANumber) {
      // text below
    }
    String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    try {
      return micros(Instant.parse(iso));
    } catch (DateTimeParseException e1) {
      try {
        return micros(OffsetDateTime.parse(iso).toInstant());
      } catch (DateTimeParseException e2) {
        try {
          return micros(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e3) {
          throw new ConversionException("'" + abbreviate(s) + "' is not a timestamp (ISO-8601 or epoch seconds)");
        }
      }
    }
  }

  /** Epoch numbers: below 10^11 they are seconds (until the year 5138), above milliseconds. */
  private static long numberToMicros(Number n) {
    BigDecimal v = n instanceof BigDecimal bd ? bd : new BigDecimal(n.toString());
    boolean millis = v.abs().compareTo(BigDecimal.valueOf(100_000_000_000L)) >= 0;
    return v.movePointRight(millis ? 3 : 6).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static long micros(Instant i) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }

  private static final class DateCodec extends FieldCodec {
    DateCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      String s = rs.getString(index);
      if (s == null) {
        out.putNull();
        return;
      }
      long days;
      try {
        days = LocalDate.parse(s.trim().length() > 10 ? s.trim().substring(0, 10) : s.trim()).toEpochDay();
      } catch (DateTimeParseException e) {
        throw new ConversionException("'" + abbreviate(s) + "' is not a date (yyyy-mm-dd)");
      }
      out.putInt(4);
      out.putInt((int) (days - PG_EPOCH_DAYS));
    }
  }

  private static final class UuidCodec extends FieldCodec {
    UuidCodec(TargetSchema.Column c) {
      super(c);
    }

    @Override
    void encode(ResultSet rs, int index, CopyBuffer out) throws SQLException {
      Object o = rs.getObject(index);
      if (o == null) {
        out.putNull();
        return;
      }
      out.putInt(16);
      if (o instanceof byte[] b && b.length == 16) {
        out.putBytes(b);
        return;
      }
      try {
        UUID u = UUID.fromString(o.toString().trim());
        out.putLong(u.getMostSignificantBits());
        out.putLong(u.getLeastSignificantBits());
      } catch (IllegalArgumentException e) {
        throw new ConversionException("'" + abbreviate(o.toString()) + "' is not a UUID");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** JSON with object keys sorted and numbers by value: what jsonb keeps of a document. */
  static void canonicalJson(JsonNode node, StringBuilder sb) throws IOException {
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(JSON.writeValueAsString(e.getKey())).append(':');
        canonicalJson(e.getValue(), sb);
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonicalJson(node.get(i), sb);
      }
      sb.append(']');
    } else if (node.isNumber()) {
      BigDecimal v = node.decimalValue();
      sb.append(v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString());
    } else {
      sb.append(JSON.writeValueAsString(node));
    }
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= 40 ? one : one.substring(0, 40) + "...";
  }
}
