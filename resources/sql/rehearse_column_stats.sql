-- What the planner's statistics say about every column of table $1 (quoted, qualified): the shape a
-- rehearsal's synthetic copy reproduces (rehearse/synthetic_rows.h). Read-only; the values are pg_stats'
-- own (most common values and histogram bounds as array text), NULL where the table was never analyzed
-- or the role may not read the column.
SELECT a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       t.typcategory::text AS category,        -- N numeric, D date/time, S string, B boolean, ...
       a.attnotnull AS not_null,
       s.null_frac::float8 AS null_frac,
       s.n_distinct::float8 AS n_distinct,
       s.avg_width AS avg_width,
       s.most_common_vals::text AS mcv,
       array_to_json(s.most_common_freqs)::text AS mcf,
       s.histogram_bounds::text AS bounds
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
                   AND NOT s.inherited
WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
