-- run_lock_queue.sql before PostgreSQL 14 (no pg_locks.waitstart): the wait counts from the statement's start.
SELECT l.pid,
       (extract(epoch FROM clock_timestamp() - coalesce(a.query_start, clock_timestamp())) * 1000)::float8 AS waited_ms
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE NOT l.granted AND l.locktype = 'relation' AND l.relation = to_regclass($1) AND l.pid <> $2::int
  AND $2::int = ANY (pg_blocking_pids(l.pid))
