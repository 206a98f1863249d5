-- The schema lease: one row naming the MeshHub cluster (or single instance) that writes this schema, kept fresh by a
-- heartbeat from that cluster's lease keeper. A node of another cluster, or another instance, that finds a live
-- lease held by someone else refuses to start; a lease whose heartbeat is older than the expiry is taken over.
-- Times come from the database's clock, so that the hosts' clocks need not agree.
CREATE TABLE IF NOT EXISTS meshhub_lease (
  name VARCHAR(40) PRIMARY KEY,
  -- cluster address (host:port) of the node holding the lease for its cluster
  holder VARCHAR(300) NOT NULL,
  -- host name and process id of that node, so that a restart on the same host sees its predecessor is gone
  host VARCHAR(255) NOT NULL,
  pid BIGINT NOT NULL,
  -- the schema version the holder's cluster runs
  schema_version INTEGER NOT NULL,
  -- cluster addresses of the holder's cluster at the last heartbeat, comma-separated
  members TEXT NOT NULL,
  since TIMESTAMPTZ NOT NULL,
  heartbeat_at TIMESTAMPTZ NOT NULL
);
