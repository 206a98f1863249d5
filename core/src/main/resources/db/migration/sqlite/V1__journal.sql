-- Journal, tags and snapshots for pekko-persistence-jdbc 1.1.1 (tag table keyed by event_id), written for SQLite.
-- ordering MUST be exactly "INTEGER PRIMARY KEY AUTOINCREMENT" (a rowid alias): any other declaration is accepted
-- by SQLite without error, leaves ordering NULL, and projections then receive nothing. The journal guard checks it.
CREATE TABLE IF NOT EXISTS event_journal (
  ordering INTEGER PRIMARY KEY AUTOINCREMENT,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,
  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BLOB NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BLOB,
  UNIQUE (persistence_id, sequence_number)
);

CREATE TABLE IF NOT EXISTS event_tag (
  event_id BIGINT NOT NULL,
  tag VARCHAR(256) NOT NULL,
  PRIMARY KEY (event_id, tag),
  FOREIGN KEY (event_id) REFERENCES event_journal (ordering) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag (tag, event_id);

CREATE TABLE IF NOT EXISTS snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BLOB NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BLOB,
  PRIMARY KEY (persistence_id, sequence_number)
);

-- Offset store and management table of pekko-projection-jdbc 1.0.0.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);

CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);

CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY (projection_name, projection_key)
);
