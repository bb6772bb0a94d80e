-- The partitions of partitioned table $1 (an oid), every level, parents before their children: each one's
-- schema and name, its parent's, whether it is partitioned itself, and its size (reltuples, relpages). Plus, on every row, the partition
-- key's columns of table $1 (a JSON array; expressions are listed as their text).
WITH RECURSIVE tree AS (
    SELECT i.inhrelid AS oid, i.inhparent AS parent, 1 AS depth
    FROM pg_inherits i WHERE i.inhparent = $1::oid
    UNION ALL
    SELECT i.inhrelid, i.inhparent, t.depth + 1
    FROM pg_inherits i JOIN tree t ON i.inhparent = t.oid
)
SELECT n.nspname AS schema, c.relname AS name, pn.nspname AS parent_schema, p.relname AS parent_name,
       c.relkind = 'p' AS partitioned, t.depth, c.reltuples AS row_estimate, c.relpages,
       (SELECT coalesce(json_agg(coalesce(a.attname::text, pg_get_partkeydef($1::oid))), '[]')::text
        FROM pg_partitioned_table pt
        CROSS JOIN LATERAL unnest(pt.partattrs::int2[]) AS k(attnum)
        LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum AND k.attnum > 0
        WHERE pt.partrelid = $1::oid) AS key_columns
FROM tree t
JOIN pg_class c ON c.oid = t.oid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class p ON p.oid = t.parent
JOIN pg_namespace pn ON pn.oid = p.relnamespace
ORDER BY t.depth, n.nspname, c.relname
