#!/usr/bin/env bash
# metrics-overhead.sh [N]  (default 5000)
#
# The fleet benchmark (tests/benchmarks/fleet-bench.yaml, CSMS in its own process) at N for DURATION (default 90s), twice:
# without metrics, then with `--metrics-port P` and a scraper (`curl` of /metrics every 5 s, as Prometheus would).
# Prints both rows (fleet CPU seconds per 1,000 OCPP messages, steady RSS = median of the last 45 s, msg/s, p99) and
# the difference, plus the scrape size and time.
#
# Environment: DURATION (90s), SKIP_BUILD=1, KEEP_WORK=1.
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-90s}"
N="${1:-5000}"
bench_build
bench_header "metrics-overhead: N=$N, $DURATION, without and with --metrics-port + curl every 5 s"
secs=${DURATION%s}
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
scraper() {   # FLEET_PID NAME: scrape every 5 s while the fleet lives; one line per scrape: bytes seconds http_code
    while kill -0 "$1" 2>/dev/null; do
        sleep 5
        curl -s -o /dev/null -m 4 -w '%{size_download} %{time_total} %{http_code}\n' "http://127.0.0.1:$PORT/metrics" >>"$WORK/$2.scrapes" 2>/dev/null || true
    done
}
bench_run without $(( secs + 120 )) -- run "$BENCH_DIR/fleet-bench.yaml" --count "$N" --duration "$DURATION" --quiet --report "$WORK/without.json"
sleep 5
BENCH_HOOK=scraper bench_run with $(( secs + 120 )) -- run "$BENCH_DIR/fleet-bench.yaml" --count "$N" --duration "$DURATION" --quiet --report "$WORK/with.json" --metrics-port "$PORT" --linger 0
for v in without with; do
    if [[ -s "$WORK/$v.json" ]]; then
        python3 "$BENCH_DIR/lib/summarize.py" fleet "$WORK/$v.json" "$WORK/$v.csv" "$N" 45 >"$WORK/$v.fig"
    else
        echo "$v: no report (exit $(cat "$WORK/$v.rc"))"; tail -20 "$WORK/$v.out"
    fi
done
python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
rows = {v: json.load(open(os.path.join(work, f"{v}.fig"))) for v in ("without", "with") if os.path.exists(os.path.join(work, f"{v}.fig"))}
print()
print("| metrics | fleet CPU s /1k msg | fleet CPU % (last 45 s) | fleet RSS (MiB, median last 45 s) | msg/s | p99 (ms) | t_boot 100% (s) | load before → after |")
print("|---|---|---|---|---|---|---|---|")
for v, r in rows.items():
    load = open(os.path.join(work, f"{v}.load")).read().split()
    print(f"| {v} | {r['cpu_s_per_1k_msgs']:.3f} | {r['steady_cpu_pct']:.0f} | {r['rss_mib']:.0f} | {r['msgs_per_s']:.0f} | {r['p99_ms']:.1f} | {r['t_booted_100_s']:.2f} | {' '.join(load[:3])} → {' '.join(load[3:6])} |")
if len(rows) == 2:
    a, b = rows["without"], rows["with"]
    print()
    print(f"difference (with - without): CPU {b['cpu_s_per_1k_msgs']-a['cpu_s_per_1k_msgs']:+.3f} s per 1k messages "
          f"({100*(b['cpu_s_per_1k_msgs']/a['cpu_s_per_1k_msgs']-1):+.0f} %), steady CPU {b['steady_cpu_pct']-a['steady_cpu_pct']:+.0f} points, RSS {b['rss_mib']-a['rss_mib']:+.0f} MiB")
sp = os.path.join(work, "with.scrapes")
if os.path.exists(sp):
    s = [l.split() for l in open(sp) if l.strip()]
    ok = [x for x in s if x[2] == "200"]
    if ok:
        print(f"scrapes: {len(ok)} ok of {len(s)}, size {int(ok[-1][0])/1024:.0f} KiB, time median {sorted(float(x[1]) for x in ok)[len(ok)//2]*1000:.0f} ms, max {max(float(x[1]) for x in ok)*1000:.0f} ms")
    else:
        print(f"scrapes: none succeeded ({len(s)} tried)")
print("(single runs each on a shared 2-core machine: differences of a few % are within noise)")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
