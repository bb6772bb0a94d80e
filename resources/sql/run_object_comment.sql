-- The comment on one object of table $1 -- $2 its kind ('column', 'trigger', 'constraint' or 'index'),
-- $3 its literal name -- where a run writes its mark (run/owner_marks.h). NULL: no comment, or no object.
SELECT CASE $2::text
    WHEN 'column' THEN (SELECT col_description(a.attrelid, a.attnum) FROM pg_attribute a
                        WHERE a.attrelid = to_regclass($1) AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped)
    WHEN 'trigger' THEN (SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t
                         WHERE t.tgrelid = to_regclass($1) AND t.tgname = $3)
    WHEN 'constraint' THEN (SELECT obj_description(c.oid, 'pg_constraint') FROM pg_constraint c
                            WHERE c.conrelid = to_regclass($1) AND c.conname = $3)
    WHEN 'index' THEN (SELECT obj_description(i.indexrelid, 'pg_class') FROM pg_index i
                       JOIN pg_class c ON c.oid = i.indexrelid
                       WHERE i.indrelid = to_regclass($1) AND c.relname = $3)
END AS comment
