-- MeshCore Hub's PostgreSQL schema at Alembic revision a59611449e2a, the head of its releases v0.18 to v0.20, in
-- its default schema meshcorehub: the tables, columns, keys and indexes its migrations create, as pg_dump lists
-- them. The tests create a MeshCore Hub source from it in a scratch schema of their own.
CREATE SCHEMA meshcorehub;
CREATE TABLE meshcorehub.advertisements (
    id character varying NOT NULL,
    observer_node_id character varying,
    node_id character varying,
    public_key character varying(64) NOT NULL,
    name character varying(255),
    adv_type character varying(20),
    flags integer,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event_hash character varying(32),
    route_type character varying(20),
    advert_timestamp timestamp with time zone,
    packet_hash character varying(32)
);
CREATE TABLE meshcorehub.alembic_version (
    version_num character varying(32) NOT NULL
);
CREATE TABLE meshcorehub.channels (
    name character varying(100) NOT NULL,
    key_hex character varying(64) NOT NULL,
    channel_hash character varying(2) NOT NULL,
    visibility character varying(20) NOT NULL,
    enabled boolean NOT NULL,
    id character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE TABLE meshcorehub.event_observers (
    id character varying(36) NOT NULL,
    event_type character varying(20) NOT NULL,
    event_hash character varying(32) NOT NULL,
    observer_node_id character varying(36) NOT NULL,
    snr double precision,
    observed_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    path_len integer
);
CREATE TABLE meshcorehub.events_log (
    id character varying NOT NULL,
    observer_node_id character varying,
    event_type character varying(50) NOT NULL,
    payload json,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE meshcorehub.messages (
    id character varying NOT NULL,
    observer_node_id character varying,
    message_type character varying(20) NOT NULL,
    pubkey_prefix character varying(12),
    channel_idx integer,
    text text NOT NULL,
    path_len integer,
    txt_type integer,
    signature character varying(32),
    snr double precision,
    sender_timestamp timestamp with time zone,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event_hash character varying(32),
    packet_hash character varying(32),
    path_prefix character varying(48),
    sender_normalized character varying(255),
    spam_score double precision
);
CREATE TABLE meshcorehub.node_tags (
    id character varying NOT NULL,
    node_id character varying NOT NULL,
    key character varying(100) NOT NULL,
    value text,
    value_type character varying(20) DEFAULT 'string'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE meshcorehub.nodes (
    id character varying NOT NULL,
    public_key character varying(64) NOT NULL,
    name character varying(255),
    adv_type character varying(20),
    flags integer,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    lat double precision,
    lon double precision,
    is_observer boolean DEFAULT false NOT NULL
);
CREATE TABLE meshcorehub.packet_path_hops (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    raw_packet_id character varying(36) NOT NULL,
    "position" integer NOT NULL,
    node_hash character varying(6) NOT NULL,
    packet_hash character varying(32),
    event_hash character varying(32),
    received_at timestamp with time zone NOT NULL,
    observer_node_id character varying(36)
);
CREATE TABLE meshcorehub.raw_packets (
    observer_node_id character varying,
    packet_hash character varying(32),
    raw_hex text,
    packet_type integer,
    payload_type integer,
    event_type character varying(50),
    channel_idx integer,
    source_pubkey_prefix character varying(12),
    route_type character varying(20),
    path_len integer,
    snr double precision,
    decoded json,
    received_at timestamp with time zone NOT NULL,
    id character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    path_hash_bytes integer,
    event_hash character varying(32)
);
CREATE TABLE meshcorehub.route_nodes (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    route_id character varying(36) NOT NULL,
    node_id character varying(36) NOT NULL,
    "position" integer NOT NULL,
    expected_hash character varying(6)
);
CREATE TABLE meshcorehub.route_observers (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    route_id character varying(36) NOT NULL,
    node_id character varying(36) NOT NULL
);
CREATE TABLE meshcorehub.route_recent_matches (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    route_id character varying(36) NOT NULL,
    raw_packet_id character varying(36) NOT NULL,
    first_position integer NOT NULL,
    last_position integer NOT NULL
);
CREATE TABLE meshcorehub.route_result_history (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    route_id character varying(36) NOT NULL,
    date date NOT NULL,
    quality character varying(20) NOT NULL,
    state character varying(20) NOT NULL,
    matched_count integer NOT NULL,
    evaluated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE meshcorehub.route_results (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    route_id character varying(36) NOT NULL,
    state character varying(20) NOT NULL,
    quality character varying(20) NOT NULL,
    matched_count integer NOT NULL,
    threshold integer NOT NULL,
    effective_clear integer NOT NULL,
    evaluated_at timestamp with time zone NOT NULL,
    quality_avg character varying(20)
);
CREATE TABLE meshcorehub.routes (
    id character varying(36) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    from_label character varying(255) NOT NULL,
    to_label character varying(255) NOT NULL,
    description text,
    visibility character varying(20) NOT NULL,
    match_width integer NOT NULL,
    window_hours integer NOT NULL,
    packet_count_threshold integer NOT NULL,
    clear_threshold integer,
    max_hop_span integer,
    enabled boolean NOT NULL,
    reversible boolean DEFAULT true NOT NULL,
    max_path_length integer,
    created_by character varying(255)
);
CREATE TABLE meshcorehub.telemetry (
    id character varying NOT NULL,
    observer_node_id character varying,
    node_id character varying,
    node_public_key character varying(64) NOT NULL,
    lpp_data bytea,
    parsed_data json,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event_hash character varying(32)
);
CREATE TABLE meshcorehub.trace_paths (
    id character varying NOT NULL,
    observer_node_id character varying,
    initiator_tag bigint NOT NULL,
    path_len integer,
    flags integer,
    auth integer,
    path_hashes json,
    snr_values json,
    hop_count integer,
    received_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event_hash character varying(32)
);
CREATE TABLE meshcorehub.user_profile_nodes (
    user_profile_id character varying NOT NULL,
    node_id character varying NOT NULL,
    adopted_at timestamp with time zone NOT NULL
);
CREATE TABLE meshcorehub.user_profiles (
    user_id character varying(255) NOT NULL,
    name character varying(255),
    callsign character varying(20),
    id character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    roles text,
    description text,
    url character varying(2048)
);
ALTER TABLE ONLY meshcorehub.advertisements
    ADD CONSTRAINT advertisements_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);
ALTER TABLE ONLY meshcorehub.channels
    ADD CONSTRAINT channels_key_hex_key UNIQUE (key_hex);
ALTER TABLE ONLY meshcorehub.channels
    ADD CONSTRAINT channels_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.event_observers
    ADD CONSTRAINT event_receivers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.events_log
    ADD CONSTRAINT events_log_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.node_tags
    ADD CONSTRAINT node_tags_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.nodes
    ADD CONSTRAINT nodes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.nodes
    ADD CONSTRAINT nodes_public_key_key UNIQUE (public_key);
ALTER TABLE ONLY meshcorehub.packet_path_hops
    ADD CONSTRAINT packet_path_hops_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.raw_packets
    ADD CONSTRAINT raw_packets_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.route_nodes
    ADD CONSTRAINT route_nodes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.route_observers
    ADD CONSTRAINT route_observers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.route_recent_matches
    ADD CONSTRAINT route_recent_matches_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.route_result_history
    ADD CONSTRAINT route_result_history_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.route_results
    ADD CONSTRAINT route_results_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.routes
    ADD CONSTRAINT routes_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.telemetry
    ADD CONSTRAINT telemetry_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.trace_paths
    ADD CONSTRAINT trace_paths_pkey PRIMARY KEY (id);
ALTER TABLE ONLY meshcorehub.advertisements
    ADD CONSTRAINT uq_advertisements_event_hash UNIQUE (event_hash);
ALTER TABLE ONLY meshcorehub.event_observers
    ADD CONSTRAINT uq_event_observers_hash_node UNIQUE (event_hash, observer_node_id);
ALTER TABLE ONLY meshcorehub.messages
    ADD CONSTRAINT uq_messages_event_hash UNIQUE (event_hash);
ALTER TABLE ONLY meshcorehub.node_tags
    ADD CONSTRAINT uq_node_tags_node_key UNIQUE (node_id, key);
ALTER TABLE ONLY meshcorehub.route_recent_matches
    ADD CONSTRAINT uq_route_recent_matches_route_packet UNIQUE (route_id, raw_packet_id);
ALTER TABLE ONLY meshcorehub.route_result_history
    ADD CONSTRAINT uq_route_result_history_route_date UNIQUE (route_id, date);
ALTER TABLE ONLY meshcorehub.telemetry
    ADD CONSTRAINT uq_telemetry_event_hash UNIQUE (event_hash);
ALTER TABLE ONLY meshcorehub.trace_paths
    ADD CONSTRAINT uq_trace_paths_event_hash UNIQUE (event_hash);
ALTER TABLE ONLY meshcorehub.user_profile_nodes
    ADD CONSTRAINT uq_user_profile_nodes_node_id UNIQUE (node_id);
ALTER TABLE ONLY meshcorehub.user_profile_nodes
    ADD CONSTRAINT user_profile_nodes_pkey PRIMARY KEY (user_profile_id, node_id);
ALTER TABLE ONLY meshcorehub.user_profiles
    ADD CONSTRAINT user_profiles_pkey PRIMARY KEY (id);
CREATE INDEX ix_advertisements_node_id ON meshcorehub.advertisements USING btree (node_id);
CREATE INDEX ix_advertisements_observer_node_id ON meshcorehub.advertisements USING btree (observer_node_id);
CREATE INDEX ix_advertisements_packet_hash ON meshcorehub.advertisements USING btree (packet_hash);
CREATE INDEX ix_advertisements_public_key ON meshcorehub.advertisements USING btree (public_key);
CREATE INDEX ix_advertisements_received_at ON meshcorehub.advertisements USING btree (received_at);
CREATE UNIQUE INDEX ix_channels_name ON meshcorehub.channels USING btree (name);
CREATE INDEX ix_event_observers_event_hash ON meshcorehub.event_observers USING btree (event_hash);
CREATE INDEX ix_event_observers_observer_node_id ON meshcorehub.event_observers USING btree (observer_node_id);
CREATE INDEX ix_event_observers_type_hash ON meshcorehub.event_observers USING btree (event_type, event_hash);
CREATE INDEX ix_events_log_event_type ON meshcorehub.events_log USING btree (event_type);
CREATE INDEX ix_events_log_observer_node_id ON meshcorehub.events_log USING btree (observer_node_id);
CREATE INDEX ix_events_log_received_at ON meshcorehub.events_log USING btree (received_at);
CREATE INDEX ix_messages_channel_idx ON meshcorehub.messages USING btree (channel_idx);
CREATE INDEX ix_messages_message_type ON meshcorehub.messages USING btree (message_type);
CREATE INDEX ix_messages_observer_node_id ON meshcorehub.messages USING btree (observer_node_id);
CREATE INDEX ix_messages_packet_hash ON meshcorehub.messages USING btree (packet_hash);
CREATE INDEX ix_messages_path_prefix_received_at ON meshcorehub.messages USING btree (path_prefix, received_at);
CREATE INDEX ix_messages_pubkey_prefix ON meshcorehub.messages USING btree (pubkey_prefix);
CREATE INDEX ix_messages_received_at ON meshcorehub.messages USING btree (received_at);
CREATE INDEX ix_messages_sender_normalized_received_at ON meshcorehub.messages USING btree (sender_normalized, received_at);
CREATE INDEX ix_node_tags_key ON meshcorehub.node_tags USING btree (key);
CREATE INDEX ix_node_tags_node_id ON meshcorehub.node_tags USING btree (node_id);
CREATE INDEX ix_nodes_adv_type ON meshcorehub.nodes USING btree (adv_type);
CREATE INDEX ix_nodes_is_observer ON meshcorehub.nodes USING btree (is_observer);
CREATE INDEX ix_nodes_last_seen ON meshcorehub.nodes USING btree (last_seen);
CREATE UNIQUE INDEX ix_nodes_public_key ON meshcorehub.nodes USING btree (public_key);
CREATE INDEX ix_packet_path_hops_event_hash_received_at ON meshcorehub.packet_path_hops USING btree (event_hash, received_at);
CREATE INDEX ix_packet_path_hops_node_hash_received_at ON meshcorehub.packet_path_hops USING btree (node_hash, received_at);
CREATE INDEX ix_packet_path_hops_raw_packet_id_position ON meshcorehub.packet_path_hops USING btree (raw_packet_id, "position") INCLUDE (node_hash, packet_hash, event_hash, received_at, observer_node_id);
CREATE INDEX ix_packet_path_hops_received_at ON meshcorehub.packet_path_hops USING btree (received_at);
CREATE INDEX ix_raw_packets_channel_idx ON meshcorehub.raw_packets USING btree (channel_idx);
CREATE INDEX ix_raw_packets_channel_idx_received_at ON meshcorehub.raw_packets USING btree (channel_idx, received_at);
CREATE INDEX ix_raw_packets_event_hash ON meshcorehub.raw_packets USING btree (event_hash);
CREATE INDEX ix_raw_packets_event_type ON meshcorehub.raw_packets USING btree (event_type);
CREATE INDEX ix_raw_packets_event_type_received_at ON meshcorehub.raw_packets USING btree (event_type, received_at);
CREATE INDEX ix_raw_packets_observer_node_id ON meshcorehub.raw_packets USING btree (observer_node_id);
CREATE INDEX ix_raw_packets_packet_hash ON meshcorehub.raw_packets USING btree (packet_hash);
CREATE INDEX ix_raw_packets_packet_hash_received_at ON meshcorehub.raw_packets USING btree (packet_hash, received_at);
CREATE INDEX ix_raw_packets_packet_type ON meshcorehub.raw_packets USING btree (packet_type);
CREATE INDEX ix_raw_packets_received_at ON meshcorehub.raw_packets USING btree (received_at);
CREATE INDEX ix_raw_packets_source_pubkey_prefix ON meshcorehub.raw_packets USING btree (source_pubkey_prefix);
CREATE INDEX ix_raw_packets_source_pubkey_prefix_received_at ON meshcorehub.raw_packets USING btree (source_pubkey_prefix, received_at);
CREATE INDEX ix_route_nodes_node_id ON meshcorehub.route_nodes USING btree (node_id);
CREATE INDEX ix_route_nodes_route_id ON meshcorehub.route_nodes USING btree (route_id);
CREATE INDEX ix_route_observers_node_id ON meshcorehub.route_observers USING btree (node_id);
CREATE INDEX ix_route_observers_route_id ON meshcorehub.route_observers USING btree (route_id);
CREATE INDEX ix_route_recent_matches_route_id ON meshcorehub.route_recent_matches USING btree (route_id);
CREATE INDEX ix_route_result_history_route_id ON meshcorehub.route_result_history USING btree (route_id);
CREATE INDEX ix_route_result_history_route_id_date ON meshcorehub.route_result_history USING btree (route_id, date);
CREATE UNIQUE INDEX ix_route_results_route_id ON meshcorehub.route_results USING btree (route_id);
CREATE UNIQUE INDEX ix_routes_from_to ON meshcorehub.routes USING btree (from_label, to_label);
CREATE INDEX ix_telemetry_node_id ON meshcorehub.telemetry USING btree (node_id);
CREATE INDEX ix_telemetry_node_public_key ON meshcorehub.telemetry USING btree (node_public_key);
CREATE INDEX ix_telemetry_observer_node_id ON meshcorehub.telemetry USING btree (observer_node_id);
CREATE INDEX ix_telemetry_received_at ON meshcorehub.telemetry USING btree (received_at);
CREATE INDEX ix_trace_paths_initiator_tag ON meshcorehub.trace_paths USING btree (initiator_tag);
CREATE INDEX ix_trace_paths_observer_node_id ON meshcorehub.trace_paths USING btree (observer_node_id);
CREATE INDEX ix_trace_paths_received_at ON meshcorehub.trace_paths USING btree (received_at);
CREATE INDEX ix_user_profile_nodes_node_id ON meshcorehub.user_profile_nodes USING btree (node_id);
CREATE UNIQUE INDEX ix_user_profiles_user_id ON meshcorehub.user_profiles USING btree (user_id);
ALTER TABLE ONLY meshcorehub.advertisements
    ADD CONSTRAINT advertisements_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.advertisements
    ADD CONSTRAINT advertisements_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.event_observers
    ADD CONSTRAINT event_receivers_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.events_log
    ADD CONSTRAINT events_log_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.messages
    ADD CONSTRAINT messages_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.node_tags
    ADD CONSTRAINT node_tags_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.packet_path_hops
    ADD CONSTRAINT packet_path_hops_observer_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.packet_path_hops
    ADD CONSTRAINT packet_path_hops_raw_packet_id_fkey FOREIGN KEY (raw_packet_id) REFERENCES meshcorehub.raw_packets(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.raw_packets
    ADD CONSTRAINT raw_packets_observer_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.route_nodes
    ADD CONSTRAINT route_nodes_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_nodes
    ADD CONSTRAINT route_nodes_route_id_fkey FOREIGN KEY (route_id) REFERENCES meshcorehub.routes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_observers
    ADD CONSTRAINT route_observers_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_observers
    ADD CONSTRAINT route_observers_route_id_fkey FOREIGN KEY (route_id) REFERENCES meshcorehub.routes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_recent_matches
    ADD CONSTRAINT route_recent_matches_raw_packet_id_fkey FOREIGN KEY (raw_packet_id) REFERENCES meshcorehub.raw_packets(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_recent_matches
    ADD CONSTRAINT route_recent_matches_route_id_fkey FOREIGN KEY (route_id) REFERENCES meshcorehub.routes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_result_history
    ADD CONSTRAINT route_result_history_route_id_fkey FOREIGN KEY (route_id) REFERENCES meshcorehub.routes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.route_results
    ADD CONSTRAINT route_results_route_id_fkey FOREIGN KEY (route_id) REFERENCES meshcorehub.routes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.telemetry
    ADD CONSTRAINT telemetry_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.telemetry
    ADD CONSTRAINT telemetry_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.trace_paths
    ADD CONSTRAINT trace_paths_receiver_node_id_fkey FOREIGN KEY (observer_node_id) REFERENCES meshcorehub.nodes(id) ON DELETE SET NULL;
ALTER TABLE ONLY meshcorehub.user_profile_nodes
    ADD CONSTRAINT user_profile_nodes_node_id_fkey FOREIGN KEY (node_id) REFERENCES meshcorehub.nodes(id) ON DELETE CASCADE;
ALTER TABLE ONLY meshcorehub.user_profile_nodes
    ADD CONSTRAINT user_profile_nodes_user_profile_id_fkey FOREIGN KEY (user_profile_id) REFERENCES meshcorehub.user_profiles(id) ON DELETE CASCADE;
