-- The table's user triggers (not the internal ones behind foreign keys). $1 = the table's oid.
-- fires_on_update: a row UPDATE that sets only a new column fires it (an UPDATE trigger without a column
-- list, not disabled), so the backfill's updates would; fires_in_replica: ENABLE ALWAYS, fired even under
-- session_replication_role = replica.
SELECT t.tgname AS name,
       t.tgfoid::regproc::text AS function,
       CASE WHEN t.tgtype & 2 <> 0 THEN 'BEFORE' WHEN t.tgtype & 64 <> 0 THEN 'INSTEAD OF' ELSE 'AFTER' END AS timing,
       t.tgtype & 1 <> 0 AS row_level,
       (t.tgtype & 16 <> 0 AND coalesce(array_length(t.tgattr::int2[], 1), 0) = 0 AND t.tgenabled <> 'D') AS fires_on_update,
       t.tgenabled = 'A' AS fires_in_replica
FROM pg_trigger t
WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal
ORDER BY t.tgname
