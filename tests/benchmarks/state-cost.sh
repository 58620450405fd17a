#!/usr/bin/env bash
# state-cost.sh [N]  (default 10000)
#
# The cost of `--state DIR` (each charge point's offline queue, open transactions and meter registers kept in SQLite, group
# commit every 100 ms): the fleet benchmark (tests/benchmarks/fleet-bench.yaml, CSMS in its own process) at N for DURATION
# (default 120s), without and with --state. Prints per run: fleet CPU seconds per 1,000 OCPP messages, steady CPU %, steady
# RSS (median of the last 60 s), msg/s, p99, and the fleet process's disk writes from /proc/PID/io (write_bytes: what reached
# the block layer, fsyncs included; wchar: what write() was given) per second over the last 60 s and per transaction message.
# Then the difference and the size of the state directory at the end.
#
# Environment: DURATION (120s), SKIP_BUILD=1, KEEP_WORK=1.
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-120s}"
N="${1:-10000}"
bench_build
bench_header "state-cost: N=$N, $DURATION, without and with --state"
secs=${DURATION%s}
iosample() {   # FLEET_PID NAME: once a second, wall time, write_bytes and wchar of the fleet process
    while [[ -r "/proc/$1/io" ]]; do
        awk -v t="$(date +%s.%N)" '/^write_bytes:/ {w=$2} /^wchar:/ {c=$2} END {if (w != "") print t, w, c}' "/proc/$1/io" >>"$WORK/$2.io" 2>/dev/null || true
        sleep 1
    done
}
BENCH_HOOK=iosample bench_run without $(( secs + 120 )) -- run "$BENCH_DIR/fleet-bench.yaml" --count "$N" --duration "$DURATION" --quiet --report "$WORK/without.json"
sleep 5
BENCH_HOOK=iosample bench_run with $(( secs + 120 )) -- run "$BENCH_DIR/fleet-bench.yaml" --count "$N" --duration "$DURATION" --quiet --report "$WORK/with.json" --state "$WORK/state"
for v in without with; do
    if [[ -s "$WORK/$v.json" ]]; then
        python3 "$BENCH_DIR/lib/summarize.py" fleet "$WORK/$v.json" "$WORK/$v.csv" "$N" 60 >"$WORK/$v.fig"
    else
        echo "$v: no report (exit $(cat "$WORK/$v.rc"))"; tail -20 "$WORK/$v.out"
    fi
done
STATE_BYTES="$(du -sb "$WORK/state" 2>/dev/null | cut -f1 || echo 0)"
python3 - "$WORK" "$STATE_BYTES" <<'PY'
import json, os, sys
from datetime import datetime
work, state_bytes = sys.argv[1], int(sys.argv[2] or 0)

def io_figures(name, report):
    path = os.path.join(work, f"{name}.io")
    if not os.path.exists(path):
        return None
    rows = [tuple(float(x) for x in l.split()) for l in open(path) if len(l.split()) == 3]
    end = datetime.fromisoformat(report["end"]).timestamp()
    steady = [r for r in rows if end - 60 <= r[0] <= end]
    if len(steady) < 2:
        return None
    a, b = steady[0], steady[-1]
    span = b[0] - a[0]
    tx = sum(a_["count"] for a_ in report["actions"] if a_["action"] in ("StartTransaction", "StopTransaction", "MeterValues"))
    return {"write_bps": (b[1] - a[1]) / span, "wchar_bps": (b[2] - a[2]) / span,
            "write_total": rows[-1][1] - rows[0][1], "tx_msgs_per_s": tx / report["durationSeconds"]}

rows = {}
for v in ("without", "with"):
    fig = os.path.join(work, f"{v}.fig")
    if os.path.exists(fig):
        r = json.load(open(fig))
        r["io"] = io_figures(v, json.load(open(os.path.join(work, f"{v}.json"))))
        rows[v] = r
print()
print("| state | fleet CPU s /1k msg | fleet CPU % (last 60 s) | fleet RSS MiB (median last 60 s) | msg/s | tx msg/s | p99 ms | disk write_bytes/s (last 60 s) | write() bytes/s | bytes per tx msg | lost | load before → after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for v, r in rows.items():
    load = open(os.path.join(work, f"{v}.load")).read().split()
    io = r["io"] or {}
    per_tx = io["write_bps"] / io["tx_msgs_per_s"] if io and io.get("tx_msgs_per_s") else float("nan")
    print(f"| {v} | {r['cpu_s_per_1k_msgs']:.3f} | {r['steady_cpu_pct']:.0f} | {r['rss_mib']:.0f} | {r['msgs_per_s']:.0f} | {io.get('tx_msgs_per_s', float('nan')):.0f} | {r['p99_ms']:.1f} | "
          f"{io.get('write_bps', float('nan'))/1024:.0f} KiB | {io.get('wchar_bps', float('nan'))/1024:.0f} KiB | {per_tx:.0f} | {r['lost']} | {' '.join(load[:3])} → {' '.join(load[3:6])} |")
if len(rows) == 2:
    a, b = rows["without"], rows["with"]
    print()
    print(f"difference (with - without): CPU {b['cpu_s_per_1k_msgs']-a['cpu_s_per_1k_msgs']:+.3f} s per 1k messages "
          f"({100*(b['cpu_s_per_1k_msgs']/a['cpu_s_per_1k_msgs']-1):+.0f} %), steady CPU {b['steady_cpu_pct']-a['steady_cpu_pct']:+.0f} points, RSS {b['rss_mib']-a['rss_mib']:+.0f} MiB")
print(f"state directory at the end: {state_bytes/1048576:.1f} MiB")
print("(single runs each on a shared 2-core machine: differences of a few % are within noise)")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
