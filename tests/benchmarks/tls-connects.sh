#!/usr/bin/env bash
# Connects per second of 1,000 charge points against the embedded CSMS, at security profiles 0 (baseline), 2 and 3.
# Usage: tests/benchmarks/tls-connects.sh [COUNT] [DURATION]
# Builds fleetsim (Release), runs an idle fleet arriving all at once, and reads the JSON report: the arrival's time to 100%
# connected (whole seconds, from the connection journal), the connect/TLS latency and the attempts by result.
set -euo pipefail
COUNT="${1:-1000}"
DURATION="${2:-40s}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
KEY="00112233445566778899aabbccddeeff"   # a throwaway key for the benchmark CSMS only

dotnet build "$ROOT/src/Simulator.Cli" -c Release -v q -nologo -o "$WORK/bin" >/dev/null
cat > "$WORK/tls.yaml" <<YAML
name: tls-connects
duration: $DURATION
target:
  url: embedded
csms:
  heartbeatInterval: 300s
fleet:
  - name: cp
    count: $COUNT
    idPattern: TLS-{00000}
    connectors: 1
arrival: allAtOnce
YAML

run() {
  local label="$1"; shift
  "$WORK/bin/fleetsim" run "$WORK/tls.yaml" --quiet --report "$WORK/$label.json" "$@" >"$WORK/$label.out" 2>&1 || true
  python3 - "$WORK/$label.json" "$label" "$COUNT" <<'PY'
import json, sys
report = json.load(open(sys.argv[1])); label = sys.argv[2]; count = int(sys.argv[3])
def find(d, name):
    return next((v for k, v in d.items() if k.lower() == name.lower()), None)
conn = find(report, "connections")
storms = find(report, "storms") or []
arrival = next((s for s in storms if find(s, "name") == "arrival"), None)
figures = find(arrival, "figures") if arrival else {}
t100 = figures.get("time_to_100pct_connected_s")
t50 = figures.get("time_to_50pct_connected_s")
def lat(name):
    s = find(conn, name) or {}
    ms = lambda k: (find(s, k) or 0)
    return "p50 %s / p99 %s / max %s" % (ms("p50Ms") or ms("p50"), ms("p99Ms") or ms("p99"), ms("maxMs") or ms("max"))
attempts = find(conn, "attemptsByResult")
rate = ("%.0f" % (count / t100)) if t100 else "n/a"
print(f"profile {label}: {count} charge points; 50% connected after {t50}s, 100% after {t100}s -> ~{rate} connects/s")
print(f"  connect time {lat('connectTime')}; TLS handshake {lat('tlsHandshake')}; attempts {attempts}; security events {find(report, 'securityEvents')}")
PY
}

run 0
run 2 --security-profile 2 --authorization-key "$KEY"
run 3 --security-profile 3 --cpo-name "FleetSim CPO"
