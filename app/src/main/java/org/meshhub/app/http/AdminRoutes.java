package org.meshhub.app.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.meshhub.core.db.Database;
import org.meshhub.core.ingest.IngestReason;
import org.meshhub.core.ingest.RejectedMessages;
import org.meshhub.projections.query.Page;
import org.meshhub.projections.query.PageRequest;
import org.meshhub.projections.query.Params;
import org.meshhub.projections.query.Total;

/** Admin reads under {@code /api/v1/admin} (admin key): the rejected messages. */
public final class AdminRoutes extends AllDirectives {
  /**
   * A rejected message.
   *
   * @param payload the bytes as UTF-8 text, or null when they are not valid UTF-8
   * @param payloadBase64 the bytes as kept (cut at the ingest limit)
   * @param payloadSize the size of the payload as received
   */
  public record Rejected(long id, String topic, String reason, String detail, Instant receivedAt, int payloadSize,
      String payload, String payloadBase64) {}

  private final RejectedMessages rejected;
  private final ApiKeys keys;
  private final QueryAnswers answers;

  public AdminRoutes(Database database, ApiKeys keys, Executor blocking) {
    this.rejected = new RejectedMessages(database);
    this.keys = keys;
    this.answers = new QueryAnswers(blocking);
  }

  /** Mounted under {@code /api/v1}. */
  public Route routes() {
    return path(PathMatchers.segment("admin").slash("rejected"), () -> get(() -> keys.admin(() ->
        parameterMap(p -> answers.answer(() -> {
          String reason = QueryAnswers.opt(p, "reason") == null ? null
              : Params.oneOf("reason", p.get("reason"), reasons());
          PageRequest page = QueryAnswers.page(p);
          return () -> {
            long cap = Total.cap(page);
            long n = rejected.countUpTo(reason, cap);
            List<Rejected> items = new ArrayList<>();
            for (RejectedMessages.Row r : rejected.newest(reason, page.limit(), page.offset())) {
              items.add(new Rejected(r.id(), r.topic(), r.reason(), r.detail(), r.receivedAt(), r.payloadSize(),
                  utf8(r.payload()), Base64.getEncoder().encodeToString(r.payload())));
            }
            return Json.ok(new Page<>(items, n > cap ? new Total(cap, true) : Total.exact(n), page));
          };
        })))));
  }

  private static List<String> reasons() {
    List<String> out = new ArrayList<>();
    for (IngestReason r : IngestReason.values()) {
      out.add(r.code());
    }
    return out;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
