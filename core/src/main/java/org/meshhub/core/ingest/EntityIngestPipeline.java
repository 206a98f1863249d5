package org.meshhub.core.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.meshhub.core.Outcome;
import org.meshhub.core.RateLimitedLog;
import org.meshhub.core.db.Database;
import org.meshhub.core.decoder.PacketDecoder;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.metrics.MeshHubMetrics;
import org.meshhub.core.node.NodeEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The ingest pipeline on the sharded entities: checks the size, reads the topic and the JSON, decodes the packet,
 * and sends one command to the node or message entity it concerns, completing when the entity has replied (its
 * events are persisted).
 *
 * <ul>
 *   <li>Bad input (any {@link IngestReason}) and an entity refusing a value complete normally as REJECTED, after
 *       the message is stored in {@code rejected_messages}, counted and logged (rate-limited WARN).
 *   <li>An entity that does not answer within {@link IngestSettings#askTimeout()}, or a rejected message that
 *       cannot be stored, complete exceptionally with {@link IngestUnavailableException}: the source must not
 *       acknowledge and should offer the message again. Entities are idempotent, so offering it again is safe.
 * </ul>
 *
 * <p>The packet hash is always computed from {@code raw}; when the uploaded {@code hash} disagrees, the computed one
 * is used, {@code meshhub_ingest_hash_mismatch_total} counts it, and a rate-limited WARN says so.
 */
public final class EntityIngestPipeline implements IngestPipeline, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EntityIngestPipeline.class);
  private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private final String prefix;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final RejectedMessages rejected;
  private final IngestSettings settings;
  private final ExecutionContextExecutor blocking;
  private final Clock clock;
  private final IngestMetrics metrics;
  private final RateLimitedLog rateLimited = new RateLimitedLog(LOG_INTERVAL);
  private final LetsMeshFeed letsMesh;
  private final DecodedEventFeed events;
  private final Cancellable pruning;
  private volatile boolean closed;

  private EntityIngestPipeline(ActorSystem<?> system, Database database, IngestSettings settings, String prefix,
      Clock clock) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = clock;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = settings.askTimeout();
    this.rejected = new RejectedMessages(database);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.metrics = new IngestMetrics(MeshHubMetrics.get(system).registry());
    this.letsMesh = new LetsMeshFeed(new PacketDecoder(settings.channelKeys()), clock, this::hashMismatch);
    this.events = new DecodedEventFeed(clock);
    this.pruning = system.scheduler().scheduleAtFixedRate(Duration.ZERO, settings.rejectedPruneInterval(),
        this::prune, blocking);
  }

  /**
   * A pipeline on the node and message entities of {@code system} (registered by {@code MeshHubNode.start}),
   * keeping rejected messages in {@code database}.
   *
   * @param prefix the topic prefix, {@code MQTT_PREFIX}; topics under any other prefix are {@code unknown_topic}
   */
  public static EntityIngestPipeline start(ActorSystem<?> system, Database database, IngestSettings settings,
      String prefix) {
    return start(system, database, settings, prefix, Clock.systemUTC());
  }

  static EntityIngestPipeline start(ActorSystem<?> system, Database database, IngestSettings settings,
      String prefix, Clock clock) {
    EntityIngestPipeline pipeline = new EntityIngestPipeline(system, database, settings, prefix, clock);
    // Stops after the sources that feed it (service-unbind), while the entities and the database are still there.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "ingest-stop", () -> {
      pipeline.close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    log.info("Ingest ready on topics under '{}/' with {} channel key(s): {}", prefix,
        settings.channelKeys().size(), settings.channelKeys());
    return pipeline;
  }

  /** The topic prefix this pipeline accepts. */
  public String prefix() {
    return prefix;
  }

  @Override
  public CompletionStage<IngestResult> submit(String topic, byte[] payload) {
    if (closed) {
      return CompletableFuture.failedFuture(new IngestUnavailableException("ingest is stopped on this node", null));
    }
    Instant arrived = clock.instant();
    byte[] bytes = payload == null ? new byte[0] : payload;
    Route route;
    try {
      route = route(topic, bytes);
    } catch (RejectedInput bad) {
      return reject(topic, bytes, bad.reason(), bad.detail(), arrived);
    } catch (IllegalArgumentException bad) {
      // A value record refused a field the feeds did not check themselves.
      return reject(topic, bytes, IngestReason.INVALID_FIELD, bad.getMessage(), arrived);
    } catch (RuntimeException bug) {
      if (rateLimited.permit("internal_error") != RateLimitedLog.SUPPRESS) {
        log.error("Ingest failed on a message on topic [{}]; it is kept as rejected", printable(topic), bug);
      }
      return reject(topic, bytes, IngestReason.INTERNAL_ERROR, bug.toString(), arrived);
    }
    return deliver(route, topic, bytes, arrived);
  }

  private Route route(String topic, byte[] payload) {
    if (payload.length > IngestSettings.MAX_PAYLOAD_BYTES) {
      throw new RejectedInput(IngestReason.PAYLOAD_TOO_LARGE, payload.length + " bytes; at most "
          + IngestSettings.MAX_PAYLOAD_BYTES + " are accepted");
    }
    IngestTopic parsed = IngestTopic.parse(prefix, topic);
    ObjectNode json = JsonFields.object(payload);
    if (parsed instanceof IngestTopic.FeedTopic feed) {
      return letsMesh.route(feed, json);
    }
    return events.route((IngestTopic.EventTopic) parsed, json);
  }

  private CompletionStage<IngestResult> deliver(Route route, String topic, byte[] payload, Instant arrived) {
    if (route instanceof Route.Ignore ignore) {
      metrics.ignored();
      log.debug("Ignored message on [{}]: {}", topic, ignore.detail());
      return CompletableFuture.completedFuture(IngestResult.ignored(ignore.reason(), ignore.detail()));
    }
    CompletionStage<Outcome> asked;
    String target;
    long sent = System.nanoTime();
    boolean toNode = route instanceof Route.ToNode;
    if (route instanceof Route.ToNode node) {
      target = "node " + node.publicKey();
      asked = sharding.entityRefFor(NodeEntity.ENTITY_KEY, node.publicKey())
          .askWithStatus(node.command()::apply, askTimeout);
    } else {
      Route.ToMessage message = (Route.ToMessage) route;
      target = "message " + message.hash();
      asked = sharding.entityRefFor(MessageEntity.ENTITY_KEY, message.hash())
          .askWithStatus(message.command()::apply, askTimeout);
    }
    return asked.handle((outcome, error) -> {
      if (error == null) {
        metrics.persisted(toNode, System.nanoTime() - sent);
        metrics.accepted();
        return CompletableFuture.completedFuture(IngestResult.accepted(outcome.name().toLowerCase(Locale.ROOT)));
      }
      Throwable cause = unwrap(error);
      if (cause instanceof StatusReply.ErrorMessage refused) {
        return reject(topic, payload, IngestReason.INVALID_FIELD, target + " refused it: " + refused.getMessage(),
            arrived);
      }
      if (rateLimited.permit("unavailable") != RateLimitedLog.SUPPRESS) {
        log.warn("Ingest of a message on [{}] did not complete ({} did not answer: {}); it will be offered again",
            printable(topic), target, cause.toString());
      }
      return CompletableFuture.<IngestResult>failedFuture(
          new IngestUnavailableException(target + " did not answer: " + cause, cause));
    }).thenCompose(stage -> stage);
  }

  private CompletionStage<IngestResult> reject(String topic, byte[] payload, IngestReason reason, String detail,
      Instant arrived) {
    return CompletableFuture.runAsync(() -> {
      try {
        rejected.insert(topic, payload, reason.code(), detail, arrived);
      } catch (java.sql.SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking).handle((done, error) -> {
      if (error != null) {
        Throwable cause = unwrap(error);
        if (rateLimited.permit("store_failed") != RateLimitedLog.SUPPRESS) {
          log.warn("A rejected message ({}) could not be stored: {}; it will be offered again", reason.code(),
              cause.toString());
        }
        throw new IngestUnavailableException("rejected message could not be stored: " + cause, cause);
      }
      metrics.rejected(reason);
      long held = rateLimited.permit(reason.code());
      if (held != RateLimitedLog.SUPPRESS) {
        log.warn("Rejected a message on [{}]: {}: {}{}", printable(topic), reason.code(), detail,
            rateLimited.suffix(held));
      }
      return IngestResult.rejected(reason.code(), detail);
    });
  }

  private void hashMismatch(String uploaded, String computed) {
    metrics.hashMismatch();
    long held = rateLimited.permit("hash_mismatch");
    if (held != RateLimitedLog.SUPPRESS) {
      log.warn("Uploaded packet hash {} differs from the hash {} computed from raw; the computed one is used{}",
          printable(uploaded), computed, rateLimited.suffix(held));
    }
  }

  private void prune() {
    try {
      int deleted = rejected.prune(settings.rejectedRetentionRows(), settings.rejectedRetentionAge(), clock.instant());
      if (deleted > 0) {
        log.debug("Pruned {} rejected messages", deleted);
      }
    } catch (Exception e) {
      log.warn("Could not prune rejected messages: {}", e.toString());
    }
  }

  /**
   * Stops taking messages (a message submitted from now on fails as unavailable, so that its source keeps it for
   * later) and the periodic pruning of rejected messages.
   */
  @Override
  public void close() {
    closed = true;
    pruning.cancel();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A topic or value for a log line: at most 200 characters, control characters replaced. */
  static String printable(String s) {
    if (s == null) {
      return "";
    }
    String cut = s.length() <= 200 ? s : s.substring(0, 200) + "...";
    StringBuilder sb = new StringBuilder(cut.length());
    cut.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return sb.toString();
  }
}
