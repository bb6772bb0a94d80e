-- One table's identity, size and statistics. $1 = the table's oid.
-- A partitioned table holds no data itself: its sizes and statistics are the sum of its leaf partitions
-- (pg_inherits walked recursively, so this also works before pg_partition_tree, PostgreSQL 12).
WITH RECURSIVE tree(relid) AS (
    SELECT $1::oid
    UNION ALL
    SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid
    WHERE (SELECT relkind FROM pg_class WHERE oid = $1::oid) = 'p'
), leaves AS (
    SELECT c.oid, c.relpages, c.reltuples
    FROM tree JOIN pg_class c ON c.oid = tree.relid
    WHERE c.relkind IN ('r', 'm', 't')
)
SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS relkind,
       (SELECT coalesce(sum(pg_total_relation_size(l.oid)), 0) FROM leaves l)::int8 AS total_bytes,
       (SELECT coalesce(sum(pg_relation_size(l.oid)), 0) FROM leaves l)::int8 AS heap_bytes,
       (SELECT coalesce(sum(l.relpages), 0) FROM leaves l)::int8 AS relpages,
       (SELECT coalesce(sum(greatest(l.reltuples, 0)), 0) FROM leaves l)::float8 AS reltuples,
       -- Statistics unknown: never vacuumed or analyzed (-1 from PostgreSQL 14; 0 tuples on 0 pages before).
       (SELECT coalesce(bool_or(l.reltuples < 0 OR (l.reltuples = 0 AND l.relpages = 0)), true) FROM leaves l)
           AS stats_unknown,
       current_setting('block_size')::int8 AS block_size,
       current_setting('full_page_writes') = 'on' AS full_page_writes   -- the WAL estimate counts page images
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = $1::oid
