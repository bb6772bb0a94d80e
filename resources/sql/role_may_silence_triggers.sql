-- PostgreSQL 15+: may the connected role SET session_replication_role (superuser, or GRANT SET ON
-- PARAMETER)? Under replica the backfill's own updates fire none of the table's ordinary triggers.
SELECT has_parameter_privilege('session_replication_role', 'SET') AS may_silence
