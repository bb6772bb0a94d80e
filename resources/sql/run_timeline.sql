-- The timeline the server writes WAL on (the first 8 hex digits of the current WAL file's name). A promoted
-- replica starts a new one: a run that sees it change after a reconnect is on a new primary, which may lack
-- the last commits the old one acknowledged (asynchronous replication). Readable by every role.
SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) AS timeline
