-- Index $2 (literal name) on table $1 or on one of its partitions (any level): valid (built) or a leftover
-- of a failed CONCURRENTLY build.
-- No row: it does not exist. Also its schema, to drop a leftover by its qualified name.
WITH RECURSIVE tree AS (
    SELECT to_regclass($1)::oid AS oid
    UNION ALL
    SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid
)
SELECT i.indisvalid AS valid, n.nspname AS schema
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indrelid IN (SELECT oid FROM tree) AND c.relname = $2
LIMIT 1
