-- The table's indexes. $1 = the table's oid. `columns` is a JSON array of the key columns' literal names
-- in index order (INCLUDE columns and expressions left out); `key_count` counts key positions,
-- expressions included. indnkeyatts exists from PostgreSQL 11; before, every column is a key column.
SELECT ic.relname AS name,
       pg_get_indexdef(i.indexrelid) AS definition,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS is_valid,
       i.indpred IS NOT NULL AS is_partial,
       i.indexprs IS NOT NULL AS has_expressions,
       am.amname AS access_method,
       pg_relation_size(i.indexrelid)::int8 AS bytes,
       coalesce((to_jsonb(i) ->> 'indnkeyatts')::int, i.indnatts) AS key_count,
       to_json(ARRAY(
           SELECT a.attname
           FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= coalesce((to_jsonb(i) ->> 'indnkeyatts')::int, i.indnatts)
           ORDER BY k.ord))::text AS columns
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = $1::oid
ORDER BY ic.relname
