-- The type of column $2 (literal name) of table $1 (oid) as format_type writes it, inside the preview
-- transaction (the column may exist only there); no row if it does not exist.
SELECT format_type(atttypid, atttypmod) AS type
FROM pg_attribute
WHERE attrelid = $1::oid AND attname = $2 AND attnum > 0 AND NOT attisdropped
