#!/usr/bin/env bash
# fleet-bench.sh [N...]  (default: 1000 5000 10000)
#
# For each N: runs tests/benchmarks/fleet-bench.yaml (2 connectors, meter values every 30 s, sessions of 60-80 s with
# ~15-30 s between them, heartbeat 60 s, all charge points arriving at once) for DURATION (default 120s) against the
# embedded CSMS in its own process (csms: {separateProcess: true}); samples /proc/PID/stat and VmRSS of the fleet and
# of the CSMS once a second, and prints one table row per N:
#   booted      charge points booted (peak) / N
#   t_boot      time until all were booted (report: storms[arrival].time_to_100pct_booted_s)
#   RSS         fleet RSS, median over the last 60 s of the run;  KB/CP = that / N
#   CPU/1k msg  fleet CPU seconds (utime+stime over the run) per 1,000 OCPP messages (2 per call, from the report)
#   msg/s       messages per second over the run;  p99  overall call latency
#   CSMS CPU %  over the run (100 % = one core);  CSMS RSS  median over the last 60 s
#   listen overflows / SYN retrans: TcpExt ListenOverflows and TCPSynRetrans during the run (whole network namespace)
# Reference (goal): best-known open-source simulator at N=5,000: ~1,120 MiB, 0.66 ms CPU/message (= 0.66 s per 1k), 26 s
# to boot; goal is a tenth of each, and 10,000 booted within 10 s.
#
# Environment: DURATION (120s), SKIP_BUILD=1, KEEP_WORK=1 (keep reports and samples; the path is printed),
#              EXTRA_ARGS (more fleetsim run arguments, e.g. "--metrics-port 0"), any DOTNET_* variable is passed through.
# Traffic stays on 127.0.0.1; every run is bounded by `timeout`; children are ended on exit.
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-120s}"
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 5000 10000)
bench_build
bench_header "fleet-bench: ${SIZES[*]} charge points, $DURATION each, profile tests/benchmarks/fleet-bench.yaml ${EXTRA_ARGS:-}"
limit=$(( ${DURATION%s} + 120 ))
for n in "${SIZES[@]}"; do
    # shellcheck disable=SC2086
    bench_run "n$n" "$limit" -- run "$BENCH_DIR/fleet-bench.yaml" --count "$n" --duration "$DURATION" --quiet --report "$WORK/n$n.json" ${EXTRA_ARGS:-}
    if [[ ! -s "$WORK/n$n.json" ]]; then
        echo "N=$n: no report (exit $(cat "$WORK/n$n.rc")); output:"; tail -20 "$WORK/n$n.out"; continue
    fi
    python3 "$BENCH_DIR/lib/summarize.py" fleet "$WORK/n$n.json" "$WORK/n$n.csv" "$n" >"$WORK/n$n.fig"
    echo "$(tr '\n' ' ' <"$WORK/n$n.load")" >"$WORK/n$n.loadline"
    sleep 5   # let TIME_WAIT sockets and the CSMS process go before the next size
done
python3 - "$WORK" "${SIZES[@]}" <<'PY'
import json, sys, os
work, sizes = sys.argv[1], sys.argv[2:]
f = lambda v, fmt: "-" if v is None else fmt % v
print()
print("| N | booted | t_boot 100% (s) | t_boot 99% (s) | Boot p99 (ms) | fleet RSS (MiB) | KB/CP | fleet CPU s /1k msg | msg/s | p99 (ms) | fleet CPU % (last 60 s) | CSMS CPU % | CSMS RSS (MiB) | errors/timeouts | lost | listen overflows / SYN retrans (host) | load avg before → after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    p = os.path.join(work, f"n{n}.fig")
    if not os.path.exists(p):
        print(f"| {n} | run failed | | | | | | | | | | | | | | |"); continue
    r = json.load(open(p)); load = open(os.path.join(work, f"n{n}.loadline")).read().split()
    net = [int(x) for x in open(os.path.join(work, f"n{n}.net")).read().split()] if os.path.exists(os.path.join(work, f"n{n}.net")) else []
    netd = f"{net[2]-net[0]} / {net[3]-net[1]}" if len(net) == 4 else "-"
    print(f"| {n} | {r['booted']} | {f(r['t_booted_100_s'],'%.2f')} | {f(r['t_booted_99_s'],'%.2f')} | {f(r['boot_p99_ms'],'%.0f')} | {f(r['rss_mib'],'%.0f')} | {f(r['rss_kb_per_cp'],'%.1f')} | "
          f"{f(r['cpu_s_per_1k_msgs'],'%.3f')} | {r['msgs_per_s']:.0f} | {r['p99_ms']:.1f} | {f(r['steady_cpu_pct'],'%.0f')} | {f(r['csms_cpu_pct'],'%.0f')} | {f(r['csms_rss_mib'],'%.0f')} | "
          f"{r['errors']}/{r['timeouts']} | {f(r['lost'],'%d')} | {netd} | {' '.join(load[:3])} → {' '.join(load[3:6])} |")
print()
print("goal (a tenth of the reference at N=5,000): RSS <= 112 MiB, CPU <= 0.066 s per 1k messages, boot <= 2.6 s; N=10,000 booted <= 10 s")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
