#!/usr/bin/env bash
# The loss check's memory in a cluster run (issue #17): peer-rate.yaml (COUNT charge points, a MeterValues each per second)
# for DURATION on a coordinator and one worker (`fleetsim node`), against the embedded CSMS in its own process. Prints,
# 15 s before the stop, each simulator process's heap by type after a full GC (tests/benchmarks/heapstat) — the charge
# points' entries (ProducedMessageFates+Entry[]), the coordinator's copy of the worker's messages (StreamedMessage before,
# NodeRecordCopy's dictionary after), the produced-message records — and both processes' RSS at 30 s and 20 s before the
# stop; then the run's loss check line.
# Environment: FLEETSIM (another build, for A/B), COUNT (2000), DURATION (120s).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/fleetsim}"
COUNT="${COUNT:-2000}"
DURATION="${DURATION:-120s}"
WORK="$(mktemp -d /tmp/cluster-loss-fold.XXXXXX)"
seconds="${DURATION%s}"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

dotnet build -c Release "$BENCH_DIR/heapstat" -v q -nologo -o "$WORK/heapstat" >"$WORK/heapstat-build.log" 2>&1 || { cat "$WORK/heapstat-build.log"; exit 1; }
sed -e "s|^  url: .*|  url: embedded|" -e "s|^duration: .*|duration: $DURATION|" -e "s|count: 5000|count: $COUNT|" "$BENCH_DIR/peer-rate.yaml" >"$WORK/profile.yaml"
printf 'csms:\n  separateProcess: true\n  heartbeatInterval: 300s\n' >>"$WORK/profile.yaml"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)

echo "# cluster-loss-fold: $COUNT charge points on a coordinator and 1 worker, $DURATION, CSMS in its own process, $FLEETSIM"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$FLEETSIM" run "$WORK/profile.yaml" --cluster --port "$port" --min-nodes 2 --report "$WORK/report.json" >"$WORK/run.out" 2>&1 &
coordinator=$!; PIDS+=("$coordinator")
for _ in $(seq 150); do grep -q "Cluster coordinator at" "$WORK/run.out" 2>/dev/null && break; sleep 0.2; done
"$FLEETSIM" node --seed "127.0.0.1:$port" --port "$(free_port)" >"$WORK/node.out" 2>&1 &
worker=$!; PIDS+=("$worker")
python3 "$BENCH_DIR/lib/procsample.py" "$coordinator" "$WORK/coordinator.csv" &
python3 "$BENCH_DIR/lib/procsample.py" "$worker" "$WORK/worker.csv" &
for _ in $(seq 300); do grep -q "^\[00:" "$WORK/run.out" 2>/dev/null && break; sleep 0.2; done
sleep $((seconds - 15))
"$WORK/heapstat/heapstat" "$coordinator" 60 >"$WORK/heap-coordinator.txt" 2>&1 || true
"$WORK/heapstat/heapstat" "$worker" 60 >"$WORK/heap-worker.txt" 2>&1 || true
wait "$coordinator" || true
wait "$worker" || true
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for role in coordinator worker; do
  python3 - "$WORK/$role.csv" "$seconds" "$role" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) >= 5 and r[1] == "fleet"]
t0 = float(rows[0][0]); end = float(sys.argv[2])
at = lambda s: min(rows, key=lambda r: abs(float(r[0]) - t0 - s))
a, c = at(30), at(end - 20)
rss = lambda r: int(r[4]) / 1024
print(f"{sys.argv[3]} RSS MiB at {float(a[0]) - t0:.0f} s {rss(a):.1f}, at {float(c[0]) - t0:.0f} s {rss(c):.1f}")
PY
  echo "$role heap 15 s before the stop (after a full GC):"
  grep -E "^(total|gen|Total|objects)|ProducedMessageFates|SettledBatch|ProducedTransactionMessage|ChargePointStopped|StreamedMessage|NodeRecordCopy|MessageIdentity" "$WORK/heap-$role.txt" | head -20 || true
done
grep -E "loss check|Loss|lost|msg/s" "$WORK/run.out" | head -5
echo "# work directory: $WORK"
