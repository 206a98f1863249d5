package org.meshhub.projections.node;

import static org.meshhub.projections.Sql.millisOrNull;
import static org.meshhub.projections.Sql.orNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import org.meshhub.core.Reception;
import org.meshhub.core.node.NodeEntity;
import org.meshhub.projections.Sql;
import org.meshhub.projections.TableNames;

/**
 * The writes of the node read model. Every method is idempotent and order-tolerant: inserts do nothing on conflict,
 * counts move only with an inserted row, and "latest" values only move forward (by advert timestamp, reception
 * time, report time or tag change time).
 */
final class NodeRepository {
  private final String insertNode;
  private final String touchNode;
  private final String nameFromAdvert;
  private final String countAdvert;
  private final String insertAdvert;
  private final String insertAdvertReception;
  private final String countNodeReception;
  private final String upsertNodeObserver;
  private final String insertTelemetry;
  private final String reportStatus;
  private final String upsertTag;
  private final String insertStatusHistory;

  NodeRepository(TableNames tables) {
    String nodes = tables.of("nodes");
    String adverts = tables.of("advertisements");
    String advertReceptions = tables.of("advert_receptions");
    String nodeObservers = tables.of("node_observers");
    String tags = tables.of("node_tags");
    insertNode = "INSERT INTO " + nodes + " (public_key, is_observer, advert_count, reception_count)"
        + " VALUES (?, FALSE, 0, 0) ON CONFLICT (public_key) DO NOTHING";
    touchNode = "UPDATE " + nodes + " SET"
        + " first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE first_seen END,"
        + " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END"
        + " WHERE public_key = ?";
    nameFromAdvert = "UPDATE " + nodes + " SET name = ?, adv_type = ?, flags = ?, lat = ?, lon = ?,"
        + " last_advert_timestamp = ?"
        + " WHERE public_key = ? AND (last_advert_timestamp IS NULL OR last_advert_timestamp < ?)";
    countAdvert = "UPDATE " + nodes + " SET advert_count = advert_count + 1 WHERE public_key = ?";
    insertAdvert = "INSERT INTO " + adverts + " (public_key, advert_timestamp, name, adv_type, flags, lat, lon,"
        + " signature_valid, packet_hash, received_at, observer)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (public_key, advert_timestamp) DO NOTHING";
    insertAdvertReception = "INSERT INTO " + advertReceptions + " (public_key, advert_timestamp, observer,"
        + " received_at, snr, rssi, path_len, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (public_key, advert_timestamp, observer) DO NOTHING";
    countNodeReception = "UPDATE " + nodes + " SET reception_count = reception_count + 1,"
        + " first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE first_seen END,"
        + " last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END"
        + " WHERE public_key = ?";
    upsertNodeObserver = "INSERT INTO " + nodeObservers + " (public_key, observer, first_heard, last_heard,"
        + " reception_count, last_snr, last_rssi, last_path_len) VALUES (?, ?, ?, ?, 1, ?, ?, ?)"
        + " ON CONFLICT (public_key, observer) DO UPDATE SET"
        + " reception_count = " + nodeObservers + ".reception_count + 1,"
        + " first_heard = CASE WHEN excluded.first_heard < " + nodeObservers + ".first_heard"
        + " THEN excluded.first_heard ELSE " + nodeObservers + ".first_heard END,"
        + " last_snr = CASE WHEN excluded.last_heard >= " + nodeObservers + ".last_heard"
        + " THEN excluded.last_snr ELSE " + nodeObservers + ".last_snr END,"
        + " last_rssi = CASE WHEN excluded.last_heard >= " + nodeObservers + ".last_heard"
        + " THEN excluded.last_rssi ELSE " + nodeObservers + ".last_rssi END,"
        + " last_path_len = CASE WHEN excluded.last_heard >= " + nodeObservers + ".last_heard"
        + " THEN excluded.last_path_len ELSE " + nodeObservers + ".last_path_len END,"
        + " last_heard = CASE WHEN excluded.last_heard > " + nodeObservers + ".last_heard"
        + " THEN excluded.last_heard ELSE " + nodeObservers + ".last_heard END";
    insertTelemetry = "INSERT INTO " + tables.of("telemetry") + " (public_key, reading_key, observer, received_at,"
        + " data_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (public_key, reading_key) DO NOTHING";
    reportStatus = "UPDATE " + nodes + " SET is_observer = TRUE,"
        + " name = CASE WHEN last_advert_timestamp IS NULL AND ? IS NOT NULL THEN ? ELSE name END,"
        + " observer_status = ?, model = ?, firmware_version = ?, radio = ?, client_version = ?, stats_json = ?,"
        + " status_reported_at = ?"
        + " WHERE public_key = ? AND (status_reported_at IS NULL OR status_reported_at <= ?)";
    upsertTag = "INSERT INTO " + tags + " (public_key, tag_key, value, updated_at) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (public_key, tag_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
        + " WHERE excluded.updated_at >= " + tags + ".updated_at";
    insertStatusHistory = "INSERT INTO " + tables.of("observer_status_history") + " (public_key, reported_at, name,"
        + " status, model, firmware_version, radio, client_version, stats_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (public_key, reported_at) DO NOTHING";
  }

