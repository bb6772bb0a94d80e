-- The port the server itself listens on: a client that reached it on another port went through a pooler
-- or proxy (PgBouncer's usual 6432, for one).
SELECT current_setting('port') AS port
