-- The planner statistics' row count of table $1 (oid): -1 when it was never analysed.
SELECT reltuples::bigint AS rows FROM pg_class WHERE oid = $1::oid
