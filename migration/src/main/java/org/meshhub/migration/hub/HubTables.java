package org.meshhub.migration.hub;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.core.node.NodeEntity;

/**
 * The source tables in the order they are imported, each with its query, where its batches may be cut, and how a
 * batch of its rows becomes commands. A batch is cut only between rows MeshHub makes different things of (another
 * node, another packet), so that everything one node advert or one packet is made of goes in one command and the
 * read rows each batch must leave can be counted from the batch alone.
 */
final class HubTables {
  /** Receptions, readings or tags per node command; a node's longer history goes in several commands in order. */
  static final int NODE_COMMAND_ITEMS = 2_000;

  /** Read tables, as the counters name what each source table must leave in them. */
  static final String READ_STATUS_HISTORY = "observer_status_history";
  static final String READ_TAGS = "node_tags";
  static final String READ_ADVERTS = "advertisements";
  static final String READ_ADVERT_RECEPTIONS = "advert_receptions";
  static final String READ_MESSAGES = "messages";
  static final String READ_MESSAGE_RECEPTIONS = "receptions (messages)";
  static final String READ_TRACES = "trace_paths";
  static final String READ_TRACE_RECEPTIONS = "receptions (traces)";
  static final String READ_TELEMETRY = "telemetry";

  private HubTables() {}

  /** Every imported table, in import order. */
  static List<Table<?>> all() {
    return List.of(new Nodes(), new Tags(), new Adverts(), new Messages(), new Traces(), new Telemetry());
  }

  /** One source table. */
  abstract static class Table<R> {
    private final String name;
    private final String eventType;

    Table(String name, String eventType) {
      this.name = name;
      this.eventType = eventType;
    }

    /** The source table. */
    String name() {
      return name;
    }

    /** Its {@code event_observers.event_type}, or null when its rows have no observers. */
    String eventType() {
      return eventType;
    }

    abstract List<HubRows.Query<R>> queries(HubSource source, NodeDirectory nodes) throws SQLException;

    /** The row's id, kept with the checkpoint. */
    abstract String id(R row);

    /** Rows with the same group are never split between batches. */
    abstract String group(R row);

    /** A batch big enough is cut where this changes. */
    String cut(R row) {
      return group(row);
    }

    String eventHash(R row) {
      return null;
    }

    /**
     * The commands of a batch, and what it adds to the counters.
     *
     * @param next the row after the batch, or null at the end of the table
     */
    abstract void build(List<R> rows, Map<String, List<HubRows.ObserverRow>> observers, R next, HubMapping mapping,
        Counters counters, List<List<ImportBatch.Send>> work);

    /** The read tables this source table fills, for the reconciliation. */
    abstract List<String> readTables();

    /**
     * Whether its entities are message entities, one per packet, whose events the import appends to the journal itself
     * when the entity has none yet (see {@link HubImport}); node entities always get commands.
     */
    boolean appendsPackets() {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** {@code nodes}: an observer node's role; every other node comes with its adverts, telemetry or tags. */
  static final class Nodes extends Table<NodeDirectory.Node> {
    static final String NOTE_CARRIED = "node_carried_by_other_tables";

    Nodes() {
      super("nodes", null);
    }

    @Override
    List<HubRows.Query<NodeDirectory.Node>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return List.of(HubRows.nodes(source, nodes));
    }

    @Override
    String id(NodeDirectory.Node row) {
      return row.id();
    }

    @Override
    String group(NodeDirectory.Node row) {
      return row.id();
    }

    @Override
    void build(List<NodeDirectory.Node> rows, Map<String, List<HubRows.ObserverRow>> observers,
        NodeDirectory.Node next, HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      for (NodeDirectory.Node node : rows) {
        if (!node.observer()) {
          counters.increment(Counters.NOTE + NOTE_CARRIED);
          continue;
        }
        HubMapping.Result<List<NodeEntity.ObserverStatus>> status = mapping.observerStatus(node);
        if (!status.mapped()) {
          counters.unmapped(status.reason());
          continue;
        }
        counters.increment(Counters.MAPPED);
        counters.add(Counters.EXPECT + READ_STATUS_HISTORY, status.value().size());
        work.add(List.of(new ImportBatch.ToNode(node.publicKey(), List.of(), List.of(), List.of(), status.value())));
      }
    }

    @Override
    List<String> readTables() {
      return List.of(READ_STATUS_HISTORY);
    }
  }

