#!/usr/bin/env bash
# The loss check's memory over a long-ish run (issue #17): peer-rate.yaml (COUNT charge points, a MeterValues each per second,
# so about COUNT msg/s) for DURATION against the embedded CSMS in its own process, so that the fleet process's memory is the
# simulator's and the ledger's is the CSMS's. Prints:
#   - the fleet process's RSS at 30 s, 60 s and just before the stop, and its slope over that steady stretch (MB/s);
#   - 15 s before the stop, the fleet's heap by type after a full GC (tests/benchmarks/heapstat): the loss check's entries
#     (ProducedMessageFates+Entry[]) and what the fold holds, against the rest;
#   - the fleet's CPU over the steady stretch, and the run's loss check line.
# Environment: FLEETSIM (another build, for A/B), COUNT (5000), DURATION (120s), CSMS=process|inprocess (process).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/fleetsim}"
COUNT="${COUNT:-5000}"
DURATION="${DURATION:-120s}"
CSMS="${CSMS:-process}"
WORK="$(mktemp -d /tmp/loss-fold.XXXXXX)"
seconds="${DURATION%s}"

dotnet build -c Release "$BENCH_DIR/heapstat" -v q -nologo -o "$WORK/heapstat" >"$WORK/heapstat-build.log" 2>&1 || { cat "$WORK/heapstat-build.log"; exit 1; }
separate=true; [[ "$CSMS" == inprocess ]] && separate=false
sed -e "s|^  url: .*|  url: embedded|" -e "s|^duration: .*|duration: $DURATION|" -e "s|count: 5000|count: $COUNT|" "$BENCH_DIR/peer-rate.yaml" >"$WORK/profile.yaml"
printf 'csms:\n  separateProcess: %s\n  heartbeatInterval: 300s\n' "$separate" >>"$WORK/profile.yaml"

echo "# loss-fold: $COUNT charge points, $DURATION, CSMS $CSMS, $(basename "$FLEETSIM") at $FLEETSIM"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$FLEETSIM" run "$WORK/profile.yaml" --report "$WORK/report.json" >"$WORK/run.out" 2>&1 &
pid=$!
python3 "$BENCH_DIR/lib/procsample.py" "$pid" "$WORK/samples.csv" &
spid=$!
sleep $((seconds - 15))
"$WORK/heapstat/heapstat" "$pid" 40 >"$WORK/heap.txt" 2>&1 || true
wait "$pid" || true
wait "$spid" || true
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/samples.csv" "$seconds" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) >= 5 and r[1] == "fleet"]
t0 = float(rows[0][0]); end = float(sys.argv[2])
def at(s):
    return min(rows, key=lambda r: abs(float(r[0]) - t0 - s))
a, b, c = at(30), at(60), at(end - 20)
ta, tc = float(a[0]) - t0, float(c[0]) - t0
rss = lambda r: int(r[4]) / 1024
print(f"fleet RSS MiB at {ta:.0f} s {rss(a):.1f}, at 60 s {rss(b):.1f}, at {tc:.0f} s {rss(c):.1f}; slope {(rss(c) - rss(a)) / (tc - ta):.3f} MiB/s")
print(f"fleet CPU {ta:.0f}-{tc:.0f} s: {100 * (float(c[3]) - float(a[3])) / (tc - ta):.1f} % of a core")
PY
echo "heap 15 s before the stop (after a full GC):"
grep -E "^(total|gen|Total|objects)|ProducedMessageFates|SettledBatch|ProducedTransactionMessage|ChargePointStopped" "$WORK/heap.txt" | head -20 || true
grep -E "loss check|msg/s|MeterValues" "$WORK/run.out" | head -5
echo "# work directory: $WORK"
