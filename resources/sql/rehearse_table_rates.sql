-- The table's write and read counters ($1: quoted, qualified), sampled twice by a rehearsal to measure the
-- traffic it replays on the copy (rehearse/traffic_replay.h). Reads count scans: one per statement.
SELECT coalesce(n_tup_ins, 0)::float8 AS inserts,
       coalesce(n_tup_upd, 0)::float8 AS updates,
       coalesce(n_tup_del, 0)::float8 AS deletes,
       (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::float8 AS reads
FROM pg_stat_user_tables
WHERE relid = to_regclass($1)
