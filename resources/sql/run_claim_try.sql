-- Claims table $1 for this session while a run works on it: a session-level advisory lock on a key made
-- of Lockstep's tag (0x4C4B5354, 'LKST') and the table's oid; the server drops it when the session ends,
-- so a crashed run never leaves it behind. false: another session holds it (run_claim_holder.sql says who).
SELECT pg_try_advisory_lock((1280003924::bigint << 32) | to_regclass($1)::oid::bigint) AS claimed
