-- Whether the server is a standby (in recovery): the lock preview needs a primary.
SELECT pg_is_in_recovery() AS in_recovery
