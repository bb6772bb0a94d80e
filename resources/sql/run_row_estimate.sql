-- The planner statistics' row count of table $1 (-1 or 0 when never analysed).
SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = to_regclass($1)
