package org.meshhub.core.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.meshhub.core.BatchOutcome;
import org.meshhub.core.EntitySettings;
import org.meshhub.core.EntitySupervision;
import org.meshhub.core.Formats;
import org.meshhub.core.MeshHubSerializable;
import org.meshhub.core.Outcome;
import org.meshhub.core.Reception;
import org.meshhub.core.Slices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mesh node, identified by its public key: its adverts and who heard them, its telemetry, its status feed when
 * it is an observer, and the tags an operator put on it.
 *
 * <p>Ingest is idempotent: the same advert (public key + advert timestamp) heard by many observers is recorded once
 * with one reception per observer, and a redelivery from the same observer changes nothing.
 */
public final class NodeEntity
    extends EventSourcedBehaviorWithEnforcedReplies<NodeEntity.Command, NodeEntity.Event, NodeEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Node");

  /** Prefix of the slice tags of node events: {@code node-0} .. {@code node-3}. */
  public static final String TAG_PREFIX = "node";

  public static final List<String> TAGS = Slices.tags(TAG_PREFIX);

  /** How many of the most recent advert timestamps keep their observers, for deduplication. */
  public static final int ADVERT_WINDOW = 64;

  /** How many recent telemetry readings are remembered, for deduplication. */
  public static final int TELEMETRY_WINDOW = 64;

  public static final int MAX_TAG_VALUE_LENGTH = 1024;

  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  // ---------------------------------------------------------------------------------------------------------------
  // Values

  /**
   * A node's advertisement, as decoded from the radio packet.
   *
   * @param advertTimestamp the advert's own signed timestamp, epoch seconds; with the public key it identifies the
   *     advert
   * @param advType {@code none}, {@code chat}, {@code repeater}, {@code room}, {@code sensor} or another type name
   * @param signatureValid whether the advert's Ed25519 signature verified against the public key
   * @param packetHash hash of the radio packet, 16 upper-case hex, if known
   * @param raw the whole packet as hex, if kept
   */
  public record Advert(
      long advertTimestamp,
      String name,
      String advType,
      int flags,
      Double lat,
      Double lon,
      boolean signatureValid,
      String packetHash,
      String raw)
      implements MeshHubSerializable {

    public Advert {
      if (advertTimestamp < 0 || advertTimestamp > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("advertTimestamp must be an unsigned 32-bit epoch, got " + advertTimestamp);
      }
      if (advType == null || advType.isBlank()) {
        throw new IllegalArgumentException("advType is required");
      }
      if (flags < 0 || flags > 0xFF) {
        throw new IllegalArgumentException("flags must be one byte, got " + flags);
      }
      if (lat != null && !(lat >= -90.0 && lat <= 90.0)) {
        throw new IllegalArgumentException("lat must be within [-90, 90], got " + lat);
      }
      if (lon != null && !(lon >= -180.0 && lon <= 180.0)) {
        throw new IllegalArgumentException("lon must be within [-180, 180], got " + lon);
      }
      if (packetHash != null && !Formats.isPacketHash(packetHash)) {
        throw new IllegalArgumentException("packetHash must be 16 upper-case hex characters, got [" + packetHash + "]");
      }
      if (raw != null && !Formats.isHex(raw)) {
        throw new IllegalArgumentException("raw must be hex");
      }
    }
  }

  /**
   * A telemetry reading of the node.
   *
   * @param observer who received it, if known
   * @param dataJson the decoded readings as a JSON document
   */
  public record Telemetry(String observer, Instant receivedAt, String dataJson) implements MeshHubSerializable {

    public Telemetry {
      if (observer != null && !Formats.isPublicKey(observer)) {
        throw new IllegalArgumentException(
            "observer must be a public key of 64 lower-case hex characters, got [" + observer + "]");
      }
      Objects.requireNonNull(receivedAt, "receivedAt");
      Objects.requireNonNull(dataJson, "dataJson");
    }
  }

  /**
   * A report from the status feed of an observer (the node itself uploads what it hears).
   *
   * @param status {@code online}, {@code offline} or {@code null} when not reported
   * @param statsJson the radio and queue statistics as a JSON document, if reported
   */
  public record ObserverStatus(
      String name,
      String status,
      String model,
      String firmwareVersion,
      String radio,
      String clientVersion,
      String statsJson,
      Instant reportedAt)
      implements MeshHubSerializable {

    public ObserverStatus {
      Objects.requireNonNull(reportedAt, "reportedAt");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Commands

  public sealed interface Command extends MeshHubSerializable {}

  /** An advert heard by one observer. */
  public record RecordAdvert(Advert advert, Reception reception, ActorRef<StatusReply<Outcome>> replyTo)
      implements Command {}

  public record RecordTelemetry(Telemetry telemetry, ActorRef<StatusReply<Outcome>> replyTo) implements Command {}

  public record ReportObserverStatus(ObserverStatus status, ActorRef<StatusReply<Outcome>> replyTo)
      implements Command {}

  /** Sets an operator's tag; key: 1-64 characters of {@code [A-Za-z0-9_.-]}, value: at most 1024 characters. */
  public record SetTag(String key, String value, ActorRef<StatusReply<Outcome>> replyTo) implements Command {}

  public record RemoveTag(String key, ActorRef<StatusReply<Outcome>> replyTo) implements Command {}

  public record Get(ActorRef<Summary> replyTo) implements Command {}

  /** An advert with every observer that heard it, for {@link RecordHistory}. */
  public record AdvertReceptions(Advert advert, List<Reception> receptions) implements MeshHubSerializable {

    public AdvertReceptions {
      Objects.requireNonNull(advert, "advert");
      receptions = List.copyOf(receptions);
    }
  }

  /** A tag as it was set at a time of its own, for {@link RecordHistory}. */
  public record TagValue(String key, String value, Instant at) implements MeshHubSerializable {

    public TagValue {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The node's history in one command (an import): adverts with their receptions, telemetry readings, tags and status
   * reports. Each item is taken by the rules of the single commands, in order, against the state the items before it
   * left, so that the same advert twice in one command is one advert; everything new is persisted at once. A command
   * with an item the single commands would refuse (a bad tag) is refused as a whole.
   */
  public record RecordHistory(List<AdvertReceptions> adverts, List<Telemetry> telemetry, List<TagValue> tags,
      List<ObserverStatus> statuses, ActorRef<StatusReply<BatchOutcome>> replyTo) implements Command {

    public RecordHistory {
      adverts = List.copyOf(adverts);
      telemetry = List.copyOf(telemetry);
      tags = List.copyOf(tags);
      statuses = List.copyOf(statuses);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events

  public sealed interface Event extends MeshHubSerializable {
    String publicKey();
  }

  /** The first reception of an advert (public key + advert timestamp). */
  public record AdvertRecorded(String publicKey, Advert advert, Reception reception) implements Event {}

  /** An advert already recorded, heard by another observer. */
  public record AdvertHeard(String publicKey, long advertTimestamp, Reception reception) implements Event {}

  public record TelemetryRecorded(String publicKey, Telemetry telemetry) implements Event {}

  /** A status report; the node is an observer from then on. */
  public record ObserverStatusReported(String publicKey, ObserverStatus status) implements Event {}

  public record TagSet(String publicKey, String key, String value, Instant at) implements Event {}

  public record TagRemoved(String publicKey, String key, Instant at) implements Event {}

  // ---------------------------------------------------------------------------------------------------------------
  // Replies

  /**
   * What is known about a node. Fields that come from adverts are {@code null} until a validly signed advert has
   * been recorded.
   *
   * @param advertCount how many distinct adverts were recorded
   * @param receptionCount how many advert receptions were recorded, over all adverts and observers
   */
  public record Summary(
      String publicKey,
      String name,
      String advType,
      Integer flags,
      Double lat,
      Double lon,
      Long lastAdvertTimestamp,
      Instant firstSeen,
      Instant lastSeen,
      boolean observer,
      Map<String, String> tags,
      long advertCount,
      long receptionCount)
      implements MeshHubSerializable {

    public Summary {
      tags = Map.copyOf(tags);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // State

  /**
   * The node as its events made it.
   *
   * @param latestAdvert the validly signed advert with the highest advert timestamp: the node's name, type and
   *     location
   * @param firstSeen earliest time the node was heard (advert receptions, telemetry, status reports)
   * @param lastSeen latest time the node was heard
   * @param observer whether the node has reported an observer status
   * @param lastStatus the latest observer status report, to drop identical repeats
   * @param advertObservers observers of the {@value #ADVERT_WINDOW} most recent advert timestamps
   * @param recentTelemetry digests of the {@value #TELEMETRY_WINDOW} most recent telemetry readings, oldest first
   */
  public record State(
      String publicKey,
      Advert latestAdvert,
      Instant firstSeen,
      Instant lastSeen,
      boolean observer,
      ObserverStatus lastStatus,
      Map<String, String> tags,
      long advertCount,
      long receptionCount,
      Map<Long, Set<String>> advertObservers,
      List<String> recentTelemetry)
      implements MeshHubSerializable {

    public State {
      Objects.requireNonNull(publicKey, "publicKey");
      tags = Map.copyOf(tags);
      // Shallow: the observer sets are immutable copies made by withObserver (or fresh from deserialization) and are
      // never mutated; a deep copy here would copy every set on every event of a busy node.
      advertObservers = Map.copyOf(advertObservers);
      recentTelemetry = List.copyOf(recentTelemetry);
    }

    public static State empty(String publicKey) {
      return new State(publicKey, null, null, null, false, null, Map.of(), 0, 0, Map.of(), List.of());
    }

    boolean knowsAdvert(long advertTimestamp) {
      return advertObservers.containsKey(advertTimestamp);
    }

    boolean heardAdvertFrom(long advertTimestamp, String observer) {
      return advertObservers.getOrDefault(advertTimestamp, Set.of()).contains(observer);
    }

    boolean knowsTelemetry(Telemetry telemetry) {
      return recentTelemetry.contains(digest(telemetry));
    }

    State recordAdvert(Advert advert, Reception reception) {
      boolean newer =
          advert.signatureValid()
              && (latestAdvert == null || advert.advertTimestamp() > latestAdvert.advertTimestamp());
      return new State(
          publicKey,
          newer ? advert : latestAdvert,
          earliest(firstSeen, reception.receivedAt()),
          latest(lastSeen, reception.receivedAt()),
          observer,
          lastStatus,
          tags,
          advertCount + 1,
          receptionCount + 1,
          withObserver(advert.advertTimestamp(), reception.observer()),
          recentTelemetry);
    }

    State hearAdvert(long advertTimestamp, Reception reception) {
      return new State(
          publicKey,
          latestAdvert,
          earliest(firstSeen, reception.receivedAt()),
          latest(lastSeen, reception.receivedAt()),
          observer,
          lastStatus,
          tags,
          advertCount,
          receptionCount + 1,
          withObserver(advertTimestamp, reception.observer()),
          recentTelemetry);
    }

    State recordTelemetry(Telemetry telemetry) {
      List<String> recent = new ArrayList<>(recentTelemetry);
      recent.add(digest(telemetry));
      while (recent.size() > TELEMETRY_WINDOW) {
        recent.remove(0);
      }
      return new State(
          publicKey,
          latestAdvert,
          earliest(firstSeen, telemetry.receivedAt()),
          latest(lastSeen, telemetry.receivedAt()),
          observer,
          lastStatus,
          tags,
          advertCount,
          receptionCount,
          advertObservers,
          recent);
    }

    /** An {@code offline} report (often the broker's last will) does not count as hearing the node. */
    State reportStatus(ObserverStatus status) {
      boolean heard = !"offline".equals(status.status());
      return new State(
          publicKey,
          latestAdvert,
          heard ? earliest(firstSeen, status.reportedAt()) : firstSeen,
          heard ? latest(lastSeen, status.reportedAt()) : lastSeen,
          true,
          status,
          tags,
          advertCount,
          receptionCount,
          advertObservers,
          recentTelemetry);
    }

    State setTag(String key, String value) {
      Map<String, String> next = new HashMap<>(tags);
      next.put(key, value);
      return withTags(next);
    }

    State removeTag(String key) {
      Map<String, String> next = new HashMap<>(tags);
      next.remove(key);
      return withTags(next);
    }

    Summary summary() {
      Advert advert = latestAdvert;
      return new Summary(
          publicKey,
          advert == null ? null : advert.name(),
          advert == null ? null : advert.advType(),
          advert == null ? null : advert.flags(),
          advert == null ? null : advert.lat(),
          advert == null ? null : advert.lon(),
          advert == null ? null : advert.advertTimestamp(),
          firstSeen,
          lastSeen,
          observer,
          tags,
          advertCount,
          receptionCount);
    }

    private State withTags(Map<String, String> next) {
      return new State(
          publicKey,
          latestAdvert,
          firstSeen,
          lastSeen,
          observer,
          lastStatus,
          next,
          advertCount,
          receptionCount,
          advertObservers,
          recentTelemetry);
    }

    /** Adds the observer, then forgets the oldest advert timestamps beyond the window. */
    private Map<Long, Set<String>> withObserver(long advertTimestamp, String observer) {
      Map<Long, Set<String>> next = new HashMap<>(advertObservers);
      Set<String> observers = new HashSet<>(next.getOrDefault(advertTimestamp, Set.of()));
      observers.add(observer);
      next.put(advertTimestamp, Set.copyOf(observers));
      while (next.size() > ADVERT_WINDOW) {
        next.remove(Collections.min(next.keySet()));
      }
      return next;
    }

    private static Instant earliest(Instant known, Instant seen) {
      return known == null || seen.isBefore(known) ? seen : known;
    }

    private static Instant latest(Instant known, Instant seen) {
      return known == null || seen.isAfter(known) ? seen : known;
    }

    /** A short digest of what identifies a telemetry reading, so the window stays small whatever the payload. */
    private static String digest(Telemetry telemetry) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        String identity = telemetry.observer() + '\n' + telemetry.receivedAt() + '\n' + telemetry.dataJson();
        byte[] hash = sha256.digest(identity.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Boilerplate shared by the entities

  /** Registers the entity type with cluster sharding, passivating idle nodes after {@code settings}' time. */
  public static void init(ActorSystem<?> system, EntitySettings settings) {
    ClusterShardingSettings sharding = ClusterShardingSettings.create(system);
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    context -> create(context.getEntityId(), Slices.tagFor(TAG_PREFIX, context.getEntityId())))
                .withSettings(
                    sharding.withPassivationStrategy(
                        sharding.passivationStrategySettings().withIdleEntityPassivation(settings.passivateAfter()))));
  }

  /**
   * @param entityId the node's public key; anything else makes every record command fail with an error reply
   * @param tag the slice tag of all its events
   */
  public static Behavior<Command> create(String entityId, String tag) {
    return new NodeEntity(entityId, tag);
  }

  private static final Logger LOG = LoggerFactory.getLogger(NodeEntity.class);

  private final String publicKey;
  private final String tag;
  private final String invalidId;

  private NodeEntity(String publicKey, String tag) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), publicKey),
        EntitySupervision.restartWithBackoff());
    this.publicKey = publicKey;
    this.tag = Objects.requireNonNull(tag, "tag");
    this.invalidId =
        Formats.isPublicKey(publicKey)
            ? null
            : "invalid node id [" + publicKey + "]: expected a public key of 64 lower-case hex characters";
  }

  @Override
  public State emptyState() {
    return State.empty(publicKey);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tag);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordAdvert.class, this::onRecordAdvert)
        .onCommand(RecordTelemetry.class, this::onRecordTelemetry)
        .onCommand(ReportObserverStatus.class, this::onReportObserverStatus)
        .onCommand(SetTag.class, this::onSetTag)
        .onCommand(RemoveTag.class, this::onRemoveTag)
        .onCommand(RecordHistory.class, this::onRecordHistory)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), state.summary()))
        .build();
  }

  private ReplyEffect<Event, State> onRecordAdvert(State state, RecordAdvert command) {
    if (invalidId != null) {
      return reject(command.replyTo(), invalidId);
    }
    if (command.advert() == null || command.reception() == null) {
      return reject(command.replyTo(), "an advert and its reception are required");
    }
    long advertTimestamp = command.advert().advertTimestamp();
    if (state.heardAdvertFrom(advertTimestamp, command.reception().observer())) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    if (state.knowsAdvert(advertTimestamp)) {
      return persist(
          new AdvertHeard(publicKey, advertTimestamp, command.reception()), command.replyTo(), Outcome.RECEPTION_ADDED);
    }
    return persist(
        new AdvertRecorded(publicKey, command.advert(), command.reception()), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onRecordTelemetry(State state, RecordTelemetry command) {
    if (invalidId != null) {
      return reject(command.replyTo(), invalidId);
    }
    if (command.telemetry() == null) {
      return reject(command.replyTo(), "telemetry is required");
    }
    if (state.knowsTelemetry(command.telemetry())) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    return persist(new TelemetryRecorded(publicKey, command.telemetry()), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onReportObserverStatus(State state, ReportObserverStatus command) {
    if (invalidId != null) {
      return reject(command.replyTo(), invalidId);
    }
    if (command.status() == null) {
      return reject(command.replyTo(), "a status is required");
    }
    if (command.status().equals(state.lastStatus())) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    return persist(new ObserverStatusReported(publicKey, command.status()), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onSetTag(State state, SetTag command) {
    String problem = invalidId != null ? invalidId : tagProblem(command.key(), command.value());
    if (problem != null) {
      return reject(command.replyTo(), problem);
    }
    if (command.value().equals(state.tags().get(command.key()))) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    return persist(
        new TagSet(publicKey, command.key(), command.value(), Instant.now()), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onRemoveTag(State state, RemoveTag command) {
    String problem = invalidId != null ? invalidId : tagKeyProblem(command.key());
    if (problem != null) {
      return reject(command.replyTo(), problem);
    }
    if (!state.tags().containsKey(command.key())) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    return persist(new TagRemoved(publicKey, command.key(), Instant.now()), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onRecordHistory(State state, RecordHistory command) {
    String problem = invalidId;
    for (TagValue tag : command.tags()) {
      if (problem == null) {
        problem = tagProblem(tag.key(), tag.value());
      }
    }
    if (problem != null) {
      return Effect().reply(command.replyTo(), StatusReply.error(problem));
    }
    List<Event> events = new ArrayList<>();
    State next = state;
    int recorded = 0;
    int added = 0;
    int duplicates = 0;
    for (AdvertReceptions advert : command.adverts()) {
      long advertTimestamp = advert.advert().advertTimestamp();
      for (Reception reception : advert.receptions()) {
        Event event;
        if (next.heardAdvertFrom(advertTimestamp, reception.observer())) {
          duplicates++;
          continue;
        } else if (next.knowsAdvert(advertTimestamp)) {
          event = new AdvertHeard(publicKey, advertTimestamp, reception);
          added++;
        } else {
          event = new AdvertRecorded(publicKey, advert.advert(), reception);
          recorded++;
        }
        events.add(event);
        next = apply(next, event);
      }
    }
    for (Telemetry telemetry : command.telemetry()) {
      if (next.knowsTelemetry(telemetry)) {
        duplicates++;
        continue;
      }
      Event event = new TelemetryRecorded(publicKey, telemetry);
      recorded++;
      events.add(event);
      next = apply(next, event);
    }
    for (TagValue tag : command.tags()) {
      if (tag.value().equals(next.tags().get(tag.key()))) {
        duplicates++;
        continue;
      }
      Event event = new TagSet(publicKey, tag.key(), tag.value(), tag.at());
      recorded++;
      events.add(event);
      next = apply(next, event);
    }
    for (ObserverStatus status : command.statuses()) {
      if (status.equals(next.lastStatus())) {
        duplicates++;
        continue;
      }
      Event event = new ObserverStatusReported(publicKey, status);
      recorded++;
      events.add(event);
      next = apply(next, event);
    }
    BatchOutcome outcome = new BatchOutcome(recorded, added, duplicates);
    if (events.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(outcome));
    }
    return Effect().persist(events).thenReply(command.replyTo(), s -> StatusReply.success(outcome));
  }

  /** Why a tag cannot be set, or null when it can: the rules of {@link SetTag}. */
  public static String tagProblem(String key, String value) {
    String problem = tagKeyProblem(key);
    if (problem == null && value == null) {
      problem = "tag value is required";
    }
    if (problem == null && value.length() > MAX_TAG_VALUE_LENGTH) {
      problem = "tag value of [" + key + "] is " + value.length() + " characters long, at most "
          + MAX_TAG_VALUE_LENGTH + " are allowed";
    }
    return problem;
  }

  private static String tagKeyProblem(String key) {
    if (key != null && TAG_KEY.matcher(key).matches()) {
      return null;
    }
    return "invalid tag key [" + key + "]: expected 1 to 64 characters of letters, digits, '_', '.' or '-'";
  }

  private ReplyEffect<Event, State> persist(Event event, ActorRef<StatusReply<Outcome>> replyTo, Outcome outcome) {
    return Effect().persist(event).thenReply(replyTo, state -> StatusReply.success(outcome));
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<Outcome>> replyTo, String problem) {
    return Effect().reply(replyTo, StatusReply.error(problem));
  }

  /** A journal that cannot be read (the database away) is logged once in a while, not per entity; see
   * {@link EntitySupervision}. */
  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryFailed.class, (state, failed) ->
            EntitySupervision.recoveryFailed(LOG, "Node", publicKey, failed.getFailure()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(NodeEntity::apply);
  }

  /** The state after an event: what the event handler does, also used to check the events of one command in turn. */
  static State apply(State state, Event event) {
    if (event instanceof AdvertRecorded e) {
      return state.recordAdvert(e.advert(), e.reception());
    } else if (event instanceof AdvertHeard e) {
      return state.hearAdvert(e.advertTimestamp(), e.reception());
    } else if (event instanceof TelemetryRecorded e) {
      return state.recordTelemetry(e.telemetry());
    } else if (event instanceof ObserverStatusReported e) {
      return state.reportStatus(e.status());
    } else if (event instanceof TagSet e) {
      return state.setTag(e.key(), e.value());
    } else if (event instanceof TagRemoved e) {
      return state.removeTag(e.key());
    }
    throw new IllegalStateException("unknown event " + event.getClass().getName());
  }
}
