-- What the SQL linter needs to know about one table named as SQL writes it ($1, e.g. public."Order Items",
-- resolved through search_path as the server itself would): its total size (with its partitions'), and
-- each live column with its type, whether it is NOT NULL already, and whether a validated CHECK (column IS NOT NULL) already proves it
-- holds no NULL (SET NOT NULL then skips its scan). No row when there is no such table.
SELECT (pg_total_relation_size(c.oid)
        + CASE WHEN c.relkind = 'p'
               THEN COALESCE((SELECT sum(pg_total_relation_size(i.inhrelid))
                              FROM pg_inherits i WHERE i.inhparent = c.oid), 0)
               ELSE 0 END)::int8 AS total_bytes,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       a.attnotnull AS not_null,
       EXISTS (SELECT 1
               FROM pg_constraint k
               WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.convalidated
                 AND k.conkey = ARRAY[a.attnum]
                 AND pg_get_expr(k.conbin, k.conrelid) = format('(%I IS NOT NULL)', a.attname)) AS not_null_checked
FROM pg_class c
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.oid = to_regclass($1)
ORDER BY a.attnum
