-- Catalog, once per rate sample: the cumulative counters of every user table. Two samples divided by
-- the elapsed time give writes/s (rows inserted, updated, deleted) and reads/s (rows read by sequential
-- scans and fetched through indexes). Timestamps as epoch seconds, independent of DateStyle.
SELECT s.relid::int8 AS oid,
       (s.n_tup_ins + s.n_tup_upd + s.n_tup_del)::int8 AS writes,
       (coalesce(s.seq_tup_read, 0) + coalesce(s.idx_tup_fetch, 0))::int8 AS reads,
       s.n_dead_tup::int8 AS dead_tuples,
       extract(epoch FROM s.last_autovacuum)::float8 AS last_autovacuum,
       extract(epoch FROM s.last_autoanalyze)::float8 AS last_autoanalyze
FROM pg_stat_user_tables s
WHERE s.schemaname NOT LIKE 'pg\_%'
