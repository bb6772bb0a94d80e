-- Before PostgreSQL 15 only a superuser may SET session_replication_role.
SELECT rolsuper AS may_silence FROM pg_roles WHERE rolname = current_user
