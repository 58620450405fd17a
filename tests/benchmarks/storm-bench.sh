#!/usr/bin/env bash
# storm-bench.sh [POLICY...]  (default: immediate exponential)
#
# 10,000 charging charge points against the embedded CSMS in its own process; at 30 s the CSMS restarts and refuses TCP
# for 10 s (tests/benchmarks/storm-<policy>.yaml: `immediate`, and `exponential` base 1 s, cap 30 s, full jitter).
# Each run lasts DURATION (110s; hard limit 150 s). Prints per policy, from the report's storms[] entry of the
# csms-restart event: time to 50/99/100 % reconnected (from the restart), peak connection attempts per second, failed
# attempts by cause, offline-queue peak and the time it drained (from the restart), transaction messages lost (must be 0),
# plus the fleet's and CSMS's CPU % over the run and the fleet's peak RSS.
#
# Environment: DURATION (110s), SKIP_BUILD=1, KEEP_WORK=1.
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-110s}"
POLICIES=("$@"); [[ ${#POLICIES[@]} -gt 0 ]] || POLICIES=(immediate exponential)
bench_build
bench_header "storm-bench: 10,000 charge points, csms-restart at 30 s refusing TCP for 10 s, policies: ${POLICIES[*]}"
for p in "${POLICIES[@]}"; do
    bench_run "$p" 150 -- run "$BENCH_DIR/storm-$p.yaml" --duration "$DURATION" --quiet --report "$WORK/$p.json"
    if [[ -s "$WORK/$p.json" ]]; then
        python3 "$BENCH_DIR/lib/summarize.py" storm "$WORK/$p.json" "$WORK/$p.csv" >"$WORK/$p.fig"
    else
        echo "$p: no report (exit $(cat "$WORK/$p.rc"))"; tail -20 "$WORK/$p.out"
    fi
    sleep 5
done
python3 - "$WORK" "${POLICIES[@]}" <<'PY'
import json, os, sys
work, pols = sys.argv[1], sys.argv[2:]
f = lambda v, fmt="%.2f": "-" if v is None else fmt % v
print()
print("| policy | booted (peak) | t_boot 100% arrival (s) | affected | reconnected | t 50% / 99% / 100% reconnected (s) | peak attempts/s | attempts total | failed by cause | offline queue peak | queue drained after (s) | produced | lost | fleet CPU % | CSMS CPU % | fleet peak RSS (MiB) | load before → after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for p in pols:
    fp = os.path.join(work, f"{p}.fig")
    if not os.path.exists(fp):
        print(f"| {p} | run failed |"); continue
    r = json.load(open(fp)); s = r.get("csms-restart", {}); a = r.get("arrival", {})
    failed = ", ".join(f"{k[7:]} {int(v)}" for k, v in s.items() if k.startswith("failed_")) or "0"
    load = open(os.path.join(work, f"{p}.load")).read().split()
    print(f"| {p} | {r['booted_peak']} | {f(a.get('time_to_100pct_booted_s'))} | {f(s.get('affected'),'%d')} | {f(s.get('reconnected'),'%d')} | "
          f"{f(s.get('time_to_50pct_connected_s'))} / {f(s.get('time_to_99pct_connected_s'))} / {f(s.get('time_to_100pct_connected_s'))} | "
          f"{f(s.get('attempts_peak_per_s'),'%d')} | {f(s.get('attempts_total'),'%d')} | {failed} | {f(s.get('offline_queue_peak'),'%d')} | {f(s.get('offline_queue_drained_after_s'))} | "
          f"{f(r['produced'],'%d')} | {f(r['lost'],'%d')} | {f(r['fleet_cpu_pct'],'%.0f')} | {f(r['csms_cpu_pct'],'%.0f')} | {r['peak_rss_mib']:.0f} | {' '.join(load[:3])} → {' '.join(load[3:6])} |")
print()
for p in pols:
    fp = os.path.join(work, f"{p}.fig")
    if os.path.exists(fp):
        print(f"{p}: all figures of the csms-restart event: {json.dumps(json.load(open(fp)).get('csms-restart'))}")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
