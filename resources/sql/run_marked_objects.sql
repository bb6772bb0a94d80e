-- The objects on table $1 (and, for indexes, on its partitions) whose comment is the mark of run uid $2
-- (run/owner_marks.h: "lockstep run <uid>: ..."): what a take-over adopts (run/run_takeover.h).
-- kind: 'column' | 'trigger' | 'constraint' | 'index'; name: the object's literal name; relation: the
-- quoted, qualified table it is on (for an index: the index itself).
WITH RECURSIVE target AS (SELECT to_regclass($1) AS oid),
     tree(relid) AS (SELECT oid FROM target
                     UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.relid),
     mark AS (SELECT 'lockstep run ' || $2::text || ':%' AS pattern)
SELECT 'column' AS kind, a.attname::text AS name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS relation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attrelid = (SELECT oid FROM target) AND a.attnum > 0 AND NOT a.attisdropped
  AND col_description(a.attrelid, a.attnum) LIKE (SELECT pattern FROM mark)
UNION ALL
SELECT 'trigger', t.tgname::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE t.tgrelid = (SELECT oid FROM target) AND NOT t.tgisinternal
  AND obj_description(t.oid, 'pg_trigger') LIKE (SELECT pattern FROM mark)
UNION ALL
SELECT 'constraint', k.conname::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.conrelid = (SELECT oid FROM target)
  AND obj_description(k.oid, 'pg_constraint') LIKE (SELECT pattern FROM mark)
UNION ALL
SELECT 'index', ic.relname::text, quote_ident(n.nspname) || '.' || quote_ident(ic.relname)
FROM pg_index x
JOIN pg_class ic ON ic.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE x.indrelid IN (SELECT relid FROM tree)
  AND obj_description(ic.oid, 'pg_class') LIKE (SELECT pattern FROM mark)
ORDER BY 1, 2
