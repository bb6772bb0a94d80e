-- Whether trigger $2 (literal name) exists on the table named $1 (a quoted, possibly schema-qualified name),
-- seen from inside the preview transaction; false when the table does not exist either.
SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = $2) AS present
