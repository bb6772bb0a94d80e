-- Gives back this session's claim on table $1 (run_claim_try.sql).
SELECT pg_advisory_unlock((1280003924::bigint << 32) | to_regclass($1)::oid::bigint) AS released
