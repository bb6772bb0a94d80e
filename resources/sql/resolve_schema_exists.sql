-- Whether a schema with this literal name ($1) exists.
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS found
