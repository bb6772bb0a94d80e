-- The canonical SQL spelling of type $1 (oid) with type modifier $2 (-1 for none), e.g. numeric(12,2),
-- character varying(20), timestamp with time zone, sales.mood (qualified when not on search_path).
SELECT format_type($1::oid, $2::int) AS name
