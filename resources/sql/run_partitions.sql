-- Every partition of partitioned table $1 (SQL syntax), at any level, as schema.name (literal names).
SELECT n.nspname || '.' || c.relname AS partition
FROM pg_partition_tree(to_regclass($1)) p
JOIN pg_class c ON c.oid = p.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE p.level > 0
ORDER BY 1
