package org.meshhub.app.simulate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads a run length: {@code 90} (seconds), {@code 1500ms}, {@code 30s}, {@code 5m}, {@code 1.5h}. */
public final class RunLength implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
  public static final Duration MAX = Duration.ofDays(7);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * @throws CommandLine.TypeConversionException naming the expected forms
   */
  public static Duration parse(String value) {
    Matcher m = FORMAT.matcher(value == null ? "" : value.strip());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration; use seconds or a unit, like 90, 30s, 5m, 1h or 500ms");
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long nanosPerUnit = switch (unit) {
      case "ms" -> 1_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> 1_000_000_000L;
    };
    BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
    if (nanos.signum() <= 0) {
      throw new CommandLine.TypeConversionException("the duration must be more than zero, got '" + value + "'");
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      throw new CommandLine.TypeConversionException("the duration must be at most 7 days, got '" + value + "'");
    }
    return Duration.ofNanos(nanos.longValue());
  }
}
