-- The table's constraints. $1 = the table's oid. `columns`: JSON array of the constrained columns' literal
-- names (conkey order).
SELECT c.conname AS name,
       c.contype::text AS type,
       pg_get_constraintdef(c.oid) AS definition,
       c.convalidated AS validated,
       to_json(ARRAY(
           SELECT a.attname
           FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord))::text AS columns
FROM pg_constraint c
WHERE c.conrelid = $1::oid
ORDER BY c.conname
