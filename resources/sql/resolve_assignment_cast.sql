-- Whether a value of type $1 (oid) may be stored in a column of type $2 (oid) without an explicit cast,
-- as far as the catalog says: `context` is pg_cast.castcontext ('i' implicit, 'a' assignment, 'e' explicit
-- only; NULL without a cast row); I/O conversion is allowed on assignment only towards string types.
-- A domain target is judged by its base type.
WITH target AS (
    SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS oid FROM pg_type t WHERE t.oid = $2::oid
)
SELECT target.oid = $1::oid AS same,
       $1::oid = 'unknown'::regtype AS source_unknown,
       (SELECT c.castcontext::text FROM pg_cast c WHERE c.castsource = $1::oid AND c.casttarget = target.oid) AS context,
       (SELECT typcategory::text FROM pg_type WHERE oid = $1::oid) AS source_category,
       (SELECT typcategory::text FROM pg_type WHERE oid = target.oid) AS target_category,
       format_type($1::oid, NULL) AS source_type
FROM target
