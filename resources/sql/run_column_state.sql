-- Whether column $2 (literal name) of table $1 exists, its type, whether that is the type $3 (type
-- syntax; a typmod is ignored), whether it is NOT NULL and an identity column. No row: the column does not exist.
SELECT format_type(a.atttypid, a.atttypmod) AS type,
       (a.atttypid = to_regtype($3)) AS same_type,
       a.attnotnull AS not_null,
       a.attidentity <> '' AS identity
FROM pg_attribute a
WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped
