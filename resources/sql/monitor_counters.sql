-- Monitor, once per tick: where the WAL is now (on a standby: what it has replayed), the database's
-- committed + rolled-back transactions, and the watched table's inserted + updated + deleted rows
-- ($1: the table's oid, 0 for none; the sum is NULL then). All are cumulative counters: the Monitor
-- divides their deltas by the real time between ticks.
SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text AS wal_lsn,
       coalesce((SELECT d.xact_commit + d.xact_rollback
                 FROM pg_stat_database d WHERE d.datname = current_database()), 0)::text AS transactions,
       (SELECT t.n_tup_ins + t.n_tup_upd + t.n_tup_del
        FROM pg_stat_all_tables t WHERE t.relid = $1::oid)::text AS table_writes
