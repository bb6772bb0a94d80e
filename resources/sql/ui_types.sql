-- The type names the change composer offers while typing a column type: base types, domains, enums and
-- ranges a column can have, and arrays of them ("integer[]"). format_type prints the names a person types
-- (integer, character varying, timestamp with time zone) and schema-qualifies the types that are not on
-- the search_path. Left out: pseudo-types, shell types, table row types, and the catalog's internal types
-- (pg_*, reg*, *vector) nobody gives a user column. `user_defined` sorts the database's own types first.
SELECT format_type(t.oid, NULL) AS name,
       (n.nspname <> 'pg_catalog') AS user_defined,
       (t.typcategory = 'A') AS is_array
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type e ON t.typcategory = 'A' AND e.oid = t.typelem
WHERE t.typisdefined
  AND n.nspname NOT IN ('information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg_temp%'
  AND n.nspname NOT LIKE 'pg_toast_temp%'
  AND (
        (t.typcategory <> 'A' AND t.typtype IN ('b', 'd', 'e', 'r') AND t.typrelid = 0
         AND t.typname NOT LIKE 'pg\_%' AND t.typname NOT LIKE 'reg%' AND t.typname NOT LIKE '%vector'
         AND t.typname NOT IN ('aclitem', 'cid', 'xid', 'xid8', 'tid', 'oid', 'refcursor', 'gtsvector',
                               'int2vector', 'oidvector', 'txid_snapshot', 'smgr', 'char'))
     OR (t.typcategory = 'A' AND e.typtype IN ('b', 'd', 'e', 'r') AND e.typrelid = 0
         AND e.typname NOT LIKE 'pg\_%' AND e.typname NOT LIKE 'reg%' AND e.typname NOT LIKE '%vector'
         AND e.typname NOT IN ('aclitem', 'cid', 'xid', 'xid8', 'tid', 'oid', 'refcursor', 'gtsvector',
                               'int2vector', 'oidvector', 'txid_snapshot', 'smgr', 'char'))
      )
ORDER BY user_defined DESC, is_array, name
