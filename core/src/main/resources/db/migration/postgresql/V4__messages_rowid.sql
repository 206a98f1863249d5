-- SQLite's messages table has an integer rowid column (id), the key of its FTS5 index. PostgreSQL searches through
-- a tsvector instead and does not need it, but keeps the column so that both dialects have the same columns: a
-- SQLite database migrated to PostgreSQL copies its read tables over as they are. Unused on PostgreSQL (rows the
-- projections write there leave it NULL).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS id BIGINT;

-- V3 seeded read_models with a row per model; a rebuild creates its model's row instead, so that a freshly
-- created schema holds no rows at all (the SQLite-to-PostgreSQL migration only writes into an empty schema).
DELETE FROM read_models WHERE rebuilt_at IS NULL;
