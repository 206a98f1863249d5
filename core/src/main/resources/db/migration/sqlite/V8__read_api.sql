-- Read API of the second round: what the projections already stored, served with indexes for every list order, plus
-- the observer history and hourly reception counts the observer endpoints need. Every new row is derived from events
-- only, so a rebuild reproduces it; the rows seeded below from existing rows (a database upgraded in place) carry the
-- slice 'seed' and are replaced by per-slice rows at the next rebuild.

-- ---------------------------------------------------------------------------------------------------------------
-- Read model "nodes"

-- Lists newest first: each index holds the list's whole order (time, then the row's key, all descending), so that
-- a page is read straight from it. With the time alone, SQLite's planner (3.54) preferred another index and a sort
-- of the whole table for the advertisement list, so a page cost grew with the table.
CREATE INDEX IF NOT EXISTS advertisements_order_idx ON advertisements (received_at, public_key, advert_timestamp);
DROP INDEX IF EXISTS advertisements_received_at_idx;
CREATE INDEX IF NOT EXISTS telemetry_order_idx ON telemetry (received_at, public_key, reading_key);
CREATE INDEX IF NOT EXISTS advert_receptions_order_idx ON advert_receptions (received_at, public_key, advert_timestamp,
  observer);
-- /packets?packet_hash=: an advert's receptions are found through its packet hash.
CREATE INDEX IF NOT EXISTS advertisements_packet_hash_idx ON advertisements (packet_hash);

-- Every status report of an observer (the entity drops identical repeats), newest last.
CREATE TABLE IF NOT EXISTS observer_status_history (
  public_key VARCHAR(64) NOT NULL,
  reported_at BIGINT NOT NULL,
  name VARCHAR(255),
  status VARCHAR(32),
  model VARCHAR(255),
  firmware_version VARCHAR(255),
  radio VARCHAR(255),
  client_version VARCHAR(255),
  stats_json TEXT,
  PRIMARY KEY (public_key, reported_at)
);

-- Advert receptions per observer and hour (epoch hour of the reception), one row per slice.
CREATE TABLE IF NOT EXISTS advert_reception_hours (
  observer VARCHAR(64) NOT NULL,
  hour BIGINT NOT NULL,
  slice VARCHAR(32) NOT NULL,
  receptions BIGINT NOT NULL,
  PRIMARY KEY (observer, hour, slice)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Read model "messages"

CREATE INDEX IF NOT EXISTS receptions_order_idx ON receptions (received_at, packet_hash, observer);

-- Message, trace and packet receptions per observer and hour, one row per slice.
CREATE TABLE IF NOT EXISTS reception_hours (
  observer VARCHAR(64) NOT NULL,
  hour BIGINT NOT NULL,
  slice VARCHAR(32) NOT NULL,
  receptions BIGINT NOT NULL,
  PRIMARY KEY (observer, hour, slice)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Counters for rows that were already there (nothing is inserted into an empty database).

INSERT INTO node_stats (metric, bucket, slice, value)
  SELECT 'advert_receptions_total', 0, 'seed', COUNT(*) FROM advert_receptions HAVING COUNT(*) > 0;
INSERT INTO node_stats (metric, bucket, slice, value)
  SELECT 'telemetry_total', 0, 'seed', COUNT(*) FROM telemetry HAVING COUNT(*) > 0;
INSERT INTO message_stats (metric, bucket, slice, value)
  SELECT 'receptions_total', 0, 'seed', COUNT(*) FROM receptions HAVING COUNT(*) > 0;
INSERT INTO advert_reception_hours (observer, hour, slice, receptions)
  SELECT observer, received_at / 3600000, 'seed', COUNT(*) FROM advert_receptions GROUP BY observer, received_at / 3600000;
INSERT INTO reception_hours (observer, hour, slice, receptions)
  SELECT observer, received_at / 3600000, 'seed', COUNT(*) FROM receptions GROUP BY observer, received_at / 3600000;
INSERT INTO observer_status_history (public_key, reported_at, name, status, model, firmware_version, radio,
    client_version, stats_json)
  SELECT public_key, status_reported_at, NULL, observer_status, model, firmware_version, radio, client_version, stats_json
  FROM nodes WHERE status_reported_at IS NOT NULL;

-- FTS5's own term statistics (how many messages hold each word), read by the message search to choose its plan.
-- Holds no rows of its own; a PostgreSQL schema has no such table (its planner keeps the same statistics).
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts_vocab USING fts5vocab(messages_fts, 'row');
