package org.meshhub.app.simulate;

import java.time.Duration;
import org.meshhub.core.simulate.Publication;

/**
 * Where the simulator's publications go. {@link #publish} hands one over and may wait while too many are
 * unacknowledged; acknowledgements and failures arrive in the {@link Tally}.
 */
public interface PublicationSink extends AutoCloseable {
  /**
   * Hands over one publication.
   *
   * @throws SinkUnavailableException when the target is gone (unreachable, refused the credentials): the run stops
   */
  void publish(Publication publication) throws InterruptedException;

  /** Sends what is buffered and waits up to {@code timeout} for every acknowledgement; false if some are missing. */
  boolean flush(Duration timeout) throws InterruptedException;

  Tally tally();

  /** One line naming the target, without secrets. */
  String describe();

  @Override
  void close();
}
