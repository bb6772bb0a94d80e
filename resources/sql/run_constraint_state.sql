-- Constraint $2 (literal name) on table $1: whether it is validated. No row: it does not exist.
SELECT convalidated AS validated
FROM pg_constraint
WHERE conrelid = to_regclass($1) AND conname = $2
