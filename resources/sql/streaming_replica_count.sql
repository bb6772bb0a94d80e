-- Replicas streaming from this server (LocalCluster waits for its replica with this).
SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'
