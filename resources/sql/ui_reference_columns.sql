-- The columns of table $1 (oid) a foreign key can reference: each is alone the key of a unique index
-- PostgreSQL accepts for a foreign key (valid, not deferrable, no predicate, no expression, one key
-- column), the same rule as resolve_fk_target.sql. indnkeyatts exists from PostgreSQL 11.
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       bool_or(i.indisprimary) AS is_primary
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid AND i.indimmediate
  AND i.indpred IS NULL AND i.indexprs IS NULL
  AND coalesce((to_jsonb(i) ->> 'indnkeyatts')::int, i.indnatts) = 1
  AND a.attnum > 0 AND NOT a.attisdropped
GROUP BY a.attname, a.atttypid, a.atttypmod, a.attnum
ORDER BY bool_or(i.indisprimary) DESC, a.attnum