  /** Creates the node's row when it is new; true when it was created. */
  boolean ensureNode(Sql sql, String publicKey) throws SQLException {
    return sql.update(insertNode, publicKey) == 1;
  }

  void seen(Sql sql, String publicKey, Instant at) throws SQLException {
    long ms = at.toEpochMilli();
    sql.update(touchNode, ms, ms, ms, ms, publicKey);
  }

  /** Records the advert; true when it was new. A validly signed newer advert also names and places the node. */
  boolean recordAdvert(Sql sql, String publicKey, NodeEntity.Advert advert, Reception first) throws SQLException {
    boolean inserted = sql.update(insertAdvert, publicKey, advert.advertTimestamp(), orNull(advert.name()),
        advert.advType(), advert.flags(), orNull(advert.lat()), orNull(advert.lon()), advert.signatureValid(),
        orNull(advert.packetHash()), first.receivedAt().toEpochMilli(), first.observer()) == 1;
    if (inserted) {
      sql.update(countAdvert, publicKey);
    }
    if (advert.signatureValid()) {
      sql.update(nameFromAdvert, orNull(advert.name()), advert.advType(), advert.flags(), orNull(advert.lat()),
          orNull(advert.lon()), advert.advertTimestamp(), publicKey, advert.advertTimestamp());
    }
    return inserted;
  }

  /** Records one observer hearing an advert; true when that observer was new for it. */
  boolean addAdvertReception(Sql sql, String publicKey, long advertTimestamp, Reception r) throws SQLException {
    long at = r.receivedAt().toEpochMilli();
    boolean inserted = sql.update(insertAdvertReception, publicKey, advertTimestamp, r.observer(), at,
        orNull(r.snr()), orNull(r.rssi()), r.pathLen(), orNull(r.path())) == 1;
    if (inserted) {
      sql.update(countNodeReception, at, at, at, at, publicKey);
      sql.update(upsertNodeObserver, publicKey, r.observer(), at, at, orNull(r.snr()), orNull(r.rssi()),
          r.pathLen());
    }
    return inserted;
  }

  /** Records a telemetry reading; true when it was new. */
  boolean recordTelemetry(Sql sql, String publicKey, NodeEntity.Telemetry t) throws SQLException {
    boolean inserted = sql.update(insertTelemetry, publicKey, readingKey(t), orNull(t.observer()),
        t.receivedAt().toEpochMilli(), t.dataJson()) == 1;
    seen(sql, publicKey, t.receivedAt());
    return inserted;
  }

  void reportStatus(Sql sql, String publicKey, NodeEntity.ObserverStatus s) throws SQLException {
    long at = s.reportedAt().toEpochMilli();
    sql.update(reportStatus, orNull(s.name()), orNull(s.name()), orNull(s.status()), orNull(s.model()),
        orNull(s.firmwareVersion()), orNull(s.radio()), orNull(s.clientVersion()), orNull(s.statsJson()), at,
        publicKey, at);
    sql.update(insertStatusHistory, publicKey, at, orNull(s.name()), orNull(s.status()), orNull(s.model()),
        orNull(s.firmwareVersion()), orNull(s.radio()), orNull(s.clientVersion()), orNull(s.statsJson()));
    if (!"offline".equals(s.status())) {
      seen(sql, publicKey, s.reportedAt());
    }
  }

  /** Sets ({@code value} non-null) or removes ({@code null}) a tag, unless a later change is already there. */
  void tag(Sql sql, String publicKey, String key, String value, Instant at) throws SQLException {
    sql.update(upsertTag, publicKey, key, orNull(value), millisOrNull(at));
  }

  /** What identifies a telemetry reading, as the entity deduplicates it: observer, time and data. */
  static String readingKey(NodeEntity.Telemetry t) {
    try {
      String identity = t.observer() + '\n' + t.receivedAt() + '\n' + t.dataJson();
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
