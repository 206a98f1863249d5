package org.meshhub.core.simulate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** The words of the synthetic mesh: node names and channel chatter, picked with the mesh's own random source. */
final class Phrases {
  private Phrases() {}

  /** Longest advert name that still fits next to a location (32 bytes of app_data - flags - lat/lon). */
  static final int MAX_NAME_BYTES = 23;

  private static final List<String> PEOPLE = List.of(
      "Alice", "Bram", "Chen", "Dana", "Emeka", "Freya", "Gus", "Hana", "Ines", "Jonas", "Kai", "Lena", "Mateo",
      "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vik", "Wren", "Yusuf", "Zoe", "Ada",
      "Ben", "Cleo", "Dev", "Elin", "Finn", "Greta", "Hugo", "Ivy", "Jude", "Kofi", "Luz", "Milo", "Noor", "Otto");

  private static final List<String> PLACES = List.of(
      "Ridge", "Harbor", "Summit", "Valley", "North Point", "Lakeside", "Old Mill", "Water Tower", "Hilltop",
      "Riverside", "Quarry", "Station", "Eastgate", "Westfield", "Pine Hill", "Bay View", "Fire Hall", "Library",
      "Marina", "Airfield", "Campus", "Market", "Cedar Park", "Lighthouse", "Depot", "Orchard", "Mesa", "Bluff");

  private static final List<String> PERSON_SUFFIXES = List.of(
      "", "", "", " 📡", " 📻", " mobile", " T1000", " (car)", " 🚲", " base", " HT", " 🌲");

  private static final List<String> MODELS = List.of(
      "Heltec V3", "RAK4631", "Station G2", "LilyGo T-Beam", "Heltec T114", "Seeed XIAO S3", "RAK WisMesh");

  private static final List<String> PUBLIC_LINES = List.of(
      "Hello mesh!", "Anyone on tonight?", "Good morning everyone ☀️", "Testing new antenna, %d dBi",
      "Heard you at %d dB", "Repeater at %s is back up", "QSL, thanks", "73!", "Battery at %d%% and holding",
      "Signal check from %s", "Can anyone hear me from %s?", "Copy, loud and clear", "Back online after the storm",
      "Who else is on the %s repeater?", "New node here, hi all 👋", "Moving the solar node to %s tomorrow",
      "Path looks good, %d hops", "Range test: walking toward %s", "Nice, that came through instantly",
      "Coffee at %s at 10?", "Lost power here, running on battery", "Thanks for the relay!",
      "Anyone tried the new firmware?", "Sunset from %s is great today 🌅", "ping", "pong", "ack",
      "Net check-in at 20:00 tonight", "Roads icy near %s, take care", "Got it, see you there");

  private static final List<String> WEATHER_LINES = List.of(
      "%d°C and clear at %s", "Rain starting at %s", "Wind %d km/h gusting at %s", "Fog rolling into %s",
      "Pressure falling, %d hPa", "Frost this morning, %d°C", "Sunny spells at %s", "Thunder heard near %s",
      "Snow line down to %d m", "Humidity %d%% at %s");

  /** A name for node {@code index} of type {@code nodeType}; {@code tag} (hex) keeps repeater names apart. */
  static String nodeName(Random random, int nodeType, String tag) {
    String name;
    switch (nodeType) {
      case MeshNode.CHAT:
        name = pick(random, PEOPLE) + pick(random, PERSON_SUFFIXES);
        break;
      case MeshNode.REPEATER:
        name = random.nextBoolean() ? pick(random, PLACES) + " Rptr" : place(random).toUpperCase() + "-RPT-" + tag;
        break;
      case MeshNode.ROOM:
        name = pick(random, PLACES) + (random.nextBoolean() ? " BBS" : " Room");
        break;
      default:
        name = "WX " + pick(random, PLACES);
        break;
    }
    return fit(name);
  }

  static String observerName(Random random, String iata) {
    return fit(iata + " " + pick(random, PLACES) + " Obs");
  }

  static String model(Random random) {
    return pick(random, MODELS);
  }

  static String publicLine(Random random) {
    return fill(random, pick(random, PUBLIC_LINES));
  }

  static String weatherLine(Random random) {
    return fill(random, pick(random, WEATHER_LINES));
  }

  private static String place(Random random) {
    String place = pick(random, PLACES);
    int space = place.indexOf(' ');
    return space < 0 ? place : place.substring(0, space);
  }

  /** Replaces each %d with a small number and each %s with a place, in order. */
  private static String fill(Random random, String template) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '%' && i + 1 < template.length()) {
        char kind = template.charAt(++i);
        if (kind == 'd') {
          out.append(1 + random.nextInt(99));
        } else if (kind == 's') {
          out.append(pick(random, PLACES));
        } else {
          out.append(kind);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Cuts a name to {@link #MAX_NAME_BYTES} UTF-8 bytes on a character boundary. */
  static String fit(String name) {
    String cut = name;
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
    }
    return cut.strip();
  }

  static <T> T pick(Random random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
