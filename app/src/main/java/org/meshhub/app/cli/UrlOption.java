package org.meshhub.app.cli;

import java.net.URI;
import java.net.URISyntaxException;
import org.meshhub.app.ApiSettings;
import org.meshhub.core.config.Env;
import picocli.CommandLine;

/** The {@code --url} option of the commands that talk to a running MeshHub over HTTP. */
final class UrlOption {
  private UrlOption() {}

  /** The node at {@code --url} when it is given, else the one on this host ({@code http://127.0.0.1:$API_PORT}). */
  static URI orThisHost(CommandLine commandLine, String value, Env env) {
    return value != null ? parse(commandLine, value)
        : URI.create("http://127.0.0.1:" + ApiSettings.fromEnv(env).port());
  }

  /** The value as an {@code http://} or {@code https://} address with a host, or a usage error naming it. */
  static URI parse(CommandLine commandLine, String value) {
    try {
      URI uri = new URI(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Answered below, like any other address that is not http(s).
    }
    throw new CommandLine.ParameterException(commandLine,
        "--url must be an http:// or https:// address, got '" + value + "'");
  }
}
