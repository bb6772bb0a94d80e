-- The referenced column of a foreign key: table $1 (oid), literal column name $2. No row if there is no
-- such column. `key_opfamily`/`key_opcintype`: the operator family and input type of a unique index on
-- exactly this column that a foreign key can use (valid, not deferrable, no predicate, no expression,
-- one key column); NULL when there is none. indnkeyatts exists from PostgreSQL 11.
SELECT a.attnum AS attnum,
       a.atttypid::int8 AS type_oid,
       format_type(a.atttypid, a.atttypmod) AS type,
       k.opcfamily::int8 AS key_opfamily,
       k.opcintype::int8 AS key_opcintype,
       k.index_name AS key_index
FROM pg_attribute a
LEFT JOIN LATERAL (
    SELECT oc.opcfamily, oc.opcintype, ic.relname AS index_name
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_opclass oc ON oc.oid = i.indclass[0]
    WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indisvalid AND i.indimmediate
      AND i.indpred IS NULL AND i.indexprs IS NULL
      AND coalesce((to_jsonb(i) ->> 'indnkeyatts')::int, i.indnatts) = 1
      AND i.indkey[0] = a.attnum
    ORDER BY i.indisprimary DESC, ic.relname
    LIMIT 1
) k ON true
WHERE a.attrelid = $1::oid AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped
