-- The table's user triggers (not the internal ones behind foreign keys). $1 = the table's oid.
SELECT t.tgname AS name
FROM pg_trigger t
WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal
ORDER BY t.tgname
