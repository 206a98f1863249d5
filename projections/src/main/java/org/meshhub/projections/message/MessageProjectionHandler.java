package org.meshhub.projections.message;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.meshhub.core.Reception;
import org.meshhub.core.message.MessageEntity;
import org.meshhub.projections.EventWriter;
import org.meshhub.projections.ObserverHours;
import org.meshhub.projections.Sql;
import org.meshhub.projections.StatDeltas;
import org.meshhub.projections.TableNames;

/**
 * Message events into the message read model: {@code messages} (with its full-text index), {@code trace_paths},
 * {@code packets}, {@code receptions} and the counters in {@code message_stats} (totals; messages, channel
 * messages and receptions per hour), {@code channel_stats} and {@code reception_hours}.
 */
public final class MessageProjectionHandler implements EventWriter {
  public static final String MESSAGES_TOTAL = "messages_total";
  public static final String MESSAGES_HOUR = "messages_hour";
  public static final String TRACES_TOTAL = "traces_total";
  public static final String PACKETS_TOTAL = "packets_total";
  public static final String RECEPTIONS_TOTAL = "receptions_total";
  public static final String CHANNEL_MESSAGES_HOUR = "channel_messages_hour";
  public static final String RECEPTIONS_HOUR = "receptions_hour";

  private final String slice;
  private final TableNames tables;
  private final MessageRepository repository;

  public MessageProjectionHandler(String slice, TableNames tables) {
    this.slice = slice;
    this.tables = tables;
    this.repository = new MessageRepository(tables);
  }

  @Override
  public void write(Connection connection, List<?> events) throws SQLException {
    StatDeltas stats = new StatDeltas(tables.of("message_stats"), slice);
    ObserverHours hours = new ObserverHours(tables.of("reception_hours"), slice);
    try (Sql sql = new Sql(connection)) {
      for (Object event : events) {
        if (event instanceof MessageEntity.Event messageEvent) {
          apply(sql, messageEvent, stats, hours);
        }
      }
      stats.flush(sql);
      hours.flush(sql);
    }
  }

  private void apply(Sql sql, MessageEntity.Event event, StatDeltas stats, ObserverHours hours)
      throws SQLException {
    String hash = event.hash();
    if (event instanceof MessageEntity.MessageRecorded recorded) {
      MessageEntity.MessageContent content = recorded.content();
      Reception first = recorded.reception();
      if (repository.recordMessage(sql, hash, content, first)) {
        stats.add(MESSAGES_TOTAL, 0);
        stats.add(MESSAGES_HOUR, StatDeltas.hourOf(first.receivedAt().toEpochMilli()));
        if ("channel".equals(content.messageType())) {
          stats.add(CHANNEL_MESSAGES_HOUR, StatDeltas.hourOf(first.receivedAt().toEpochMilli()));
          if (content.channelHash() != null) {
            repository.countChannelMessage(sql, content.channelHash(), slice, content.channelName());
          }
        }
      }
      reception(sql, hash, MessageEntity.KIND_MESSAGE, first, stats, hours);
    } else if (event instanceof MessageEntity.TraceRecorded trace) {
      if (repository.recordTrace(sql, hash, trace.content(), trace.reception())) {
        stats.add(TRACES_TOTAL, 0);
      }
      reception(sql, hash, MessageEntity.KIND_TRACE, trace.reception(), stats, hours);
    } else if (event instanceof MessageEntity.PacketRecorded packet) {
      if (repository.recordPacket(sql, hash, packet.info(), packet.reception())) {
        stats.add(PACKETS_TOTAL, 0);
      }
      reception(sql, hash, MessageEntity.KIND_PACKET, packet.reception(), stats, hours);
    } else if (event instanceof MessageEntity.ReceptionAdded added) {
      reception(sql, hash, added.kind(), added.reception(), stats, hours);
    }
  }

  private void reception(Sql sql, String hash, String kind, Reception reception, StatDeltas stats,
      ObserverHours hours) throws SQLException {
    if (repository.addReception(sql, hash, kind, reception)) {
      stats.add(RECEPTIONS_TOTAL, 0);
      stats.add(RECEPTIONS_HOUR, StatDeltas.hourOf(reception.receivedAt().toEpochMilli()));
      hours.add(reception.observer(), reception.receivedAt().toEpochMilli());
    }
  }
}
