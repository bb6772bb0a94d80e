-- Catalog: the server's identity and role.
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int4 AS version_num,
       current_database() AS database,
       pg_is_in_recovery() AS in_recovery
