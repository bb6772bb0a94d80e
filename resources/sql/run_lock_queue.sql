-- While one of our brief-lock statements waits for (or holds) its lock: the sessions queued behind our
-- backend ($2) on table $1, and how long each has waited so far, in ms (PostgreSQL 14+: pg_locks.waitstart,
-- NULL for a moment after a wait begins: then the statement's start).
SELECT l.pid,
       (extract(epoch FROM clock_timestamp() - coalesce(l.waitstart, a.query_start, clock_timestamp())) * 1000)::float8 AS waited_ms
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE NOT l.granted AND l.locktype = 'relation' AND l.relation = to_regclass($1) AND l.pid <> $2::int
  AND $2::int = ANY (pg_blocking_pids(l.pid))
