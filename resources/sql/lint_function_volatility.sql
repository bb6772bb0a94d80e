-- Whether the function named $2 is VOLATILE (a volatile ADD COLUMN default rewrites the table): true when
-- any function of that name is, NULL when there is none. $1 = its schema, or NULL for the functions
-- visible through search_path.
SELECT bool_or(p.provolatile = 'v') AS is_volatile
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = $2
  AND CASE WHEN $1::text IS NULL THEN pg_function_is_visible(p.oid) ELSE n.nspname = $1::text END
