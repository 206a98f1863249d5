-- Version 11 adds the bookkeeping of 'meshhub db import-meshcore-hub': the run (which source, at which MeshCore Hub
-- schema revision, what it looked like when the import began) and one counted checkpoint per source table. A
-- checkpoint moves only once every row it counts has been persisted by the entities, so an import killed at any
-- moment carries on from it, and the rows after it are sent again (the entities recognise what they already hold).
-- Times are epoch milliseconds; the counters are a JSON object (rows mapped, rows not mapped by reason, events
-- written, read rows expected), the same on every backend.
CREATE TABLE IF NOT EXISTS meshhub_import_run (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  source TEXT NOT NULL,
  source_revision VARCHAR(32) NOT NULL,
  source_fingerprint TEXT NOT NULL,
  over_earlier_data BOOLEAN NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE TABLE IF NOT EXISTS meshhub_import_checkpoint (
  source_table VARCHAR(63) PRIMARY KEY,
  position INTEGER NOT NULL,
  rows_read BIGINT NOT NULL,
  last_key TEXT,
  counters TEXT NOT NULL,
  done BOOLEAN NOT NULL,
  updated_at BIGINT NOT NULL
);
