-- Whether a column of type $1 (oid) can reference a key column of type $2 (oid) whose unique index has
-- operator family $3 and input type $4, by PostgreSQL's rule for foreign keys: the same type (domains by
-- their base type), a cross-type btree equality in the key's operator family, or an implicit cast to the
-- key's input type.
WITH fk AS (
    SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS oid FROM pg_type t WHERE t.oid = $1::oid
), pk AS (
    SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS oid FROM pg_type t WHERE t.oid = $2::oid
)
SELECT fk.oid = pk.oid
    OR fk.oid = $4::oid
    OR (EXISTS (SELECT 1 FROM pg_amop WHERE amopfamily = $3::oid AND amopstrategy = 3
                AND amoplefttype = $4::oid AND amoprighttype = fk.oid)
        AND EXISTS (SELECT 1 FROM pg_amop WHERE amopfamily = $3::oid AND amopstrategy = 3
                    AND amoplefttype = fk.oid AND amoprighttype = fk.oid))
    OR EXISTS (SELECT 1 FROM pg_cast WHERE castsource = fk.oid AND casttarget = $4::oid AND castcontext = 'i')
    AS compatible
FROM fk, pk
