package org.meshhub.core.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
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
 * One radio packet, identified by its packet hash: a channel or contact message, a trace, or any other payload. The
 * first reception records what the packet carries; receptions by other observers record only who heard it; the same
 * observer delivering it again changes nothing.
 */
public final class MessageEntity
    extends EventSourcedBehaviorWithEnforcedReplies<MessageEntity.Command, MessageEntity.Event, MessageEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Message");

  /** Prefix of the slice tags of message events: {@code message-0} .. {@code message-3}. */
  public static final String TAG_PREFIX = "message";

  public static final List<String> TAGS = Slices.tags(TAG_PREFIX);

  /** The kinds of packet an entity records, as carried by {@link ReceptionAdded#kind()}. */
  public static final String KIND_MESSAGE = "message";

  public static final String KIND_TRACE = "trace";
  public static final String KIND_PACKET = "packet";

  // ---------------------------------------------------------------------------------------------------------------
  // Values

  /**
   * A channel or contact message as decoded from the packet.
   *
   * @param messageType {@code channel} (group text) or {@code contact} (direct text)
   * @param payloadType the MeshCore payload type, 0-15
   * @param channelHash first byte of the channel's secret hash, for channel messages
   * @param channelName the channel's name when the key is known
   * @param decrypted whether the text could be decrypted
   * @param sender the sender's name (channel messages carry it in the text)
   * @param senderTimestamp the sender's own epoch seconds
   * @param txtType the MeshCore text type (plain, command, signed)
   * @param srcHash first byte(s) of the sender's public key, lower-case hex, for contact messages
   * @param destHash first byte(s) of the recipient's public key, lower-case hex, for contact messages
   */
  public record MessageContent(
      String messageType,
      int payloadType,
      Integer channelHash,
      String channelName,
      boolean decrypted,
      String sender,
      String text,
      Long senderTimestamp,
      Integer txtType,
      String srcHash,
      String destHash)
      implements MeshHubSerializable {

    public MessageContent {
      if (!"channel".equals(messageType) && !"contact".equals(messageType)) {
        throw new IllegalArgumentException("messageType must be channel or contact, got [" + messageType + "]");
      }
      requirePayloadType(payloadType);
      if (channelHash != null && (channelHash < 0 || channelHash > 0xFF)) {
        throw new IllegalArgumentException("channelHash must be one byte, got " + channelHash);
      }
      if (srcHash != null && !Formats.isLowerHex(srcHash)) {
        throw new IllegalArgumentException("srcHash must be lower-case hex, got [" + srcHash + "]");
      }
      if (destHash != null && !Formats.isLowerHex(destHash)) {
        throw new IllegalArgumentException("destHash must be lower-case hex, got [" + destHash + "]");
      }
    }
  }

  /**
   * A trace packet: the route it was sent along and the SNR each hop measured.
   *
   * @param tag the trace's tag, unsigned 32-bit
   * @param authCode the trace's auth code, unsigned 32-bit
   * @param routeHashes the hop hashes of the route, lower-case hex each
   * @param snrs the SNR in dB measured at each hop so far
   */
  public record TraceContent(long tag, long authCode, int flags, List<String> routeHashes, List<Double> snrs)
      implements MeshHubSerializable {

    public TraceContent {
      if (tag < 0 || tag > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("tag must be unsigned 32-bit, got " + tag);
      }
      if (authCode < 0 || authCode > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("authCode must be unsigned 32-bit, got " + authCode);
      }
      routeHashes = List.copyOf(routeHashes);
      snrs = List.copyOf(snrs);
      for (String hash : routeHashes) {
        if (!Formats.isLowerHex(hash)) {
          throw new IllegalArgumentException("route hashes must be lower-case hex, got [" + hash + "]");
        }
      }
    }
  }

  /**
   * Any other packet: acknowledgements, returned paths, control packets, and so on.
   *
   * @param payloadType the MeshCore payload type, 0-15
   * @param payloadKind a name for it, such as {@code ack}, {@code path} or {@code control}
   * @param routeType the MeshCore route type, 0-3
   */
  public record PacketInfo(int payloadType, String payloadKind, int routeType) implements MeshHubSerializable {

    public PacketInfo {
      requirePayloadType(payloadType);
      if (payloadKind == null || payloadKind.isBlank()) {
        throw new IllegalArgumentException("payloadKind is required");
      }
      if (routeType < 0 || routeType > 3) {
        throw new IllegalArgumentException("routeType must be within 0-3, got " + routeType);
      }
    }
  }

  private static void requirePayloadType(int payloadType) {
    if (payloadType < 0 || payloadType > 15) {
      throw new IllegalArgumentException("payloadType must be within 0-15, got " + payloadType);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Commands

  public sealed interface Command extends MeshHubSerializable {}

  /**
   * One observer's reception of the packet.
   *
   * <p>{@code raw} is the whole packet as hex, optional.
   */
  public sealed interface RecordCommand extends Command {
    String raw();

    Reception reception();

    ActorRef<StatusReply<Outcome>> replyTo();
  }

  /** A channel or contact message. */
  public record RecordMessage(
      MessageContent content, String raw, Reception reception, ActorRef<StatusReply<Outcome>> replyTo)
      implements RecordCommand {}

  public record RecordTrace(
      TraceContent content, String raw, Reception reception, ActorRef<StatusReply<Outcome>> replyTo)
      implements RecordCommand {}

  /** A packet of any other payload type. */
  public record RecordPacket(PacketInfo info, String raw, Reception reception, ActorRef<StatusReply<Outcome>> replyTo)
      implements RecordCommand {}

  /**
   * A packet with everyone who heard it, in one command (an import of history). Each reception is taken by the rules
   * of the single record commands, in order: the first one records the packet unless it is recorded already, each
   * other observer adds a reception, an observer already known changes nothing. Everything new is persisted at once.
   */
  public sealed interface RecordReceptionsCommand extends Command {
    String raw();

    List<Reception> receptions();

    ActorRef<StatusReply<BatchOutcome>> replyTo();
  }

  /** A channel or contact message and its receptions; see {@link RecordReceptionsCommand}. */
  public record RecordMessageReceptions(MessageContent content, String raw, List<Reception> receptions,
      ActorRef<StatusReply<BatchOutcome>> replyTo) implements RecordReceptionsCommand {

    public RecordMessageReceptions {
      receptions = List.copyOf(receptions);
    }
  }

  /** A trace and its receptions; see {@link RecordReceptionsCommand}. */
  public record RecordTraceReceptions(TraceContent content, String raw, List<Reception> receptions,
      ActorRef<StatusReply<BatchOutcome>> replyTo) implements RecordReceptionsCommand {

    public RecordTraceReceptions {
      receptions = List.copyOf(receptions);
    }
  }

  public record Get(ActorRef<Summary> replyTo) implements Command {}

  // ---------------------------------------------------------------------------------------------------------------
  // Events

  public sealed interface Event extends MeshHubSerializable {
    String hash();
  }

  public record MessageRecorded(String hash, MessageContent content, String raw, Reception reception)
      implements Event {}

  public record TraceRecorded(String hash, TraceContent content, String raw, Reception reception) implements Event {}

  public record PacketRecorded(String hash, PacketInfo info, String raw, Reception reception) implements Event {}

  /**
   * The packet, already recorded, heard by another observer.
   *
   * @param kind what was recorded: {@value #KIND_MESSAGE}, {@value #KIND_TRACE} or {@value #KIND_PACKET}
   */
  public record ReceptionAdded(String hash, String kind, Reception reception) implements Event {}

  // ---------------------------------------------------------------------------------------------------------------
  // Replies

  /**
   * @param kind {@code null} until the packet is recorded
   * @param observers everyone who heard it
   */
  public record Summary(String hash, String kind, Set<String> observers) implements MeshHubSerializable {

    public Summary {
      observers = Set.copyOf(observers);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // State

  /**
   * @param kind what the packet carries, {@code null} until the first reception recorded it
   * @param observers everyone who heard it
   */
  public record State(String hash, String kind, Set<String> observers) implements MeshHubSerializable {

    public State {
      Objects.requireNonNull(hash, "hash");
      observers = Set.copyOf(observers);
    }

    public static State empty(String hash) {
      return new State(hash, null, Set.of());
    }

    boolean hasBeenRecorded() {
      return kind != null;
    }

    boolean heardBy(String observer) {
      return observers.contains(observer);
    }

    State record(String recordedKind, Reception reception) {
      return new State(hash, recordedKind, withObserver(reception.observer()));
    }

    State addReception(Reception reception) {
      return new State(hash, kind, withObserver(reception.observer()));
    }

    Summary summary() {
      return new Summary(hash, kind, observers);
    }

    private Set<String> withObserver(String observer) {
      Set<String> next = new HashSet<>(observers);
      next.add(observer);
      return next;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Boilerplate shared by the entities

  /** Registers the entity type with cluster sharding, passivating idle messages after {@code settings}' time. */
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
   * @param entityId the packet hash; anything else makes every record command fail with an error reply
   * @param tag the slice tag of all its events
   */
  public static Behavior<Command> create(String entityId, String tag) {
    return new MessageEntity(entityId, tag);
  }

  private static final Logger LOG = LoggerFactory.getLogger(MessageEntity.class);

  private final String hash;
  private final String tag;
  private final String invalidId;

  private MessageEntity(String hash, String tag) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), hash),
        EntitySupervision.restartWithBackoff());
    this.hash = hash;
    this.tag = Objects.requireNonNull(tag, "tag");
    this.invalidId =
        Formats.isPacketHash(hash)
            ? null
            : "invalid message id [" + hash + "]: expected a packet hash of 16 upper-case hex characters";
  }

  @Override
  public State emptyState() {
    return State.empty(hash);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tag);
  }

  /** A message entity never saves a snapshot, so recovery does not ask the snapshot store for one. */
  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordCommand.class, this::onRecord)
        .onCommand(RecordReceptionsCommand.class, this::onRecordReceptions)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), state.summary()))
        .build();
  }

  private ReplyEffect<Event, State> onRecord(State state, RecordCommand command) {
    String problem = problemWith(command);
    if (problem != null) {
      return Effect().reply(command.replyTo(), StatusReply.error(problem));
    }
    Reception reception = command.reception();
    if (state.heardBy(reception.observer())) {
      return Effect().reply(command.replyTo(), StatusReply.success(Outcome.DUPLICATE));
    }
    if (state.hasBeenRecorded()) {
      return persist(new ReceptionAdded(hash, state.kind(), reception), command.replyTo(), Outcome.RECEPTION_ADDED);
    }
    return persist(recorded(command), command.replyTo(), Outcome.RECORDED);
  }

  private ReplyEffect<Event, State> onRecordReceptions(State state, RecordReceptionsCommand command) {
    String problem = invalidId;
    if (problem == null && command.raw() != null && !Formats.isHex(command.raw())) {
      problem = "raw must be the packet as hex";
    }
    if (problem == null && (command instanceof RecordMessageReceptions m && m.content() == null
        || command instanceof RecordTraceReceptions t && t.content() == null)) {
      problem = "the packet's content is required";
    }
    if (problem != null) {
      return Effect().reply(command.replyTo(), StatusReply.error(problem));
    }
    Receptions result = command instanceof RecordMessageReceptions m
        ? receptions(state, m.content(), m.raw(), m.receptions())
        : receptions(state, ((RecordTraceReceptions) command).content(), command.raw(), command.receptions());
    if (result.events().isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.success(result.outcome()));
    }
    return Effect().persist(result.events()).thenReply(command.replyTo(), s -> StatusReply.success(result.outcome()));
  }

  /** What a packet's receptions make in an entity: the events to persist, and what they amount to. */
  public record Receptions(List<Event> events, BatchOutcome outcome) {
    public Receptions {
      events = List.copyOf(events);
    }
  }

  /**
   * The rules of {@link RecordMessageReceptions} and {@link RecordTraceReceptions}: the events the receptions of a
   * packet make in an entity in {@code state}. Public for an import that appends the events of entities with no
   * events yet to the journal itself ({@code State.empty(hash)}), so that they are the events the entity makes.
   *
   * @param content a {@link MessageContent} or a {@link TraceContent}
   */
  public static Receptions receptions(State state, MeshHubSerializable content, String raw,
      List<Reception> receptions) {
    if (!(content instanceof MessageContent) && !(content instanceof TraceContent)) {
      throw new IllegalArgumentException("content must be a message or a trace");
    }
    List<Event> events = new ArrayList<>();
    State next = state;
    int recorded = 0;
    int added = 0;
    int duplicates = 0;
    for (Reception reception : receptions) {
      Event event;
      if (next.heardBy(reception.observer())) {
        duplicates++;
        continue;
      } else if (next.hasBeenRecorded()) {
        event = new ReceptionAdded(state.hash(), next.kind(), reception);
        added++;
      } else if (content instanceof MessageContent message) {
        event = new MessageRecorded(state.hash(), message, raw, reception);
        recorded++;
      } else {
        event = new TraceRecorded(state.hash(), (TraceContent) content, raw, reception);
        recorded++;
      }
      events.add(event);
      next = apply(next, event);
    }
    return new Receptions(events, new BatchOutcome(recorded, added, duplicates));
  }

  private String problemWith(RecordCommand command) {
    if (invalidId != null) {
      return invalidId;
    }
    if (command.reception() == null) {
      return "a reception is required";
    }
    if (command.raw() != null && !Formats.isHex(command.raw())) {
      return "raw must be the packet as hex";
    }
    if (command instanceof RecordMessage message && message.content() == null
        || command instanceof RecordTrace trace && trace.content() == null
        || command instanceof RecordPacket packet && packet.info() == null) {
      return "the packet's content is required";
    }
    return null;
  }

  private Event recorded(RecordCommand command) {
    if (command instanceof RecordMessage message) {
      return new MessageRecorded(hash, message.content(), message.raw(), message.reception());
    } else if (command instanceof RecordTrace trace) {
      return new TraceRecorded(hash, trace.content(), trace.raw(), trace.reception());
    } else if (command instanceof RecordPacket packet) {
      return new PacketRecorded(hash, packet.info(), packet.raw(), packet.reception());
    }
    throw new IllegalStateException("unknown record command " + command.getClass().getName());
  }

  private ReplyEffect<Event, State> persist(Event event, ActorRef<StatusReply<Outcome>> replyTo, Outcome outcome) {
    return Effect().persist(event).thenReply(replyTo, state -> StatusReply.success(outcome));
  }

  /** A journal that cannot be read (the database away) is logged once in a while, not per entity; see
   * {@link EntitySupervision}. */
  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryFailed.class, (state, failed) ->
            EntitySupervision.recoveryFailed(LOG, "Message", hash, failed.getFailure()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(MessageEntity::apply);
  }

  /** The state after an event: what the event handler does, also used to check the events of one command in turn. */
  static State apply(State state, Event event) {
    if (event instanceof MessageRecorded e) {
      return state.record(KIND_MESSAGE, e.reception());
    } else if (event instanceof TraceRecorded e) {
      return state.record(KIND_TRACE, e.reception());
    } else if (event instanceof PacketRecorded e) {
      return state.record(KIND_PACKET, e.reception());
    } else if (event instanceof ReceptionAdded e) {
      return state.addReception(e.reception());
    }
    throw new IllegalStateException("unknown event " + event.getClass().getName());
  }
}
