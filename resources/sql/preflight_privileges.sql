-- What the role running Lockstep may do, for a plan on table $1 (with a foreign key to table $2; NULL:
-- none): own the table (ALTER TABLE), CREATE in its schema (the sync functions and helper tables), TRIGGER
-- on it, REFERENCES on the target, see other roles' sessions (pg_read_all_stats, in pg_monitor: long
-- transactions, replica lag) and cancel a blocker (pg_signal_backend).
SELECT current_user::text AS role,
       r.rolsuper AS superuser,
       pg_get_userbyid(c.relowner)::text AS owner,
       pg_has_role(c.relowner, 'USAGE') AS owns_table,
       n.nspname AS schema,
       has_schema_privilege(n.oid, 'CREATE') AS schema_create,
       has_table_privilege(c.oid, 'TRIGGER') AS table_trigger,
       CASE WHEN $2::text IS NULL THEN true ELSE has_table_privilege(to_regclass($2::text), 'REFERENCES') END AS fk_references,
       (r.rolsuper OR pg_has_role('pg_read_all_stats', 'USAGE')) AS sees_sessions,
       (r.rolsuper OR pg_has_role('pg_signal_backend', 'USAGE')) AS signal_backend
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_roles r ON r.rolname = current_user
WHERE c.oid = to_regclass($1)
