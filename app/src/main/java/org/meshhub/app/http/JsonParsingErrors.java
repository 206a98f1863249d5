package org.meshhub.app.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach the routes (a URI or a header too long, a bad request line) answer in the API's
 * JSON error shape like every other error, instead of Pekko's plain text. Set as
 * {@code pekko.http.server.parsing.error-handler} in application.conf.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("Request refused before routing: {} {}", status.intValue(), info.formatPretty());
    return Json.error(status, code(status.intValue()), info.summary());
  }

  private static String code(int status) {
    return switch (status) {
      case 414 -> "uri_too_long";
      case 431 -> "header_too_large";
      case 413 -> "payload_too_large";
      case 501 -> "not_implemented";
      case 505 -> "http_version_not_supported";
      default -> status >= 500 ? "error" : "bad_request";
    };
  }
}
