package org.meshhub.migration.hub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.meshhub.core.BatchOutcome;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * Source rows read and mapped together, and the commands they became: each entity's commands in order, sent one after
 * the other, while the entities of the batch are sent to concurrently. When every command of the batch (and of every
 * batch before it) is answered, the checkpoint moves to {@link #rowsRead()}.
 *
 * @param rowsRead rows of the table read up to the end of this batch (what the checkpoint records)
 * @param lastKey id of the batch's last row, kept with the checkpoint to recognise the source on a resume
 * @param work per entity, its commands in order
 * @param counters what this batch adds to the table's counters (besides the entities' answers)
 */
record ImportBatch(long rowsRead, String lastKey, List<List<Send>> work, Counters counters) {

  /** One command to one entity. */
  sealed interface Send {
    CompletionStage<BatchOutcome> send(ClusterSharding sharding, Duration timeout);

    /** The entity it goes to, for messages about it. */
    String entity();
  }

  /** A node's history: adverts with their receptions, telemetry, tags or observer status reports. */
  record ToNode(String publicKey, List<NodeEntity.AdvertReceptions> adverts, List<NodeEntity.Telemetry> telemetry,
      List<NodeEntity.TagValue> tags, List<NodeEntity.ObserverStatus> statuses) implements Send {

    @Override
    public CompletionStage<BatchOutcome> send(ClusterSharding sharding, Duration timeout) {
      return sharding.entityRefFor(NodeEntity.ENTITY_KEY, publicKey).askWithStatus(
          reply -> new NodeEntity.RecordHistory(adverts, telemetry, tags, statuses, reply), timeout);
    }

    @Override
    public String entity() {
      return "Node|" + publicKey;
    }

    /** How many items it carries, to cut a node's long history into several commands. */
    int size() {
      return adverts.stream().mapToInt(a -> a.receptions().size()).sum() + telemetry.size() + tags.size()
          + statuses.size();
    }
  }

  /** A channel or contact message with everyone who heard it. */
  record ToMessage(String hash, MessageEntity.MessageContent content, List<Reception> receptions) implements Send {
    @Override
    public CompletionStage<BatchOutcome> send(ClusterSharding sharding, Duration timeout) {
      return sharding.entityRefFor(MessageEntity.ENTITY_KEY, hash).askWithStatus(
          reply -> new MessageEntity.RecordMessageReceptions(content, null, receptions, reply), timeout);
    }

    @Override
    public String entity() {
      return "Message|" + hash;
    }
  }

  /** A trace with everyone who heard it. */
  record ToTrace(String hash, MessageEntity.TraceContent content, List<Reception> receptions) implements Send {
    @Override
    public CompletionStage<BatchOutcome> send(ClusterSharding sharding, Duration timeout) {
      return sharding.entityRefFor(MessageEntity.ENTITY_KEY, hash).askWithStatus(
          reply -> new MessageEntity.RecordTraceReceptions(content, null, receptions, reply), timeout);
    }

    @Override
    public String entity() {
      return "Message|" + hash;
    }
  }
}
