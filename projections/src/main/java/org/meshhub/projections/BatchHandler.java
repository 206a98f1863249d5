package org.meshhub.projections;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.meshhub.projections.live.LiveEventWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projection handler: a batch of envelopes written by an {@link EventWriter} in the session's transaction,
 * followed, in the same transaction, by the change feed's rows for it.
 */
public final class BatchHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(BatchHandler.class);

  private final String projection;
  private final EventWriter writer;
  private final LiveEventWriter feed;

  public BatchHandler(String projection, EventWriter writer, LiveEventWriter feed) {
    this.projection = projection;
    this.writer = writer;
    this.feed = feed;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    List<Object> events = new ArrayList<>(envelopes.size());
    List<LiveEventWriter.Envelope> announced = new ArrayList<>(envelopes.size());
    for (EventEnvelope<E> envelope : envelopes) {
      events.add(envelope.event());
      if (envelope.offset() instanceof Sequence sequence) {
        announced.add(new LiveEventWriter.Envelope(sequence.value(), envelope.event()));
      }
    }
    session.withConnection(connection -> {
      writer.write(connection, events);
      feed.write(connection, announced);
      return null;
    });
    log.debug("Projection [{}] wrote {} events", projection, events.size());
  }
}
