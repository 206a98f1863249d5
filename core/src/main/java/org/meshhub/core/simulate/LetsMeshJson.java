package org.meshhub.core.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.meshhub.core.decoder.Hex;
import org.meshhub.core.decoder.Packet;

/**
 * Writes uploads in the LetsMesh format, the way the Python uploaders write them: every packet value a string,
 * times in UTC ({@code timestamp} as Python's {@code isoformat()} with {@code +00:00}, {@code time} HH:MM:SS,
 * {@code date} DD/MM/YYYY), non-ASCII characters escaped as {@code \\uXXXX} (Python's {@code json.dumps} default).
 */
final class LetsMeshJson {
  private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.ROOT);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

  private LetsMeshJson() {}

  /** Signal figures of one reception. */
  record Signal(double snr, int rssi, int score) {}

  /** What an observer's status reports about itself. */
  record Status(String firmware, String radio, long uptimeSeconds, int batteryMillivolts, int noiseFloor,
      long received, long sent, long floodReceived, long directReceived, Signal last) {}

  /**
   * The {@code packets} document for one reception.
   *
   * @param raw the whole packet; {@code packet} is what the decoder made of it
   */
  static byte[] packet(Observer observer, Instant at, byte[] raw, Packet packet, Signal signal) {
    ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
    return write(json -> {
      json.writeStringField("origin", observer.name());
      json.writeStringField("origin_id", observer.publicKey().toUpperCase(Locale.ROOT));
      json.writeStringField("timestamp", isoformat(at));
      json.writeStringField("type", "PACKET");
      json.writeStringField("direction", "rx");
      json.writeStringField("time", TIME.format(utc));
      json.writeStringField("date", DATE.format(utc));
      json.writeStringField("len", Integer.toString(raw.length));
      json.writeStringField("packet_type", Integer.toString(packet.payloadType().value()));
      json.writeStringField("route", packet.routeType().isFlood() ? "F" : "D");
      json.writeStringField("payload_len", Integer.toString(packet.payloadLength()));
      json.writeStringField("raw", Hex.upper(raw));
      json.writeStringField("SNR", Double.toString(signal.snr()));
      json.writeStringField("RSSI", Integer.toString(signal.rssi()));
      json.writeStringField("score", Integer.toString(signal.score()));
      json.writeStringField("hash", packet.hash());
    });
  }

  /** The {@code status} document: online, with the radio's counters. */
  static byte[] status(Observer observer, Instant at, Status status) {
    return write(json -> {
      json.writeStringField("status", "online");
      json.writeStringField("timestamp", isoformat(at));
      json.writeStringField("origin", observer.name());
      json.writeStringField("origin_id", observer.publicKey().toUpperCase(Locale.ROOT));
      json.writeStringField("model", observer.model());
      json.writeStringField("firmware_version", status.firmware());
      json.writeStringField("radio", status.radio());
      json.writeStringField("client_version", "meshhub-simulate");
      json.writeObjectFieldStart("stats");
      json.writeNumberField("battery_mv", status.batteryMillivolts());
      json.writeNumberField("uptime_secs", status.uptimeSeconds());
      json.writeNumberField("errors", 0);
      json.writeNumberField("queue_len", 0);
      json.writeNumberField("noise_floor", status.noiseFloor());
      json.writeNumberField("last_rssi", status.last() == null ? 0 : status.last().rssi());
      json.writeNumberField("last_snr", status.last() == null ? 0.0 : status.last().snr());
      json.writeNumberField("recv", status.received());
      json.writeNumberField("sent", status.sent());
      json.writeNumberField("flood_rx", status.floodReceived());
      json.writeNumberField("direct_rx", status.directReceived());
      json.writeEndObject();
    });
  }

  /** Python's {@code datetime.isoformat()} of a UTC time: microseconds only when not zero, then {@code +00:00}. */
  static String isoformat(Instant at) {
    ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
    int micros = at.getNano() / 1000;
    return SECONDS.format(utc) + (micros == 0 ? "" : String.format(Locale.ROOT, ".%06d", micros)) + "+00:00";
  }

  private interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }
}
