-- Relation locks of backend $1 (pid) in this database, read by the preview's observer connection.
-- $2 true: only the requests still waiting (granted = false). System catalogs (oid < 16384) are left out:
-- their locks are taken and released inside every statement and say nothing about the step.
-- `relation` is NULL for a relation the observer cannot see (created by the uncommitted preview).
SELECT l.relation::bigint AS relation_oid,
       l.mode,
       l.granted,
       CASE WHEN c.oid IS NULL THEN NULL
            ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END AS relation
FROM pg_locks l
LEFT JOIN pg_class c ON c.oid = l.relation
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = $1
  AND l.locktype = 'relation'
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.relation >= 16384::oid
  AND (NOT $2::boolean OR NOT l.granted)
