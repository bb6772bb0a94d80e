-- Index $2 (literal name) on table $1: valid (usable, built) or a leftover of a failed CONCURRENTLY
-- build. No row: it does not exist. Also its schema, to drop a leftover by its qualified name.
SELECT i.indisvalid AS valid, n.nspname AS schema
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid = to_regclass($1) AND c.relname = $2
