-- The roles that may INSERT into table $1 other than its owner (PUBLIC included): a serial column's new
-- default calls nextval() on their behalf, so they need USAGE on its sequence.
SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END AS grantee
FROM pg_class c
CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
WHERE c.oid = to_regclass($1) AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner
ORDER BY 1
