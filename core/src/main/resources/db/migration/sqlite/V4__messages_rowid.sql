-- messages.id exists on SQLite since V3 (the rowid its FTS5 index points at); PostgreSQL adds the same column in its
-- V4 so that both dialects have the same columns.

-- V3 seeded read_models with a row per model; a rebuild creates its model's row instead, so that a freshly
-- created database holds no rows at all.
DELETE FROM read_models WHERE rebuilt_at IS NULL;
