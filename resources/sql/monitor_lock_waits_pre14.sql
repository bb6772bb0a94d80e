-- Monitor, once per tick (before PostgreSQL 14, without pg_locks.waitstart): as monitor_lock_waits,
-- with the wait measured from the waiting statement's start (state_change of an active backend).
WITH waiting AS (
    SELECT l.pid, min(coalesce(a.state_change, a.query_start, now())) AS since
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