  /** {@code node_tags}: each node's tags in one command. */
  static final class Tags extends Table<HubRows.TagRow> {
    Tags() {
      super("node_tags", null);
    }

    @Override
    List<HubRows.Query<HubRows.TagRow>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return List.of(HubRows.tags(source));
    }

    @Override
    String id(HubRows.TagRow row) {
      return row.id();
    }

    @Override
    String group(HubRows.TagRow row) {
      return String.valueOf(row.nodeId());
    }

    @Override
    void build(List<HubRows.TagRow> rows, Map<String, List<HubRows.ObserverRow>> observers, HubRows.TagRow next,
        HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      Map<String, List<NodeEntity.TagValue>> byNode = new LinkedHashMap<>();
      Set<String> distinct = new HashSet<>();
      for (HubRows.TagRow row : rows) {
        HubMapping.Result<HubMapping.Tag> tag = mapping.tag(row, counters);
        if (!tag.mapped()) {
          counters.unmapped(tag.reason());
          continue;
        }
        counters.increment(Counters.MAPPED);
        byNode.computeIfAbsent(tag.value().publicKey(), k -> new ArrayList<>()).add(tag.value().value());
        if (distinct.add(tag.value().publicKey() + "|" + tag.value().value().key())) {
          counters.increment(Counters.EXPECT + READ_TAGS);
        }
      }
      byNode.forEach((key, tags) -> work.add(chunks(key, List.of(), List.of(), tags)));
    }

    @Override
    List<String> readTables() {
      return List.of(READ_TAGS);
    }
  }

  /** {@code advertisements} and their observers: a node's adverts by advert time, in commands of the node's. */
  static final class Adverts extends Table<HubRows.AdvertRow> {
    Adverts() {
      super("advertisements", "advertisement");
    }

    @Override
    List<HubRows.Query<HubRows.AdvertRow>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return List.of(HubRows.adverts(source));
    }

    @Override
    String id(HubRows.AdvertRow row) {
      return row.id();
    }

    @Override
    String group(HubRows.AdvertRow row) {
      return cut(row) + "|" + HubMapping.advertTimestamp(row);
    }

    @Override
    String cut(HubRows.AdvertRow row) {
      String key = HubMapping.advertKey(row);
      return key != null ? key : "row:" + row.id();
    }

    @Override
    String eventHash(HubRows.AdvertRow row) {
      return row.eventHash();
    }

