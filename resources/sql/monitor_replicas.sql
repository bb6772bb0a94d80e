-- Monitor, once per tick: every replica streaming from this server (base backups excluded), with how
-- far each lags behind $1 (the WAL position the same tick read) in bytes, its LSNs (the Monitor turns
-- them into seconds from its own history of WAL positions) and the server's own lag times (NULL when
-- idle, and frozen while replay is paused without new WAL). Needs pg_monitor (or superuser) to see LSNs.
SELECT coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid) AS name,
       coalesce(r.state, '') AS state,
       r.write_lsn::text AS write_lsn,
       r.flush_lsn::text AS flush_lsn,
       r.replay_lsn::text AS replay_lsn,
       greatest(coalesce(pg_wal_lsn_diff($1::pg_lsn, r.write_lsn), 0), 0)::int8 AS write_lag_bytes,
       greatest(coalesce(pg_wal_lsn_diff($1::pg_lsn, r.flush_lsn), 0), 0)::int8 AS flush_lag_bytes,
       greatest(coalesce(pg_wal_lsn_diff($1::pg_lsn, r.replay_lsn), 0), 0)::int8 AS replay_lag_bytes,
       extract(epoch FROM r.write_lag)::float8 AS write_lag_seconds,
       extract(epoch FROM r.flush_lag)::float8 AS flush_lag_seconds,
       extract(epoch FROM r.replay_lag)::float8 AS replay_lag_seconds
FROM pg_stat_replication r
WHERE r.state IS DISTINCT FROM 'backup'
ORDER BY name, r.pid
