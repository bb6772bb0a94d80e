-- The file node of relation $1 (oid): a rewrite (ALTER COLUMN TYPE, a volatile default) gives it a new one.
SELECT pg_relation_filenode($1::oid)::bigint AS filenode
