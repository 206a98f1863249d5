-- Read side for the dashboard: hourly counters the activity charts read, and the change feed the live stream
-- (GET /api/v1/stream) serves.

-- New hourly counters (bucket = epoch hour of the reception), filled from here on by the projections and, for what
-- was projected before this version, from the rows already there (slice 'v5'; the slices only keep writers apart,
-- readers sum them):
--   message_stats: channel_messages_hour (channel messages by first reception), receptions_hour (receptions of
--                  messages, traces and other packets)
--   node_stats:    advert_receptions_hour (receptions of adverts)
INSERT INTO message_stats (metric, bucket, slice, value)
  SELECT 'channel_messages_hour', received_at / 3600000, 'v5', COUNT(*) FROM messages
  WHERE message_type = 'channel' GROUP BY received_at / 3600000;
INSERT INTO message_stats (metric, bucket, slice, value)
  SELECT 'receptions_hour', received_at / 3600000, 'v5', COUNT(*) FROM receptions GROUP BY received_at / 3600000;
INSERT INTO node_stats (metric, bucket, slice, value)
  SELECT 'advert_receptions_hour', received_at / 3600000, 'v5', COUNT(*) FROM advert_receptions
  GROUP BY received_at / 3600000;

-- The change feed: what the live projections committed that a live page shows (new messages, new adverts, node
-- changes), written in the projection's own transaction, so a row is visible exactly when the read rows it
-- announces are. One row per journal event: ordering is the event's journal ordering, which only grows within a
-- slice, so a reader resumes each slice after the last ordering it saw and never skips a row that became visible
-- late. Kept for meshhub.live.retention, then pruned.
CREATE TABLE IF NOT EXISTS live_events (
  slice VARCHAR(32) NOT NULL,
  ordering BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  written_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (slice, ordering)
);

-- Per slice, the highest ordering pruned from live_events: a reader that last saw an older one has missed events.
CREATE TABLE IF NOT EXISTS live_event_slices (
  slice VARCHAR(32) NOT NULL PRIMARY KEY,
  pruned_through BIGINT NOT NULL
);
