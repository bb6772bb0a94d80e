-- Read after every batch, in one round trip. Where the server's WAL stands, in bytes: inserted (at least the
-- end of our last commit record, read just after it) and flushed to disk. The backfill commits its batches
-- without waiting for the flush and journals a batch's checkpoint only once `flushed` has passed the
-- position read after that batch. And the next transaction id the server will hand out (as text: it is
-- 64-bit), for the traffic pacer: its growth, less the backfill's own batches, is other sessions' writing
-- transactions. Reading it assigns no transaction id and takes no lock.
SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS inserted,
       (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint AS flushed,
       pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid
