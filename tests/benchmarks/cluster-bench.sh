#!/usr/bin/env bash
# The same fleet on 1 node and on 3 nodes (coordinator + 2 workers, all on this machine), against the CSMS in its own
# process: peak RSS and CPU of the simulator processes, and CPU per OCPP message (request or response).
#   tests/benchmarks/cluster-bench.sh [COUNT] [DURATION]      default 3000 charge points, 40s
# Needs a Release build: dotnet build src/Simulator.Cli -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-3000}
DURATION=${2:-40s}
DLL=src/Simulator.Cli/bin/Release/net10.0/fleetsim.dll
[ -f "$DLL" ] || { echo "build first: dotnet build src/Simulator.Cli -c Release" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0

cat > "$WORK/bench.yaml" <<YAML
name: cluster-bench
duration: $DURATION
target:
  url: ws://127.0.0.1:1/ocpp
fleet:
  - name: ac
    count: $COUNT
    idPattern: BENCH-{00000}
    connectors: 1
    current: ac3
    maxPower: 11kW
    configuration:
      HeartbeatInterval: "30"
      MeterValueSampleInterval: "10"
arrival:
  stages:
    - {duration: 10s, target: $COUNT}
behaviour:
  sessions:
    meanTimeBetweenSessions: 30s
    plugInDuration: {uniform: [10s, 20s]}
    energyNeed: {uniform: [1kWh, 2kWh]}
YAML

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_csms() {
  dotnet "$DLL" csms --port 0 --control-port 0 --heartbeat-interval 30 > "$WORK/csms.log" 2>&1 &
  CSMS_PID=$!; PIDS+=("$CSMS_PID")
  for _ in $(seq 100); do grep -q "CSMS listening on" "$WORK/csms.log" 2>/dev/null && break; sleep 0.2; done
  CSMS_URL=$(sed -n 's/^CSMS listening on \(.*\)<chargeBoxId>.*/\1/p' "$WORK/csms.log")
}

# /usr/bin/time -f: elapsed s, user s, system s, max RSS KB
timed() { local out=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$out" "$@"; }

summary() { # $1 label, $2 report, rest: time files
  local label=$1 report=$2; shift 2
  python3 - "$label" "$report" "$@" <<'PY'
import json, sys
label, report, files = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3:]
cpu = rss = 0.0
per = []
for f in files:
    e, u, s, m = map(float, open(f).read().split()[-4:])
    cpu += u + s; rss += m
    per.append(f"{(u+s):.1f}s/{m/1024:.0f}MB")
calls = report["totals"]["count"]
messages = 2 * calls
cps = report["fleetSize"]
print(f"{label:8} nodes={report['nodeCount']} charge_points={cps} calls={calls} p99={report['totals']['latency']['p99Ms']}ms "
      f"cpu_total={cpu:.1f}s rss_total={rss/1024:.0f}MB rss_per_cp={rss/cps:.1f}KB cpu_per_1000_msgs={1000*cpu/messages*1000:.1f}ms  per_process=[{', '.join(per)}]")
PY
}

echo "== 1 node, $COUNT charge points, $DURATION"
start_csms
timed "$WORK/single.time" dotnet "$DLL" run "$WORK/bench.yaml" --target "$CSMS_URL" --quiet --report "$WORK/single.json" > "$WORK/single.log" 2>&1 || true
kill -KILL "$CSMS_PID" 2>/dev/null || true; wait "$CSMS_PID" 2>/dev/null || true
summary single "$WORK/single.json" "$WORK/single.time"

echo "== 3 nodes, $COUNT charge points, $DURATION"
start_csms
PORT=$(free_port)
timed "$WORK/coord.time" dotnet "$DLL" run "$WORK/bench.yaml" --target "$CSMS_URL" --quiet --cluster --port "$PORT" --min-nodes 3 --report "$WORK/cluster.json" > "$WORK/coord.log" 2>&1 &
COORD=$!; PIDS+=("$COORD")
sleep 2
timed "$WORK/w1.time" dotnet "$DLL" node --seed "127.0.0.1:$PORT" --port "$(free_port)" > "$WORK/w1.log" 2>&1 & PIDS+=($!); W1=$!
timed "$WORK/w2.time" dotnet "$DLL" node --seed "127.0.0.1:$PORT" --port "$(free_port)" > "$WORK/w2.log" 2>&1 & PIDS+=($!); W2=$!
wait "$COORD" || true; wait "$W1" || true; wait "$W2" || true
kill -KILL "$CSMS_PID" 2>/dev/null || true; wait "$CSMS_PID" 2>/dev/null || true
summary cluster "$WORK/cluster.json" "$WORK/coord.time" "$WORK/w1.time" "$WORK/w2.time"
