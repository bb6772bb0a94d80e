-- The distinct values pg_stats knows of for some columns of one table (most common values and histogram
-- bounds, as text), at most 1,000 a column: the expression proof puts each into a real row.
-- $1 schema, $2 table, $3 the columns (a JSON array of names).
SELECT s.attname AS column_name,
       (SELECT coalesce(jsonb_agg(v), '[]'::jsonb)
          FROM (SELECT DISTINCT v
                  FROM (SELECT unnest(s.most_common_vals::text::text[])
                        UNION ALL
                        SELECT unnest(s.histogram_bounds::text::text[])) AS u(v)
                 WHERE v IS NOT NULL
                 LIMIT 1000) AS d) AS stats_values
  FROM pg_stats AS s
 WHERE s.schemaname = $1
   AND s.tablename = $2
   AND s.attname IN (SELECT jsonb_array_elements_text($3::jsonb))
 ORDER BY s.attname, s.inherited DESC;
