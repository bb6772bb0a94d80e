-- The oid of table $1 (a quoted, schema-qualified name), NULL if there is no such table.
SELECT to_regclass($1)::oid::bigint AS oid
