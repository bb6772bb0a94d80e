-- The transaction id the server will hand out next (as text: it is 64-bit). The backfill's traffic pacer
-- reads it between batches: its growth, less the backfill's own batches, is other sessions' writing
-- transactions. Reading it assigns no transaction id and takes no lock.
SELECT pg_snapshot_xmax(pg_current_snapshot())::text
