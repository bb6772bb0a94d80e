-- Foreign keys that point at column $2 (attnum) of table $1 (oid), from any table (itself included).
SELECT c.conname AS name,
       c.conrelid::regclass::text AS from_table
FROM pg_constraint c
WHERE c.contype = 'f' AND c.confrelid = $1::oid AND $2::int2 = ANY (c.confkey)
ORDER BY 2, 1
