-- Catalog, on every refresh: the tables a Lockstep run is working on right now (its claim, run_claim_try.sql),
-- each with the claiming session's application_name ("lockstep <uid> <operator> <what>") and pid. Readable
-- by every role.
SELECT n.nspname || '.' || c.relname AS table_name,
       coalesce(a.application_name, '') AS holder,
       l.pid
FROM pg_locks l
JOIN pg_class c ON c.oid = l.objid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid = 1280003924::oid
  AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
