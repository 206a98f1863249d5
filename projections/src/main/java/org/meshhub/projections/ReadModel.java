package org.meshhub.projections;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.message.MessageProjectionHandler;
import org.meshhub.projections.node.NodeProjectionHandler;

/**
 * The read models: each is one projection (one instance per tag slice) and the tables it alone writes. The name is
 * the projection's name in the offset store and the argument of {@code meshhub projections rebuild}.
 */
public enum ReadModel {
  NODES("nodes", NodeEntity.TAGS,
      List.of("nodes", "advertisements", "advert_receptions", "node_observers", "telemetry", "node_tags",
          "node_stats", "observer_status_history", "advert_reception_hours"),
      NodeProjectionHandler::new),
  MESSAGES("messages", MessageEntity.TAGS,
      List.of("messages", "trace_paths", "packets", "receptions", "message_stats", "channel_stats",
          "reception_hours"),
      MessageProjectionHandler::new);

  private final String id;
  private final List<String> tags;
  private final List<String> tables;
  private final BiFunction<String, TableNames, EventWriter> writers;

  ReadModel(String id, List<String> tags, List<String> tables, BiFunction<String, TableNames, EventWriter> writers) {
    this.id = id;
    this.tags = List.copyOf(tags);
    this.tables = List.copyOf(tables);
    this.writers = writers;
  }

  /** The projection's name: {@code nodes} or {@code messages}. */
  public String id() {
    return id;
  }

  /** The name a rebuild's offsets are kept under while it runs. */
  public String rebuildId() {
    return id + "-rebuild";
  }

  /** The journal tags of its events, one projection instance each. */
  public List<String> tags() {
    return tags;
  }

  /** The tables it writes (and a rebuild replaces). */
  public List<String> tables() {
    return tables;
  }

  /** The writer of one slice into the given tables. */
  public EventWriter writer(String slice, TableNames names) {
    return writers.apply(slice, names);
  }

  public static Optional<ReadModel> byId(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(ReadModel::id).collect(Collectors.joining(", "));
  }
}
