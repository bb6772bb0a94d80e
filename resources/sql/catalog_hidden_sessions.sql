-- Sessions in this database whose activity this role may not see: without pg_read_all_stats (pg_monitor)
-- another role's transaction start and query read as NULL and '<insufficient privilege>', so a long
-- transaction among them would look like none. How many, the user tables they hold locks on (pg_locks is
-- readable by every role), and whether this role sees every session.
WITH hidden AS (
    SELECT a.pid
    FROM pg_stat_activity a
    WHERE a.pid <> pg_backend_pid() AND a.usename IS NOT NULL AND a.datname = current_database()
      AND a.query = '<insufficient privilege>'
)
SELECT (SELECT count(*) FROM hidden)::int AS hidden,
       coalesce((SELECT json_agg(DISTINCT n.nspname || '.' || c.relname)
                 FROM pg_locks l
                 JOIN pg_class c ON c.oid = l.relation
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE l.locktype = 'relation' AND l.granted AND c.relkind IN ('r', 'p')
                   AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
                   AND l.pid IN (SELECT pid FROM hidden)), '[]')::text AS locked_tables,
       (pg_has_role('pg_read_all_stats', 'USAGE')
        OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)) AS sees_all,
       current_user::text AS role
