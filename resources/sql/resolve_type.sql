-- A type by its SQL name ($1, e.g. numeric(12,2), "char", sales.mood; type modifiers are ignored here).
-- Always one row: oid is NULL when the type is unknown.
SELECT t.oid::int8 AS oid,
       t.typtype::text AS typtype,
       t.typisdefined AS is_defined
FROM (SELECT to_regtype($1) AS oid) r
LEFT JOIN pg_type t ON t.oid = r.oid