    @Override
    void build(List<HubRows.AdvertRow> rows, Map<String, List<HubRows.ObserverRow>> observers,
        HubRows.AdvertRow next, HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      int i = 0;
      while (i < rows.size()) {
        // One node's run of rows within the batch.
        String node = cut(rows.get(i));
        int end = i;
        long latest = -1;
        while (end < rows.size() && cut(rows.get(end)).equals(node)) {
          latest = Math.max(latest, HubMapping.advertTimestamp(rows.get(end)));
          end++;
        }
        boolean runEnds = next == null || !cut(next).equals(node);
        List<NodeEntity.AdvertReceptions> adverts = new ArrayList<>();
        Map<Long, Set<String>> heard = new TreeMap<>();
        for (HubRows.AdvertRow row : rows.subList(i, end)) {
          List<HubRows.ObserverRow> seen = observers.getOrDefault(row.eventHash(), List.of());
          counters.add(Counters.OBSERVERS, seen.size());
          boolean located = runEnds && HubMapping.advertTimestamp(row) == latest;
          HubMapping.Result<NodeEntity.Advert> advert = mapping.advert(row, located, counters);
          if (!advert.mapped()) {
            counters.unmapped(advert.reason());
            counters.unmapped(Unmapped.OBSERVER_OF_UNMAPPED, seen.size());
            continue;
          }
          List<Reception> receptions = mapping.receptions(seen, row.observerNodeId(), row.receivedAt(), null, null,
              counters);
          if (receptions.isEmpty()) {
            counters.unmapped(Unmapped.NO_OBSERVER);
            continue;
          }
          counters.increment(Counters.MAPPED);
          adverts.add(new NodeEntity.AdvertReceptions(advert.value(), receptions));
          Set<String> by = heard.computeIfAbsent(advert.value().advertTimestamp(), t -> new HashSet<>());
          receptions.forEach(r -> by.add(r.observer()));
        }
        counters.add(Counters.EXPECT + READ_ADVERTS, heard.size());
        counters.add(Counters.EXPECT + READ_ADVERT_RECEPTIONS, heard.values().stream().mapToLong(Set::size).sum());
        if (!adverts.isEmpty()) {
          work.add(chunks(node, adverts, List.of(), List.of()));
        }
        i = end;
      }
    }

