-- Relations named like Lockstep's own in the table's schema (a changed-keys log left by another plan), so a
-- new plan names its log apart. $1 = the table's oid.
SELECT c.relname AS name
FROM pg_class c
JOIN pg_class t ON t.relnamespace = c.relnamespace
WHERE t.oid = $1::oid AND c.relname LIKE 'lockstep\_%'
ORDER BY c.relname
