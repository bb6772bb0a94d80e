-- The session holding the claim on table $1 (run_claim_try.sql), if any: its pid, role, application_name
-- (a run names itself there: "lockstep <uid> <operator> <what it does>"), client address and how long it
-- has been connected. pg_locks, the role and application_name are readable by every role; the
-- connection time only with pg_monitor.
SELECT l.pid,
       coalesce(a.usename::text, '') AS usename,
       coalesce(a.application_name, '') AS application_name,
       coalesce(host(a.client_addr), 'local') AS client_addr,
       coalesce(extract(epoch FROM now() - a.backend_start), -1)::float8 AS connected_seconds   -- -1: hidden (no pg_monitor)
FROM pg_locks l
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid = 1280003924::oid AND l.objid = to_regclass($1)::oid
LIMIT 1
