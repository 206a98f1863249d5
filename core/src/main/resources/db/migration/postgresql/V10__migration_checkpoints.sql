-- Progress of 'meshhub db migrate-to-postgres' (SQLite to PostgreSQL), PostgreSQL only: the run (which source file,
-- its fingerprint when the copy began) and one checkpoint per copied table. A checkpoint is updated in the same
-- transaction as the batch of rows it counts, so after a crash it says exactly which rows are in this schema.
CREATE TABLE IF NOT EXISTS meshhub_migration_run (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  source_path TEXT NOT NULL,
  source_schema_version INTEGER NOT NULL,
  source_fingerprint TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS meshhub_migration_checkpoint (
  table_name VARCHAR(63) PRIMARY KEY,
  position INTEGER NOT NULL,
  last_key TEXT,
  rows_copied BIGINT NOT NULL,
  checksum BIGINT NOT NULL,
  done BOOLEAN NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- Indexes and constraints of the copied tables, set aside while the rows stream in (building an index once over all
-- rows is several times faster than updating it row by row) and built again, one per transaction, at the end.
CREATE TABLE IF NOT EXISTS meshhub_migration_deferred (
  id SERIAL PRIMARY KEY,
  table_name VARCHAR(63) NOT NULL,
  name VARCHAR(63) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  ddl TEXT NOT NULL
);
