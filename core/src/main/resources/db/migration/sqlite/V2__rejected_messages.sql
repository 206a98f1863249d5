-- Ingested messages that were rejected (bad JSON, unknown topic, undecodable packet, ...), kept for inspection with
-- bounded retention (the newest REJECTED_RETENTION rows, at most REJECTED_RETENTION_DAYS days old).
-- payload: the message bytes as received, cut at the 64 KiB ingest limit; payload_size: the size before the cut.
-- received_at: ISO-8601 UTC text with milliseconds (2026-01-31T12:00:00.000Z), which sorts and compares as text.
CREATE TABLE IF NOT EXISTS rejected_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  payload_size INTEGER NOT NULL,
  reason VARCHAR(64) NOT NULL,
  detail TEXT,
  received_at TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS rejected_messages_received_at_idx ON rejected_messages (received_at);
