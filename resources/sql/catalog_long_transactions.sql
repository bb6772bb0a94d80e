-- Catalog: client transactions open for at least $1 seconds (other than ours), oldest first, each with
-- the user tables it holds a granted lock on in this database (a JSON array of "schema.name"). Any such
-- lock, even ACCESS SHARE, makes an ALTER TABLE wait and queues every later query behind that ALTER.
WITH long AS (
    SELECT a.pid, coalesce(a.usename, '') AS usename, coalesce(a.state, '') AS state,
           left(coalesce(a.query, ''), 1000) AS query,
           extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS age_seconds
    FROM pg_stat_activity a
    WHERE a.backend_type = 'client backend'
      AND a.pid <> pg_backend_pid()
      AND a.xact_start IS NOT NULL
      AND a.xact_start <= clock_timestamp() - $1::float8 * interval '1 second'
), held AS (
    SELECT DISTINCT l.pid, n.nspname || '.' || c.relname AS table_name
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE l.locktype = 'relation' AND l.granted
      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
      AND c.relkind IN ('r', 'p')
      AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND l.pid IN (SELECT pid FROM long)
)
SELECT long.pid, long.usename, long.state, long.query, long.age_seconds,
       coalesce((SELECT json_agg(h.table_name ORDER BY h.table_name) FROM held h WHERE h.pid = long.pid), '[]')::text
           AS locked_tables
FROM long
ORDER BY long.age_seconds DESC, long.pid
