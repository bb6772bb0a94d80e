-- The schema of table $1 (to name the indexes made on it: an index lives in its table's schema).
SELECT n.nspname AS schema
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1)
