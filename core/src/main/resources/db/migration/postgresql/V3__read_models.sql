-- Read models built by the projections (module projections) from the journal. Times are epoch milliseconds (UTC),
-- except advert_timestamp and sender_timestamp, which are the sender's own epoch seconds. Every row is derived from
-- events only, so that a rebuild from the journal produces the same rows. Columns holding hex identifiers use the
-- C collation: they compare byte-wise, so that a key prefix is an index range.

-- One row per read model: bumped by every rebuild that swapped fresh tables in.
CREATE TABLE IF NOT EXISTS read_models (
  name VARCHAR(32) NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL,
  rebuilt_at BIGINT
);

INSERT INTO read_models (name, generation, rebuilt_at) VALUES ('nodes', 1, NULL) ON CONFLICT (name) DO NOTHING;
INSERT INTO read_models (name, generation, rebuilt_at) VALUES ('messages', 1, NULL) ON CONFLICT (name) DO NOTHING;

-- ---------------------------------------------------------------------------------------------------------------
-- Read model "nodes" (node events: tags node-0 .. node-3)

CREATE TABLE IF NOT EXISTS nodes (
  public_key VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
  name VARCHAR(255),
  adv_type VARCHAR(32),
  flags INTEGER,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  last_advert_timestamp BIGINT,
  first_seen BIGINT,
  last_seen BIGINT,
  is_observer BOOLEAN NOT NULL DEFAULT FALSE,
  observer_status VARCHAR(32),
  model VARCHAR(255),
  firmware_version VARCHAR(255),
  radio VARCHAR(255),
  client_version VARCHAR(255),
  stats_json TEXT,
  status_reported_at BIGINT,
  advert_count BIGINT NOT NULL DEFAULT 0,
  reception_count BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS nodes_last_seen_idx ON nodes (last_seen);
CREATE INDEX IF NOT EXISTS nodes_first_seen_idx ON nodes (first_seen);
CREATE INDEX IF NOT EXISTS nodes_name_idx ON nodes (name);
CREATE INDEX IF NOT EXISTS nodes_adv_type_idx ON nodes (adv_type, last_seen);
CREATE INDEX IF NOT EXISTS nodes_observer_idx ON nodes (is_observer, last_seen);

CREATE TABLE IF NOT EXISTS advertisements (
  public_key VARCHAR(64) COLLATE "C" NOT NULL,
  advert_timestamp BIGINT NOT NULL,
  name VARCHAR(255),
  adv_type VARCHAR(32) NOT NULL,
  flags INTEGER NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  signature_valid BOOLEAN NOT NULL,
  packet_hash VARCHAR(16) COLLATE "C",
  received_at BIGINT NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL,
  PRIMARY KEY (public_key, advert_timestamp)
);

CREATE INDEX IF NOT EXISTS advertisements_received_at_idx ON advertisements (received_at);
CREATE INDEX IF NOT EXISTS advertisements_node_received_at_idx ON advertisements (public_key, received_at);

-- Who heard which advert: one row per (advert, observer).
CREATE TABLE IF NOT EXISTS advert_receptions (
  public_key VARCHAR(64) COLLATE "C" NOT NULL,
  advert_timestamp BIGINT NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL,
  received_at BIGINT NOT NULL,
  snr DOUBLE PRECISION,
  rssi INTEGER,
  path_len INTEGER NOT NULL,
  path VARCHAR(512),
  PRIMARY KEY (public_key, advert_timestamp, observer)
);

CREATE INDEX IF NOT EXISTS advert_receptions_observer_idx ON advert_receptions (observer, received_at);

-- Who hears a node, summed over its adverts: one row per (node, observer).
CREATE TABLE IF NOT EXISTS node_observers (
  public_key VARCHAR(64) COLLATE "C" NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL,
  first_heard BIGINT NOT NULL,
  last_heard BIGINT NOT NULL,
  reception_count BIGINT NOT NULL,
  last_snr DOUBLE PRECISION,
  last_rssi INTEGER,
  last_path_len INTEGER,
  PRIMARY KEY (public_key, observer)
);

CREATE INDEX IF NOT EXISTS node_observers_observer_idx ON node_observers (observer, public_key);

CREATE TABLE IF NOT EXISTS telemetry (
  public_key VARCHAR(64) COLLATE "C" NOT NULL,
  reading_key VARCHAR(32) NOT NULL,
  observer VARCHAR(64) COLLATE "C",
  received_at BIGINT NOT NULL,
  data_json TEXT NOT NULL,
  PRIMARY KEY (public_key, reading_key)
);

CREATE INDEX IF NOT EXISTS telemetry_node_received_at_idx ON telemetry (public_key, received_at);

-- Operator tags; a removed tag stays as a row with a NULL value so that an older event replayed cannot revive it.
CREATE TABLE IF NOT EXISTS node_tags (
  public_key VARCHAR(64) COLLATE "C" NOT NULL,
  tag_key VARCHAR(64) NOT NULL,
  value TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (public_key, tag_key)
);

-- Counters kept by the node projection, one row per (metric, bucket, slice) so that slices never contend:
-- nodes_total and adverts_total (bucket 0), adverts_hour (bucket = epoch hour of the first reception).
CREATE TABLE IF NOT EXISTS node_stats (
  metric VARCHAR(32) NOT NULL,
  bucket BIGINT NOT NULL,
  slice VARCHAR(32) NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (metric, bucket, slice)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Read model "messages" (message events: tags message-0 .. message-3)

CREATE TABLE IF NOT EXISTS messages (
  packet_hash VARCHAR(16) COLLATE "C" NOT NULL PRIMARY KEY,
  message_type VARCHAR(16) NOT NULL,
  payload_type INTEGER NOT NULL,
  channel_idx INTEGER,
  channel_name VARCHAR(255),
  decrypted BOOLEAN NOT NULL,
  sender VARCHAR(255),
  text TEXT,
  sender_timestamp BIGINT,
  txt_type INTEGER,
  pubkey_prefix VARCHAR(64) COLLATE "C",
  dest_hash VARCHAR(64) COLLATE "C",
  received_at BIGINT NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL,
  snr DOUBLE PRECISION,
  rssi INTEGER,
  path_len INTEGER NOT NULL,
  search_vector TSVECTOR GENERATED ALWAYS AS
    (to_tsvector('simple', COALESCE(sender, '') || ' ' || COALESCE(text, ''))) STORED
);

CREATE INDEX IF NOT EXISTS messages_received_at_idx ON messages (received_at);
CREATE INDEX IF NOT EXISTS messages_type_received_at_idx ON messages (message_type, received_at);
CREATE INDEX IF NOT EXISTS messages_channel_received_at_idx ON messages (channel_idx, received_at);
CREATE INDEX IF NOT EXISTS messages_pubkey_prefix_idx ON messages (pubkey_prefix, received_at);

-- Full-text index of sender and text: the generated tsvector above, searched through a GIN index.
CREATE INDEX IF NOT EXISTS messages_search_idx ON messages USING GIN (search_vector);

CREATE TABLE IF NOT EXISTS trace_paths (
  packet_hash VARCHAR(16) COLLATE "C" NOT NULL PRIMARY KEY,
  trace_tag BIGINT NOT NULL,
  auth_code BIGINT NOT NULL,
  flags INTEGER NOT NULL,
  path_hashes TEXT NOT NULL,
  snr_values TEXT NOT NULL,
  hop_count INTEGER NOT NULL,
  received_at BIGINT NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL
);

CREATE INDEX IF NOT EXISTS trace_paths_received_at_idx ON trace_paths (received_at);

-- Packets of any other payload type (acks, paths, control, ...).
CREATE TABLE IF NOT EXISTS packets (
  packet_hash VARCHAR(16) COLLATE "C" NOT NULL PRIMARY KEY,
  payload_type INTEGER NOT NULL,
  payload_kind VARCHAR(32) NOT NULL,
  route_type INTEGER NOT NULL,
  received_at BIGINT NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL
);

CREATE INDEX IF NOT EXISTS packets_received_at_idx ON packets (received_at);

-- Who heard which packet (message, trace or other): one row per (packet, observer).
CREATE TABLE IF NOT EXISTS receptions (
  packet_hash VARCHAR(16) COLLATE "C" NOT NULL,
  observer VARCHAR(64) COLLATE "C" NOT NULL,
  kind VARCHAR(16) NOT NULL,
  received_at BIGINT NOT NULL,
  snr DOUBLE PRECISION,
  rssi INTEGER,
  path_len INTEGER NOT NULL,
  path VARCHAR(512),
  PRIMARY KEY (packet_hash, observer)
);

CREATE INDEX IF NOT EXISTS receptions_observer_idx ON receptions (observer, received_at);

-- Counters kept by the message projection: messages_total, traces_total, packets_total (bucket 0),
-- messages_hour (bucket = epoch hour of the first reception).
CREATE TABLE IF NOT EXISTS message_stats (
  metric VARCHAR(32) NOT NULL,
  bucket BIGINT NOT NULL,
  slice VARCHAR(32) NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (metric, bucket, slice)
);

-- Channel messages per channel (channel_idx: the channel hash byte carried by the packet).
CREATE TABLE IF NOT EXISTS channel_stats (
  channel_idx INTEGER NOT NULL,
  slice VARCHAR(32) NOT NULL,
  channel_name VARCHAR(255),
  message_count BIGINT NOT NULL,
  PRIMARY KEY (channel_idx, slice)
);
