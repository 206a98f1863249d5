package org.meshhub.projections;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The projection handler: a batch of envelopes written by an {@link EventWriter} in the session's transaction. */
public final class BatchHandler<E> extends JdbcHandler<List<EventEnvelope<E>>, PooledJdbcSession> {
  private static final Logger log = LoggerFactory.getLogger(BatchHandler.class);

  private final String projection;
  private final EventWriter writer;

  public BatchHandler(String projection, EventWriter writer) {
    this.projection = projection;
    this.writer = writer;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<E>> envelopes) throws Exception {
    List<Object> events = new ArrayList<>(envelopes.size());
    for (EventEnvelope<E> envelope : envelopes) {
      events.add(envelope.event());
    }
    session.withConnection(connection -> {
      writer.write(connection, events);
      return null;
    });
    log.debug("Projection [{}] wrote {} events", projection, events.size());
  }
}
