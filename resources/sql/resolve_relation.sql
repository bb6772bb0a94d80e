-- A relation by its name as SQL writes it ($1, e.g. sales."Order Items"), found through search_path as
-- the server itself would. Always one row: oid is NULL when no relation has that name.
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS relkind,
       c.relispartition AS is_partition,
       array_to_string(current_schemas(false), ', ') AS search_path
FROM (SELECT to_regclass($1) AS oid) r
LEFT JOIN pg_class c ON c.oid = r.oid
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
