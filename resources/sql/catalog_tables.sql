-- Catalog, once per load: every user table (ordinary or partitioned; no system or temp schema) with its
-- sizes, row estimate, shape and partition parent, in one pass over pg_class. $1 = the heap size in bytes
-- from which indexes and TOAST are measured too.
-- Opening a relation to measure it costs ~25-100 microseconds (more on a fresh connection): on 10,000
-- tables that is seconds. So the heap is always measured (pg_relation_size, one open per table), and a
-- table's indexes and TOAST only when its heap reaches $1; below that they come from the page counts that
-- VACUUM, ANALYZE and CREATE INDEX keep in pg_class (sizes_estimated). A table that someone holds (or
-- waits for) in ACCESS EXCLUSIVE mode is not opened at all: its sizes all come from pg_class, so reading
-- the catalog never waits behind a running ALTER. Partitioned tables hold no data: the caller sums leaves.
WITH exclusive AS (
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
), tables AS (
    SELECT c.oid, n.nspname, c.relname, c.relkind, c.reltuples, c.relpages, c.reltoastrelid, c.relispartition,
           (e.relation IS NOT NULL) AS locked
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN exclusive e ON e.relation = c.oid
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
), columns AS (
    SELECT a.attrelid, count(*) AS column_count
    FROM pg_attribute a JOIN tables t ON t.oid = a.attrelid
    WHERE a.attnum > 0 AND NOT a.attisdropped
    GROUP BY a.attrelid
), indexes AS (
    SELECT i.indrelid, count(*) AS index_count, bool_or(i.indisprimary) AS has_primary_key,
           sum(ic.relpages)::int8 AS index_pages
    FROM pg_index i JOIN tables t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    GROUP BY i.indrelid
), toast AS (
    SELECT t.oid, (tc.relpages + coalesce((SELECT sum(tic.relpages) FROM pg_index ti
                                           JOIN pg_class tic ON tic.oid = ti.indexrelid
                                           WHERE ti.indrelid = tc.oid), 0))::int8 AS toast_pages
    FROM tables t JOIN pg_class tc ON tc.oid = t.reltoastrelid
), measured AS (
    -- Volatile (pg_relation_size), so evaluated once per table, not inlined into the expressions below.
    SELECT t.*, CASE WHEN t.locked OR t.relkind <> 'r' THEN t.relpages::int8 * current_setting('block_size')::int8
                     ELSE pg_relation_size(t.oid) END AS heap_bytes
    FROM tables t
), sized AS (
    SELECT m.*, (NOT m.locked AND m.relkind = 'r' AND m.heap_bytes >= $1::int8) AS exact
    FROM measured m
)
SELECT s.oid::int8 AS oid,
       s.nspname AS schema,
       s.relname AS name,
       s.relkind::text AS relkind,
       s.reltuples::float8 AS reltuples,
       s.heap_bytes,
       CASE WHEN s.exact THEN pg_indexes_size(s.oid)
            ELSE coalesce(ix.index_pages, 0) * current_setting('block_size')::int8 END AS index_bytes,
       CASE WHEN s.reltoastrelid = 0 THEN 0
            WHEN s.exact THEN pg_total_relation_size(s.reltoastrelid)
            ELSE coalesce(ts.toast_pages, 0) * current_setting('block_size')::int8 END AS toast_bytes,
       CASE WHEN s.exact THEN pg_total_relation_size(s.oid) ELSE -1 END AS total_bytes,
       NOT s.exact AS sizes_estimated,
       coalesce(col.column_count, 0)::int4 AS column_count,
       coalesce(ix.index_count, 0)::int4 AS index_count,
       coalesce(ix.has_primary_key, false) AS has_primary_key,
       CASE WHEN s.relispartition THEN
           (SELECT pn.nspname || '.' || pc.relname
            FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE i.inhrelid = s.oid LIMIT 1)
       END AS partition_parent
FROM sized s
LEFT JOIN columns col ON col.attrelid = s.oid
LEFT JOIN indexes ix ON ix.indrelid = s.oid
LEFT JOIN toast ts ON ts.oid = s.oid
ORDER BY s.nspname, s.relname
