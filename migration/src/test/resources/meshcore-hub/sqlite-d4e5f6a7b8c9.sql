-- MeshCore Hub's SQLite schema at Alembic revision d4e5f6a7b8c9, the head of its release v0.14:
-- the tables, columns, keys and indexes its migrations create, as SQLite lists them. The tests write
-- MeshCore Hub source databases from it. Files made by MeshCore Hub itself may place columns added by later
-- migrations elsewhere in a table and spell defaults differently; the import finds columns by name.
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE node_tags (
	id VARCHAR NOT NULL, 
	node_id VARCHAR NOT NULL, 
	"key" VARCHAR(100) NOT NULL, 
	value TEXT, 
	value_type VARCHAR(20) DEFAULT 'string' NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(node_id) REFERENCES nodes (id) ON DELETE CASCADE, 
	CONSTRAINT uq_node_tags_node_key UNIQUE (node_id, "key")
);
CREATE INDEX ix_node_tags_node_id ON node_tags (node_id);
CREATE INDEX ix_node_tags_key ON node_tags ("key");
CREATE TABLE IF NOT EXISTS "advertisements" (
	id VARCHAR NOT NULL, 
	observer_node_id VARCHAR, 
	node_id VARCHAR, 
	public_key VARCHAR(64) NOT NULL, 
	name VARCHAR(255), 
	adv_type VARCHAR(20), 
	flags INTEGER, 
	received_at DATETIME NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	event_hash VARCHAR(32), route_type VARCHAR(20), advert_timestamp DATETIME, packet_hash VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_advertisements_event_hash UNIQUE (event_hash), 
	FOREIGN KEY(node_id) REFERENCES nodes (id) ON DELETE SET NULL, 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_advertisements_public_key ON advertisements (public_key);
CREATE INDEX ix_advertisements_node_id ON advertisements (node_id);
CREATE INDEX ix_advertisements_received_at ON advertisements (received_at);
CREATE INDEX ix_advertisements_observer_node_id ON advertisements (observer_node_id);
CREATE TABLE IF NOT EXISTS "trace_paths" (
	id VARCHAR NOT NULL, 
	observer_node_id VARCHAR, 
	initiator_tag BIGINT NOT NULL, 
	path_len INTEGER, 
	flags INTEGER, 
	auth INTEGER, 
	path_hashes JSON, 
	snr_values JSON, 
	hop_count INTEGER, 
	received_at DATETIME NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	event_hash VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_trace_paths_event_hash UNIQUE (event_hash), 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_trace_paths_initiator_tag ON trace_paths (initiator_tag);
CREATE INDEX ix_trace_paths_received_at ON trace_paths (received_at);
CREATE INDEX ix_trace_paths_observer_node_id ON trace_paths (observer_node_id);
CREATE TABLE IF NOT EXISTS "telemetry" (
	id VARCHAR NOT NULL, 
	observer_node_id VARCHAR, 
	node_id VARCHAR, 
	node_public_key VARCHAR(64) NOT NULL, 
	lpp_data BLOB, 
	parsed_data JSON, 
	received_at DATETIME NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	event_hash VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_telemetry_event_hash UNIQUE (event_hash), 
	FOREIGN KEY(node_id) REFERENCES nodes (id) ON DELETE SET NULL, 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_telemetry_node_public_key ON telemetry (node_public_key);
CREATE INDEX ix_telemetry_received_at ON telemetry (received_at);
CREATE INDEX ix_telemetry_node_id ON telemetry (node_id);
CREATE INDEX ix_telemetry_observer_node_id ON telemetry (observer_node_id);
CREATE TABLE IF NOT EXISTS "events_log" (
	id VARCHAR NOT NULL, 
	observer_node_id VARCHAR, 
	event_type VARCHAR(50) NOT NULL, 
	payload JSON, 
	received_at DATETIME NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_events_log_received_at ON events_log (received_at);
CREATE INDEX ix_events_log_event_type ON events_log (event_type);
CREATE INDEX ix_events_log_observer_node_id ON events_log (observer_node_id);
CREATE TABLE IF NOT EXISTS "event_observers" (
	id VARCHAR(36) NOT NULL, 
	event_type VARCHAR(20) NOT NULL, 
	event_hash VARCHAR(32) NOT NULL, 
	observer_node_id VARCHAR(36) NOT NULL, 
	snr FLOAT, 
	observed_at DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	path_len INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_event_observers_hash_node UNIQUE (event_hash, observer_node_id), 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE CASCADE
);
CREATE INDEX ix_event_observers_event_hash ON event_observers (event_hash);
CREATE INDEX ix_event_observers_type_hash ON event_observers (event_type, event_hash);
CREATE INDEX ix_event_observers_observer_node_id ON event_observers (observer_node_id);
CREATE TABLE user_profiles (
	user_id VARCHAR(255) NOT NULL, 
	name VARCHAR(255), 
	callsign VARCHAR(20), 
	id VARCHAR NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, roles TEXT, description TEXT, url VARCHAR(2048), 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_user_profiles_user_id ON user_profiles (user_id);
CREATE TABLE user_profile_nodes (
	user_profile_id VARCHAR NOT NULL, 
	node_id VARCHAR NOT NULL, 
	adopted_at DATETIME NOT NULL, 
	PRIMARY KEY (user_profile_id, node_id), 
	FOREIGN KEY(node_id) REFERENCES nodes (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_profile_id) REFERENCES user_profiles (id) ON DELETE CASCADE, 
	CONSTRAINT uq_user_profile_nodes_node_id UNIQUE (node_id)
);
CREATE INDEX ix_user_profile_nodes_node_id ON user_profile_nodes (node_id);
CREATE TABLE channels (
	name VARCHAR(100) NOT NULL, 
	key_hex VARCHAR(64) NOT NULL, 
	channel_hash VARCHAR(2) NOT NULL, 
	visibility VARCHAR(20) NOT NULL, 
	enabled BOOLEAN NOT NULL, 
	id VARCHAR NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (key_hex)
);
CREATE UNIQUE INDEX ix_channels_name ON channels (name);
CREATE TABLE IF NOT EXISTS "nodes" (
	id VARCHAR NOT NULL, 
	public_key VARCHAR(64) NOT NULL, 
	name VARCHAR(255), 
	adv_type VARCHAR(20), 
	flags INTEGER, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	lat FLOAT, 
	lon FLOAT, 
	is_observer BOOLEAN DEFAULT (0) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (public_key)
);
CREATE INDEX ix_nodes_last_seen ON nodes (last_seen);
CREATE UNIQUE INDEX ix_nodes_public_key ON nodes (public_key);
CREATE INDEX ix_nodes_adv_type ON nodes (adv_type);
CREATE INDEX ix_nodes_is_observer ON nodes (is_observer);
CREATE TABLE raw_packets (
	observer_node_id VARCHAR, 
	packet_hash VARCHAR(32), 
	raw_hex TEXT, 
	packet_type INTEGER, 
	payload_type INTEGER, 
	event_type VARCHAR(50), 
	channel_idx INTEGER, 
	source_pubkey_prefix VARCHAR(12), 
	route_type VARCHAR(20), 
	path_len INTEGER, 
	snr FLOAT, 
	decoded JSON, 
	received_at DATETIME NOT NULL, 
	id VARCHAR NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_raw_packets_channel_idx ON raw_packets (channel_idx);
CREATE INDEX ix_raw_packets_channel_idx_received_at ON raw_packets (channel_idx, received_at);
CREATE INDEX ix_raw_packets_event_type ON raw_packets (event_type);
CREATE INDEX ix_raw_packets_event_type_received_at ON raw_packets (event_type, received_at);
CREATE INDEX ix_raw_packets_observer_node_id ON raw_packets (observer_node_id);
CREATE INDEX ix_raw_packets_packet_hash ON raw_packets (packet_hash);
CREATE INDEX ix_raw_packets_packet_type ON raw_packets (packet_type);
CREATE INDEX ix_raw_packets_received_at ON raw_packets (received_at);
CREATE INDEX ix_raw_packets_source_pubkey_prefix ON raw_packets (source_pubkey_prefix);
CREATE INDEX ix_raw_packets_source_pubkey_prefix_received_at ON raw_packets (source_pubkey_prefix, received_at);
CREATE INDEX ix_advertisements_packet_hash ON advertisements (packet_hash);
CREATE INDEX ix_raw_packets_packet_hash_received_at ON raw_packets (packet_hash, received_at);
CREATE TABLE IF NOT EXISTS "messages" (
	id VARCHAR NOT NULL, 
	observer_node_id VARCHAR, 
	message_type VARCHAR(20) NOT NULL, 
	pubkey_prefix VARCHAR(12), 
	channel_idx INTEGER, 
	text TEXT NOT NULL, 
	path_len INTEGER, 
	txt_type INTEGER, 
	signature VARCHAR(32), 
	snr FLOAT, 
	sender_timestamp DATETIME, 
	received_at DATETIME NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	event_hash VARCHAR(32), 
	packet_hash VARCHAR(32), 
	PRIMARY KEY (id), 
	CONSTRAINT uq_messages_event_hash UNIQUE (event_hash), 
	FOREIGN KEY(observer_node_id) REFERENCES nodes (id) ON DELETE SET NULL
);
CREATE INDEX ix_messages_message_type ON messages (message_type);
CREATE INDEX ix_messages_pubkey_prefix ON messages (pubkey_prefix);
CREATE INDEX ix_messages_packet_hash ON messages (packet_hash);
CREATE INDEX ix_messages_channel_idx ON messages (channel_idx);
CREATE INDEX ix_messages_received_at ON messages (received_at);
CREATE INDEX ix_messages_observer_node_id ON messages (observer_node_id);
