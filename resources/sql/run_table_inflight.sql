-- The median age in milliseconds of the other transactions holding a lock on the table ($1, a name as SQL
-- writes it): a brief-lock statement waits a few times that for them to end (0 when none hold one).
SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY age_ms), 0) AS median_ms
FROM (
    SELECT DISTINCT a.pid, extract(epoch FROM clock_timestamp() - a.xact_start) * 1000 AS age_ms
    FROM pg_locks l
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'relation' AND l.relation = to_regclass($1) AND l.granted
      AND l.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
) AS holders;
