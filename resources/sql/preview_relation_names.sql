-- "schema.name" of the relations $1 (an oid[] literal), read inside the preview transaction so that the
-- relations it created (not yet visible to other sessions) get their names too.
SELECT c.oid::bigint AS relation_oid,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS relation
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY ($1::oid[])
