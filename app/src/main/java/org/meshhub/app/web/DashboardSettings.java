package org.meshhub.app.web;

import java.net.URI;
import java.util.Optional;
import org.meshhub.core.config.Env;
import org.meshhub.core.config.SettingsException;

/**
 * The web dashboard's settings.
 *
 * @param tileUrl MAP_TILE_URL: the map's tile template ({@code {z}/{x}/{y}}, optionally {@code {s}}), or empty for
 *     a map without tiles ({@code MAP_TILE_URL=none})
 * @param tileAttribution MAP_TILE_ATTRIBUTION: the credit the tile provider asks for, shown on the map
 */
public record DashboardSettings(Optional<String> tileUrl, String tileAttribution) {
  public static final String MAP_TILE_URL = "MAP_TILE_URL";
  public static final String MAP_TILE_ATTRIBUTION = "MAP_TILE_ATTRIBUTION";
  public static final String DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  public static final String DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors";

  public static DashboardSettings fromEnv(Env env) {
    String url = env.get(MAP_TILE_URL, DEFAULT_TILE_URL).trim();
    if (url.isEmpty() || url.equalsIgnoreCase("none")) {
      return new DashboardSettings(Optional.empty(), "");
    }
    if (!url.contains("{z}") || !url.contains("{x}") || !url.contains("{y}")) {
      throw new SettingsException(MAP_TILE_URL, "must contain {z}, {x} and {y} (or be none for a map without"
          + " tiles), e.g. " + DEFAULT_TILE_URL);
    }
    URI uri;
    try {
      uri = URI.create(url.replace("{", "").replace("}", ""));
    } catch (IllegalArgumentException e) {
      throw new SettingsException(MAP_TILE_URL, "is not a URL: " + e.getMessage());
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new SettingsException(MAP_TILE_URL, "must be an http:// or https:// URL template");
    }
    String attribution = env.get(MAP_TILE_ATTRIBUTION, url.equals(DEFAULT_TILE_URL) ? DEFAULT_ATTRIBUTION : "");
    return new DashboardSettings(Optional.of(url), attribution);
  }

  /** The origin the tiles come from, for the pages' Content-Security-Policy ({@code {s}} becomes a wildcard). */
  public Optional<String> tileOrigin() {
    return tileUrl.map(u -> {
      URI uri = URI.create(u.replace("{s}", "s").replace("{", "").replace("}", ""));
      String host = u.contains("{s}.") ? "*." + uri.getHost().substring(uri.getHost().indexOf('.') + 1)
          : uri.getHost();
      return uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    });
  }
}
