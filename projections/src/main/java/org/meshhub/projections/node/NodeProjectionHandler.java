package org.meshhub.projections.node;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.meshhub.core.Reception;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.EventWriter;
import org.meshhub.projections.ObserverHours;
import org.meshhub.projections.Sql;
import org.meshhub.projections.StatDeltas;
import org.meshhub.projections.TableNames;

/**
 * Node events into the node read model: {@code nodes}, {@code advertisements}, {@code advert_receptions},
 * {@code node_observers}, {@code telemetry}, {@code node_tags}, {@code observer_status_history} and the counters in
 * {@code node_stats} (totals; adverts and advert receptions per hour) and {@code advert_reception_hours}.
 */
public final class NodeProjectionHandler implements EventWriter {
  public static final String NODES_TOTAL = "nodes_total";
  public static final String ADVERTS_TOTAL = "adverts_total";
  public static final String ADVERTS_HOUR = "adverts_hour";
  public static final String ADVERT_RECEPTIONS_TOTAL = "advert_receptions_total";
  public static final String TELEMETRY_TOTAL = "telemetry_total";
  public static final String ADVERT_RECEPTIONS_HOUR = "advert_receptions_hour";

  private final String slice;
  private final TableNames tables;
  private final NodeRepository repository;

  /**
   * @param slice the tag this instance projects; its counters are kept apart from the other slices'
   */
  public NodeProjectionHandler(String slice, TableNames tables) {
    this.slice = slice;
    this.tables = tables;
    this.repository = new NodeRepository(tables);
  }

  @Override
  public void write(Connection connection, List<?> events) throws SQLException {
    StatDeltas stats = new StatDeltas(tables.of("node_stats"), slice);
    ObserverHours hours = new ObserverHours(tables.of("advert_reception_hours"), slice);
    try (Sql sql = new Sql(connection)) {
      for (Object event : events) {
        if (event instanceof NodeEntity.Event nodeEvent) {
          apply(sql, nodeEvent, stats, hours);
        }
      }
      stats.flush(sql);
      hours.flush(sql);
    }
  }

  private void apply(Sql sql, NodeEntity.Event event, StatDeltas stats, ObserverHours hours) throws SQLException {
    String key = event.publicKey();
    if (repository.ensureNode(sql, key)) {
      stats.add(NODES_TOTAL, 0);
    }
    if (event instanceof NodeEntity.AdvertRecorded recorded) {
      if (repository.recordAdvert(sql, key, recorded.advert(), recorded.reception())) {
        stats.add(ADVERTS_TOTAL, 0);
        stats.add(ADVERTS_HOUR, StatDeltas.hourOf(recorded.reception().receivedAt().toEpochMilli()));
      }
      reception(sql, key, recorded.advert().advertTimestamp(), recorded.reception(), stats, hours);
    } else if (event instanceof NodeEntity.AdvertHeard heard) {
      reception(sql, key, heard.advertTimestamp(), heard.reception(), stats, hours);
    } else if (event instanceof NodeEntity.TelemetryRecorded telemetry) {
      if (repository.recordTelemetry(sql, key, telemetry.telemetry())) {
        stats.add(TELEMETRY_TOTAL, 0);
      }
    } else if (event instanceof NodeEntity.ObserverStatusReported status) {
      repository.reportStatus(sql, key, status.status());
    } else if (event instanceof NodeEntity.TagSet set) {
      repository.tag(sql, key, set.key(), set.value(), set.at());
    } else if (event instanceof NodeEntity.TagRemoved removed) {
      repository.tag(sql, key, removed.key(), null, removed.at());
    }
  }

  private void reception(Sql sql, String key, long advertTimestamp, Reception reception, StatDeltas stats,
      ObserverHours hours) throws SQLException {
    if (repository.addAdvertReception(sql, key, advertTimestamp, reception)) {
      stats.add(ADVERT_RECEPTIONS_TOTAL, 0);
      stats.add(ADVERT_RECEPTIONS_HOUR, StatDeltas.hourOf(reception.receivedAt().toEpochMilli()));
      hours.add(reception.observer(), reception.receivedAt().toEpochMilli());
    }
  }
}
