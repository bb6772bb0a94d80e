-- Monitor, once per tick (PostgreSQL 14 and later: pg_locks.waitstart): the sessions waiting for a
-- lock anywhere on the server, the longest wait in seconds, and the waiting sessions that
-- pg_blocking_pids() says wait on one of $1 (the runner's backend pids, an int[]; may be empty).
-- waitstart is NULL for a moment after a wait begins: fall back to when the statement started.
WITH waiting AS (
    SELECT l.pid, min(coalesce(l.waitstart, a.state_change, a.query_start, now())) AS since
    FROM pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted
    GROUP BY l.pid
)
SELECT count(*)::int AS waiting,
       coalesce(max(extract(epoch FROM clock_timestamp() - w.since)), 0)::float8 AS longest_seconds,
       coalesce(array_to_string(array_agg(w.pid ORDER BY w.pid)
                FILTER (WHERE pg_blocking_pids(w.pid) && $1::int[]), ','), '') AS blocked_by_runner
FROM waiting w
