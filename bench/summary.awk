# SPDX-License-Identifier: GPL-3.0-or-later
# Turns the "RESULT key value" lines of the benchmarks into bench/run's summary table, with the targets.
$1 == "RESULT" { v[$2] = $3; if ($2 ~ /^backfill\.[0-9]+\.a\.rows_per_s$/) { split($2, parts, "."); sizes[parts[2]] = 1 } }
function mark(ok) { return ok ? "met" : "MISSED" }
END {
  n = 0
  for (s in sizes) order[++n] = s + 0
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (order[j] < order[i]) { t = order[i]; order[i] = order[j]; order[j] = t }
  if (n > 0) {
    print "Backfill throughput (rows/s, median)"
    for (i = 1; i <= n; i++) {
      s = order[i]
      printf "  %9d rows  (a) one UPDATE %9.0f   (b) 1000-row batches %9.0f  b/a %.2f   (c) Lockstep %9.0f  c/a %.2f   target c/a >= 0.90: %s\n",
        s, v["backfill." s ".a.rows_per_s"], v["backfill." s ".b.rows_per_s"], v["backfill." s ".b_over_a"],
        v["backfill." s ".c.rows_per_s"], v["backfill." s ".c_over_a"], mark(v["backfill." s ".c_over_a"] >= 0.9)
      if (("backfill." s ".t.rows_per_s") in v)
        printf "  %9s       (a') expand step, then one UPDATE %9.0f   c/a' %.2f (the same dual-write triggers in place)\n", "",
          v["backfill." s ".t.rows_per_s"], v["backfill." s ".c_over_t"]
    }
  }
  if ("traffic.none.p99_ms" in v) {
    printf "Traffic impact (pgbench %d tx/s on %d rows; latency ms)\n", v["traffic.rate"], v["traffic.rows"]
    printf "  %-28s %8s %8s %10s %9s\n", "", "p50", "p99", "max", "p99/base"
    split("none t a b c", keys, " ")
    label["none"] = "no migration"; label["t"] = "(t) triggers, no backfill"; label["a"] = "(a) one UPDATE"
    label["b"] = "(b) 1000-row batches"; label["c"] = "(c) Lockstep"
    for (i = 1; i <= 5; i++) {
      k = keys[i]
      if (!(("traffic." k ".p99_ms") in v)) continue
      ratio = k == "none" ? 1 : v["traffic." k ".p99_ratio"]
      printf "  %-28s %8.2f %8.2f %10.2f %9.2f", label[k], v["traffic." k ".p50_ms"], v["traffic." k ".p99_ms"], v["traffic." k ".max_ms"], ratio
      if (k == "c") printf "   target <= 1.5: %s", mark(ratio <= 1.5)
      printf "\n"
    }
  }
  if ("lockqueue.plain.max_ms" in v) {
    limit = v["lockqueue.lock_timeout_ms"] + 100
    printf "Lock queue (ACCESS SHARE held %d s; longest SELECT, ms)\n", v["lockqueue.hold_s"]
    printf "  plain ALTER TABLE %9.1f   Lockstep expand %9.1f   target <= %d: %s\n", v["lockqueue.plain.max_ms"],
      v["lockqueue.lockstep.max_ms"], limit, mark(v["lockqueue.lockstep.max_ms"] <= limit)
  }
  if ("brieflocks.ladder.p99_ratio" in v) {
    printf "Brief locks under pgbench tpcb-like (p99 during the run / p99 before it)\n"
    printf "  every attempt 1000 ms %.2fx   ladder, steps alone %.2fx (%d attempts, %d queued)   ladder, combined %.2fx (%d attempts, %d queued, max %.1f ms)   target <= 1.5: %s\n",
      v["brieflocks.fixed.p99_ratio"], v["brieflocks.alone.p99_ratio"], v["brieflocks.alone.attempts"],
      v["brieflocks.alone.queued"], v["brieflocks.ladder.p99_ratio"], v["brieflocks.ladder.attempts"],
      v["brieflocks.ladder.queued"], v["brieflocks.ladder.max_ms"], mark(v["brieflocks.ladder.p99_ratio"] <= 1.5)
    if ("brieflocks.free.slow_share_of_1pct" in v)
      printf "  free moment first (default): %d queued, max %.1f ms; transactions over 1.5x base p99 during brief steps = %.2f of the run's 1 %%   target < 1 (the brief steps keep p99 within 1.5x): %s\n",
        v["brieflocks.free.queued"], v["brieflocks.free.max_ms"], v["brieflocks.free.slow_share_of_1pct"], mark(v["brieflocks.free.slow_share_of_1pct"] < 1)
  }
  if ("estimates.rehearsed.total_ratio" in v) {
    printf "Estimates against the run (whole plan: estimate / measured)\n"
    printf "  default model %.2fx   rehearsed on a copy %.2fx   target within 1.5x: default %s, rehearsed %s\n",
      v["estimates.default.total_ratio"], v["estimates.rehearsed.total_ratio"],
      mark(v["estimates.default.total_ratio"] <= 1.5 && v["estimates.default.total_ratio"] >= 0.667),
      mark(v["estimates.rehearsed.total_ratio"] <= 1.5 && v["estimates.rehearsed.total_ratio"] >= 0.667)
  }
  if ("catalog.tables" in v) {
    app = v["catalog.app_load_ms"]; psql = v["catalog.psql_ms"]
    printf "Catalog (%d tables)\n", v["catalog.tables"]
    printf "  app: connect to map shown %.0f ms, readCatalog %.0f ms, psql \\dt+ %.0f ms   target <= 1000 and <= psql: %s\n",
      app, v["catalog.read_ms"], psql, mark(app <= 1000 && app <= psql)
    printf "  app peak memory %.1f MB (%.1f MB before connecting)\n", v["catalog.app_peak_mb"], v["catalog.app_idle_mb"]
  }
}