    @Override
    List<String> readTables() {
      return List.of(READ_ADVERTS, READ_ADVERT_RECEPTIONS);
    }
  }

  /** {@code messages} and their observers: the rows of one MeshHub message (one packet) in one command. */
  static final class Messages extends Table<HubRows.MessageRow> {
    Messages() {
      super("messages", "message");
    }

    @Override
    List<HubRows.Query<HubRows.MessageRow>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return HubRows.messages(source);
    }

    @Override
    String id(HubRows.MessageRow row) {
      return row.id();
    }

    @Override
    String group(HubRows.MessageRow row) {
      String key = HubMapping.messageKey(row);
      return key != null ? key : "row:" + row.id();
    }

    @Override
    String eventHash(HubRows.MessageRow row) {
      return row.eventHash();
    }

    @Override
    void build(List<HubRows.MessageRow> rows, Map<String, List<HubRows.ObserverRow>> observers,
        HubRows.MessageRow next, HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      Map<String, MessageEntity.MessageContent> contents = new LinkedHashMap<>();
      Map<String, Map<String, Reception>> heard = new HashMap<>();
      for (HubRows.MessageRow row : rows) {
        List<HubRows.ObserverRow> seen = observers.getOrDefault(row.eventHash(), List.of());
        counters.add(Counters.OBSERVERS, seen.size());
        HubMapping.Result<MessageEntity.MessageContent> content = mapping.message(row, counters);
        if (!content.mapped()) {
          counters.unmapped(content.reason());
          counters.unmapped(Unmapped.OBSERVER_OF_UNMAPPED, seen.size());
          continue;
        }
        List<Reception> receptions = mapping.receptions(seen, row.observerNodeId(), row.receivedAt(), row.pathLen(),
            row.snr(), counters);
        if (receptions.isEmpty()) {
          counters.unmapped(Unmapped.NO_OBSERVER);
          continue;
        }
        counters.increment(Counters.MAPPED);
        String key = HubMapping.messageKey(row);
        contents.putIfAbsent(key, content.value());
        merge(heard.computeIfAbsent(key, k -> new LinkedHashMap<>()), receptions);
      }
      contents.forEach((key, content) -> {
        List<Reception> receptions = ordered(heard.get(key));
        counters.increment(Counters.EXPECT + READ_MESSAGES);
        counters.add(Counters.EXPECT + READ_MESSAGE_RECEPTIONS, receptions.size());
        work.add(List.of(new ImportBatch.ToMessage(key, content, receptions)));
      });
    }

    @Override
    boolean appendsPackets() {
      return true;
    }

    @Override
    List<String> readTables() {
      return List.of(READ_MESSAGES, READ_MESSAGE_RECEPTIONS);
    }
  }

  /** {@code trace_paths} and their observers. */
  static final class Traces extends Table<HubRows.TraceRow> {
    Traces() {
      super("trace_paths", "trace");
    }

    @Override
    List<HubRows.Query<HubRows.TraceRow>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return List.of(HubRows.traces(source));
    }

    @Override
    String id(HubRows.TraceRow row) {
      return row.id();
    }

    @Override
    String group(HubRows.TraceRow row) {
      String key = HubMapping.traceKey(row);
      return key != null ? key : "row:" + row.id();
    }

    @Override
    String eventHash(HubRows.TraceRow row) {
      return row.eventHash();
    }

    @Override
    void build(List<HubRows.TraceRow> rows, Map<String, List<HubRows.ObserverRow>> observers, HubRows.TraceRow next,
        HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      Map<String, MessageEntity.TraceContent> contents = new LinkedHashMap<>();
      Map<String, Map<String, Reception>> heard = new HashMap<>();
      for (HubRows.TraceRow row : rows) {
        List<HubRows.ObserverRow> seen = observers.getOrDefault(row.eventHash(), List.of());
        counters.add(Counters.OBSERVERS, seen.size());
        HubMapping.Result<MessageEntity.TraceContent> content = mapping.trace(row);
        if (!content.mapped()) {
          counters.unmapped(content.reason());
          counters.unmapped(Unmapped.OBSERVER_OF_UNMAPPED, seen.size());
          continue;
        }
        List<Reception> receptions = mapping.receptions(seen, row.observerNodeId(), row.receivedAt(), row.pathLen(),
            null, counters);
        if (receptions.isEmpty()) {
          counters.unmapped(Unmapped.NO_OBSERVER);
          continue;
        }
        counters.increment(Counters.MAPPED);
        String key = HubMapping.traceKey(row);
        contents.putIfAbsent(key, content.value());
        merge(heard.computeIfAbsent(key, k -> new LinkedHashMap<>()), receptions);
      }
      contents.forEach((key, content) -> {
        List<Reception> receptions = ordered(heard.get(key));
        counters.increment(Counters.EXPECT + READ_TRACES);
        counters.add(Counters.EXPECT + READ_TRACE_RECEPTIONS, receptions.size());
        work.add(List.of(new ImportBatch.ToTrace(key, content, receptions)));
      });
    }

    @Override
    boolean appendsPackets() {
      return true;
    }

    @Override
    List<String> readTables() {
      return List.of(READ_TRACES, READ_TRACE_RECEPTIONS);
    }
  }

  /** {@code telemetry} and its observers: one reading per observer that heard it, a node's in its commands. */
  static final class Telemetry extends Table<HubRows.TelemetryRow> {
    Telemetry() {
      super("telemetry", "telemetry");
    }

    @Override
    List<HubRows.Query<HubRows.TelemetryRow>> queries(HubSource source, NodeDirectory nodes) throws SQLException {
      return List.of(HubRows.telemetry(source));
    }

    @Override
    String id(HubRows.TelemetryRow row) {
      return row.id();
    }

    @Override
    String group(HubRows.TelemetryRow row) {
      String key = HubMapping.telemetryKey(row);
      return key != null ? key : "row:" + row.id();
    }

    @Override
    String eventHash(HubRows.TelemetryRow row) {
      return row.eventHash();
    }

    @Override
    void build(List<HubRows.TelemetryRow> rows, Map<String, List<HubRows.ObserverRow>> observers,
        HubRows.TelemetryRow next, HubMapping mapping, Counters counters, List<List<ImportBatch.Send>> work) {
      Map<String, List<NodeEntity.Telemetry>> byNode = new LinkedHashMap<>();
      Map<String, Set<String>> distinct = new HashMap<>();
      for (HubRows.TelemetryRow row : rows) {
        List<HubRows.ObserverRow> seen = observers.getOrDefault(row.eventHash(), List.of());
        counters.add(Counters.OBSERVERS, seen.size());
        HubMapping.Result<String> data = mapping.telemetryData(row);
        if (!data.mapped()) {
          counters.unmapped(data.reason());
          counters.unmapped(Unmapped.OBSERVER_OF_UNMAPPED, seen.size());
          continue;
        }
        List<Reception> receptions = mapping.receptions(seen, row.observerNodeId(), row.receivedAt(), null, null,
            counters);
        List<NodeEntity.Telemetry> readings = new ArrayList<>();
        for (Reception r : receptions) {
          readings.add(new NodeEntity.Telemetry(r.observer(), r.receivedAt(), data.value()));
        }
        if (readings.isEmpty()) {
          // Telemetry keeps a reading whose observer is unknown.
          readings.add(new NodeEntity.Telemetry(null, row.receivedAt(), data.value()));
        }
        counters.increment(Counters.MAPPED);
        String key = HubMapping.telemetryKey(row);
        byNode.computeIfAbsent(key, k -> new ArrayList<>()).addAll(readings);
        Set<String> known = distinct.computeIfAbsent(key, k -> new HashSet<>());
        for (NodeEntity.Telemetry t : readings) {
          if (known.add(t.observer() + "\n" + t.receivedAt() + "\n" + t.dataJson())) {
            counters.increment(Counters.EXPECT + READ_TELEMETRY);
          }
        }
      }
      byNode.forEach((key, readings) -> work.add(chunks(key, List.of(), readings, List.of())));
    }

    @Override
    List<String> readTables() {
      return List.of(READ_TELEMETRY);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Adds receptions by observers not heard yet; an observer heard twice keeps its earlier reception. */
  private static void merge(Map<String, Reception> byObserver, List<Reception> receptions) {
    for (Reception r : receptions) {
      byObserver.merge(r.observer(), r, (a, b) -> b.receivedAt().isBefore(a.receivedAt()) ? b : a);
    }
  }

  private static List<Reception> ordered(Map<String, Reception> byObserver) {
    List<Reception> out = new ArrayList<>(byObserver.values());
    out.sort(java.util.Comparator.comparing(Reception::receivedAt).thenComparing(Reception::observer));
    return out;
  }

  /** A node's items cut into commands of at most {@link #NODE_COMMAND_ITEMS} items, in order. */
  static List<ImportBatch.Send> chunks(String publicKey, List<NodeEntity.AdvertReceptions> adverts,
      List<NodeEntity.Telemetry> telemetry, List<NodeEntity.TagValue> tags) {
    List<ImportBatch.Send> out = new ArrayList<>();
    List<NodeEntity.AdvertReceptions> a = new ArrayList<>();
    int size = 0;
    for (NodeEntity.AdvertReceptions advert : adverts) {
      if (size > 0 && size + advert.receptions().size() > NODE_COMMAND_ITEMS) {
        out.add(new ImportBatch.ToNode(publicKey, a, List.of(), List.of(), List.of()));
        a = new ArrayList<>();
        size = 0;
      }
      a.add(advert);
      size += advert.receptions().size();
    }
    if (!a.isEmpty()) {
      out.add(new ImportBatch.ToNode(publicKey, a, List.of(), List.of(), List.of()));
    }
    for (int from = 0; from < telemetry.size(); from += NODE_COMMAND_ITEMS) {
      out.add(new ImportBatch.ToNode(publicKey, List.of(),
          telemetry.subList(from, Math.min(telemetry.size(), from + NODE_COMMAND_ITEMS)), List.of(), List.of()));
    }
    for (int from = 0; from < tags.size(); from += NODE_COMMAND_ITEMS) {
      out.add(new ImportBatch.ToNode(publicKey, List.of(), List.of(),
          tags.subList(from, Math.min(tags.size(), from + NODE_COMMAND_ITEMS)), List.of()));
    }
    return out;
  }
}
