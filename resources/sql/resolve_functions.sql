-- Facts about functions called by name. $1 = a JSON array of {"schema": "", "name": "random"} (schema ''
-- for an unqualified name, which means the functions visible through search_path). Over all overloads
-- of each name: volatile if any is, aggregate or window if any is (prokind from PostgreSQL 11, proisagg
-- and proiswindow before), set-returning if any is.
SELECT f.schema,
       f.name,
       count(p.oid) AS candidates,
       coalesce(bool_or(p.provolatile = 'v'), false) AS is_volatile,
       coalesce(bool_or(coalesce(to_jsonb(p) ->> 'prokind', '') IN ('a', 'w')
                        OR coalesce((to_jsonb(p) ->> 'proisagg')::bool, false)
                        OR coalesce((to_jsonb(p) ->> 'proiswindow')::bool, false)), false) AS is_aggregate,
       coalesce(bool_or(p.proretset), false) AS returns_set
FROM json_to_recordset($1::json) AS f(schema text, name text)
LEFT JOIN pg_proc p
       ON p.proname = f.name
      AND CASE WHEN f.schema = '' THEN pg_function_is_visible(p.oid)
               ELSE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = f.schema) END
GROUP BY f.schema, f.name
