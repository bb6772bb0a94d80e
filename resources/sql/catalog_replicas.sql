-- Catalog: every replica streaming from this server (base backups excluded) and how far its replay lags:
-- in bytes behind this server's WAL position (its replay position when it is itself a standby) and in
-- seconds (NULL, shown as 0, once it has caught up). Needs pg_monitor (or superuser) to see LSNs.
SELECT coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid) AS name,
       coalesce(r.state, '') AS state,
       greatest(coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                              ELSE pg_current_wal_lsn() END, r.replay_lsn), 0), 0)::int8
           AS replay_lag_bytes,
       coalesce(extract(epoch FROM r.replay_lag), 0)::float8 AS replay_lag_seconds
FROM pg_stat_replication r
WHERE r.state IS DISTINCT FROM 'backup'
ORDER BY name, r.pid
