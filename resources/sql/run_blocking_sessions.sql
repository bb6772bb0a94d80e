-- Who keeps our DDL from its lock: the sessions blocking `$2` (our backend, while it waits) plus every
-- other session holding a granted lock on table $1 (after our statement timed out we no longer wait,
-- so pg_blocking_pids alone would come back empty). One row per session, oldest transaction first.
SELECT a.pid,
       coalesce(a.usename::text, '') AS usename,
       coalesce(a.state, '') AS state,
       coalesce(a.query, '') AS query,
       coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start, a.backend_start)), 0)::float8 AS age_seconds,
       coalesce(string_agg(DISTINCT l.mode, ', '), '') AS modes
FROM pg_stat_activity a
LEFT JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.locktype = 'relation' AND l.relation = to_regclass($1)
WHERE a.pid <> $2::int
  AND (a.pid = ANY (pg_blocking_pids($2::int)) OR l.pid IS NOT NULL)
GROUP BY a.pid, a.usename, a.state, a.query, a.xact_start, a.query_start, a.backend_start
ORDER BY age_seconds DESC, a.pid
