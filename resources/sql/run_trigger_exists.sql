-- Whether trigger $2 (literal name) exists on table $1.
SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = $2) AS present
