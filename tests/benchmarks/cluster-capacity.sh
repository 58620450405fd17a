#!/usr/bin/env bash
# cluster-capacity.sh [COUNT...]  (default: 30000)
#
# The largest fleet 3 cluster nodes on this machine hold (issue #9). Per COUNT: CSMS_PROCESSES (2) `fleetsim csms`
# processes share one 127.0.0.1 port with --reuse-port (one process may hold only 20,000 open files; heartbeat 300 s, so
# the load is mostly holding connections), a coordinator (`fleetsim run --cluster --min-nodes 3`, holds a third) and
# 2 workers (`fleetsim node`). Idle charge points (heartbeat 300 s, no meter values, no sessions) connect from
# 127.0.0.2-127.0.0.5 (about 28,000 ephemeral ports each) on a ramp over RAMP (60s), then are held HOLD (90s) more.
#
# Prints per node: charge points connected/booted (peak), peak RSS, RSS at the end of the hold, CPU; per CSMS process:
# connections open at the end of the hold, connections accepted, peak RSS, CPU; fleet totals: booted peak vs COUNT,
# connect attempts by result, reconnects, p99 per action, the time the whole fleet was held; and the verdict:
# HELD = booted peak == COUNT, every CSMS-side connection open from the moment all were up until the end of the hold,
# no reconnect, no connect failure, and no node left the cluster before the planned end. Otherwise NOT HELD, with the
# reasons. Nodes lost after the planned end, while the fleet closes its connections, are printed apart.
#
# Environment: RAMP (60s), HOLD (90, seconds after the ramp plus 20 s to settle), CSMS_PROCESSES (2),
# SOURCE_ADDRESSES ("127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5"), SKIP_BUILD=1, KEEP_WORK=1.
source "$(dirname "$0")/lib/common.sh"
COUNTS=("$@"); [[ ${#COUNTS[@]} -gt 0 ]] || COUNTS=(30000)
RAMP="${RAMP:-60s}"
HOLD="${HOLD:-90}"
CSMS_PROCESSES="${CSMS_PROCESSES:-2}"
SOURCE_ADDRESSES="${SOURCE_ADDRESSES:-127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5}"
RAMP_S="${RAMP%s}"
DURATION_S=$((RAMP_S + 20 + HOLD))
LIMIT_S=$((DURATION_S + 180))

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_process NAME -- fleetsim args...: fleetsim under `timeout` in the background, sampled by procsample.py;
# sets STARTED_TIMEOUT_PID (the `timeout` process, whose exit is the process's) and leaves $WORK/NAME.out, $WORK/NAME.csv.
start_process() {
    local name="$1"; shift 2
    timeout --signal=TERM --kill-after=15 "$LIMIT_S" "$FLEETSIM" "$@" >"$WORK/$name.out" 2>&1 &
    STARTED_TIMEOUT_PID=$!
    BENCH_PIDS+=("$STARTED_TIMEOUT_PID")
    local pid=""
    for _ in $(seq 100); do
        pid="$(cat /proc/$STARTED_TIMEOUT_PID/task/$STARTED_TIMEOUT_PID/children 2>/dev/null | awk '{print $1}')"
        [[ -n "$pid" ]] && break
        sleep 0.05
    done
    [[ -n "$pid" ]] || { echo "$name did not start" >&2; exit 1; }
    BENCH_PIDS+=("$pid")
    echo "$name $pid" >>"$WORK/pids"
    python3 "$BENCH_DIR/lib/procsample.py" "$pid" "$WORK/$name.csv" &
    BENCH_PIDS+=("$!")
}

# wait_for_line FILE PATTERN SECONDS
wait_for_line() {
    for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "no '$2' in $1 within $3 s:" >&2; tail -20 "$1" >&2; return 1
}

FD_SAMPLER='
import os, sys, time
pids = [line.split() for line in open(sys.argv[1]) if line.startswith(sys.argv[2] + "-")]
with open(sys.argv[3], "w") as out:
    out.write("wall,process,fds\n")
    while not os.path.exists(sys.argv[4]):
        now = time.time()
        for name, pid in pids:
            try:
                out.write("%.3f,%s,%d\n" % (now, name[len(sys.argv[2]) + 1:], len(os.listdir(f"/proc/{pid}/fd"))))
            except OSError:
                pass
        out.flush()
        time.sleep(max(0.0, now + 2 - time.time()))
'

run_count() {
    local count="$1" run="n$1"
    local csms_port cluster_port
    csms_port="$(free_port)"; cluster_port="$(free_port)"
    local addresses; addresses="$(echo "$SOURCE_ADDRESSES" | sed 's/ /, /g')"
    cat >"$WORK/$run.yaml" <<YAML
name: cluster-capacity
duration: ${DURATION_S}s
target:
  url: ws://127.0.0.1:$csms_port/ocpp/
  sourceAddresses: [$addresses]
fleet:
  - name: idle
    count: $count
    idPattern: CAP-{00000}
    connectors: 1
    configuration:
      HeartbeatInterval: "300"
      MeterValueSampleInterval: "0"
arrival:
  stages:
    - {duration: $RAMP, target: $count}
behaviour: idle
YAML
    : >"$WORK/$run.control"
    # the CSMS processes' control API token, through the environment (never on a command line)
    FLEETSIM_CONTROL_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
    export FLEETSIM_CONTROL_TOKEN
    local i csms_timeout_pids=()
    for i in $(seq "$CSMS_PROCESSES"); do
        start_process "$run-csms$i" -- csms --port "$csms_port" --reuse-port --control-port 0 --heartbeat-interval 300
        csms_timeout_pids+=("$STARTED_TIMEOUT_PID")
        wait_for_line "$WORK/$run-csms$i.out" "^Control API on " 30
        sed -n 's/^Control API on \(.*\)$/\1/p' "$WORK/$run-csms$i.out" >>"$WORK/$run.control"
    done
    # every 2 s: connections open and accepted per CSMS process, until the stop file appears
    timeout "$LIMIT_S" python3 - "$WORK/$run.control" "$WORK/$run.poll" "$WORK/$run.stop" <<'PY' &
import json, os, sys, time, urllib.request
urls = open(sys.argv[1]).read().split()
with open(sys.argv[2], "w") as out:
    out.write("wall,csms,open,accepted\n")
    while not os.path.exists(sys.argv[3]):
        now = time.time()
        for i, url in enumerate(urls):
            try:
                request = urllib.request.Request(url + "stats", headers={"Authorization": "Bearer " + os.environ["FLEETSIM_CONTROL_TOKEN"]})
                s = json.load(urllib.request.urlopen(request, timeout=5))
                out.write("%.3f,%d,%d,%d\n" % (now, i + 1, s["connectionsOpen"], s["connectionsAccepted"]))
            except OSError as e:
                out.write("%.3f,%d,-1,-1\n" % (now, i + 1))
        out.flush()
        time.sleep(max(0.0, now + 2 - time.time()))
PY
    local poller=$!
    BENCH_PIDS+=("$poller")
    echo "$(loadavg)" >"$WORK/$run.load"
    netcounters >"$WORK/$run.net"

    start_process "$run-coordinator" -- run "$WORK/$run.yaml" --cluster --port "$cluster_port" --min-nodes 3 --nodes-timeout 90s --report "$WORK/$run.json"
    local coordinator=$STARTED_TIMEOUT_PID
    wait_for_line "$WORK/$run-coordinator.out" "Cluster coordinator at" 60
    local workers=()
    for i in 1 2; do
        start_process "$run-worker$i" -- node --seed "127.0.0.1:$cluster_port" --port "$(free_port)"
        workers+=("$STARTED_TIMEOUT_PID")
    done
    # every 2 s: open files per process (the hard limit is $(ulimit -Hn) each), until the stop file appears
    timeout "$LIMIT_S" python3 -c "$FD_SAMPLER" "$WORK/pids" "$run" "$WORK/$run.fds" "$WORK/$run.stop" &
    local fd_sampler=$!
    BENCH_PIDS+=("$fd_sampler")
    local rc=0
    wait "$coordinator" || rc=$?
    echo "$rc" >"$WORK/$run.rc"
    for i in 0 1; do
        # workers leave when the run is over; give them 30 s
        for _ in $(seq 300); do kill -0 "${workers[$i]}" 2>/dev/null || break; sleep 0.1; done
        kill -TERM "${workers[$i]}" 2>/dev/null || true
        wait "${workers[$i]}" || true
    done
    touch "$WORK/$run.stop"
    wait "$poller" || true
    wait "$fd_sampler" || true
    for i in $(seq "$CSMS_PROCESSES"); do
        curl -s --max-time 10 -H @<(printf 'Authorization: Bearer %s\n' "$FLEETSIM_CONTROL_TOKEN") "$(sed -n "${i}p" "$WORK/$run.control")stats" >"$WORK/$run-csms$i.stats" || true
    done
    for pid in "${csms_timeout_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true; done
    echo "$(loadavg)" >>"$WORK/$run.load"
    netcounters >>"$WORK/$run.net"
    sleep 2
}

bench_build
cd "$WORK"  # the nodes' working directory: whatever they write there goes with the work files
bench_header "cluster-capacity: 3 cluster nodes (coordinator + 2 workers) against $CSMS_PROCESSES CSMS processes sharing one port (--reuse-port); COUNT ${COUNTS[*]}; idle charge points (heartbeat 300 s) from $SOURCE_ADDRESSES; ramp $RAMP, run ${DURATION_S}s"
echo "# limits: open files per process $(ulimit -Hn) (hard), ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range), somaxconn $(cat /proc/sys/net/core/somaxconn)"
echo "# another engineer may run tests on this machine at the same time: see the load averages"
for count in "${COUNTS[@]}"; do
    run_count "$count"
    python3 - "$WORK" "$count" "$CSMS_PROCESSES" "$DURATION_S" <<'PY'
import csv, glob, json, os, re, sys
from datetime import datetime

work, count, csms_processes, duration_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
run = f"n{count}"
path = lambda suffix: os.path.join(work, run + suffix)


def samples(name):
    rows = []
    with open(path(f"-{name}.csv")) as f:
        for r in csv.DictReader(f):
            if r["role"] == "fleet":
                rows.append((float(r["wall"]), float(r["cpu_s"]), int(r["rss_kb"])))
    return rows


def nearest(rows, t):
    return min(rows, key=lambda r: abs(r[0] - t)) if rows else None


def cpu_pct(rows, t0, t1):
    a, b = nearest(rows, t0), nearest(rows, t1)
    return 100 * (b[1] - a[1]) / (b[0] - a[0]) if a and b and b[0] > a[0] else None


fmt = lambda v, f="%.0f": "-" if v is None else f % v
fds = {}
if os.path.exists(path(".fds")):
    with open(path(".fds")) as f:
        for r in csv.DictReader(f):
            fds[r["process"]] = max(fds.get(r["process"], 0), int(r["fds"]))
load = open(path(".load")).read().split()
net = open(path(".net")).read().split()
print()
print(f"## COUNT {count}  (load average before {' '.join(load[:3])}, after {' '.join(load[3:6])}; coordinator exit code {open(path('.rc')).read().strip()})")
if not os.path.exists(path(".json")):
    print("no report: the run did not finish. Open files (peak) per process: " + (", ".join(f"{k} {v}" for k, v in sorted(fds.items())) or "not sampled"))
    for name in ["coordinator", "worker1", "worker2"]:
        lines = [l.rstrip() for l in open(path(f"-{name}.out")) if not l.startswith("   at ")]
        fatal = [l for l in lines if re.search(r"out of memory|too many open files|unhandled exception", l, re.I)]
        progress = [l for l in lines if re.match(r"\[\d\d:\d\d\] connected", l)]
        print(f"{name}: " + (f"last progress {progress[-1][:160]}; " if progress else "") + f"last line {lines[-1][:200] if lines else '-'}"
              + (f"; fatal: {' | '.join(l[:200] for l in fatal[:3])}" if fatal else ""))
    print("VERDICT: NOT HELD (no report)")
    sys.exit(0)
report = json.load(open(path(".json")))
start = datetime.fromisoformat(report["start"]).timestamp()
end = datetime.fromisoformat(report["end"]).timestamp()

# CSMS side, every 2 s: the sum of open connections over the CSMS processes
polls = {}
with open(path(".poll")) as f:
    for r in csv.DictReader(f):
        polls.setdefault(round(float(r["wall"]), 3), {})[int(r["csms"])] = (int(r["open"]), int(r["accepted"]))
series = sorted((t, sum(v[0] for v in by.values())) for t, by in polls.items() if len(by) == csms_processes and all(v[0] >= 0 for v in by.values()))
planned_end = start + duration_s
full_at = next((t for t, n in series if n >= count), None)
# the hold: from the first moment all were connected to the planned end of the run (less 3 s: the fleet then closes)
hold = [(t, n) for t, n in series if full_at is not None and full_at <= t <= planned_end - 3]
hold_min = min((n for _, n in hold), default=None)
hold_s = (hold[-1][0] - full_at) if hold else 0.0
hold_t0, hold_t1 = (full_at, hold[-1][0]) if hold else (start, end)

nodes = report["cluster"]["nodes"] if report.get("cluster") else []
by_port = {}
for n in nodes:
    m = re.search(r":(\d+)$", n["address"])
    if m:
        by_port[m.group(1)] = n
print()
print("| process | charge points connected (peak) | booted (peak) | open files (peak) | peak RSS (MiB) | RSS end of hold (MiB) | CPU s (run) | CPU % (hold) | CPU % (ramp) |")
print("|---|---|---|---|---|---|---|---|---|")
for name in ["coordinator", "worker1", "worker2"]:
    rows = samples(name)
    text = open(path(f"-{name}.out")).read()
    m = re.search(r"Cluster coordinator at \S+@[\d.]+:(\d+)", text) or re.search(r"Node \S+ at \S+@[\d.]+:(\d+)", text)
    node = by_port.get(m.group(1)) if m else None
    end_rss = nearest(rows, hold_t1)
    print(f"| {name} | {fmt(node and node['connectedPeak'], '%d')} | {fmt(node and node['bootedPeak'], '%d')} | {fmt(fds.get(name), '%d')} | {max(r[2] for r in rows)/1024:.0f} | "
          f"{fmt(end_rss and end_rss[2]/1024)} | {rows[-1][1]-rows[0][1]:.1f} | {fmt(cpu_pct(rows, hold_t0, hold_t1))} | {fmt(cpu_pct(rows, start, full_at or end))} |")
for i in range(1, csms_processes + 1):
    rows = samples(f"csms{i}")
    last = [by[i] for t, by in sorted(polls.items()) if i in by and by[i][0] >= 0 and t <= hold_t1]
    end_rss = nearest(rows, hold_t1)
    print(f"| CSMS {i} | {fmt(last[-1][0] if last else None, '%d')} open at end of hold, {fmt(last[-1][1] if last else None, '%d')} accepted | - | {fmt(fds.get(f'csms{i}'), '%d')} | "
          f"{max(r[2] for r in rows)/1024:.0f} | {fmt(end_rss and end_rss[2]/1024)} | {rows[-1][1]-rows[0][1]:.1f} | {fmt(cpu_pct(rows, hold_t0, hold_t1))} | {fmt(cpu_pct(rows, start, full_at or end))} |")

c = report["connections"]
accepted = sum(json.load(open(p))["connectionsAccepted"] for p in glob.glob(path("-csms*.stats")) if os.path.getsize(p) > 0)
failures = {k: v for k, v in c["attemptsByResult"].items() if k != "ok" and v > 0}
def failed_at(f):
    return min(datetime.fromisoformat(t).timestamp() for t in (f["unreachableAt"], f["removedAt"]) if t)


# a node lost before the planned end broke the hold; one lost after it, while the fleet closed its connections, did not
node_failures = report["cluster"]["failures"] if report.get("cluster") else []
failed_nodes = [f for f in node_failures if failed_at(f) <= planned_end]
teardown_failures = [f for f in node_failures if failed_at(f) > planned_end]
print()
print(f"fleet: booted peak {c['bootedPeak']} of {count}, connected peak {c['connectedPeak']}; all {count} connected on the CSMS side "
      + (f"{full_at - start:.0f} s after the start" if full_at else "never")
      + f"; held {hold_s:.0f} s after that (minimum open during the hold {fmt(hold_min, '%d')}); CSMS connections accepted in total {accepted}")
print(f"connect attempts by result: {json.dumps(c['attemptsByResult'])}; reconnects {c['reconnects']}; connect time p99 {c['connectTime']['p99Ms']} ms; "
      f"nodes that left before the planned end: {len(failed_nodes)}{' ' + json.dumps(failed_nodes) if failed_nodes else ''}")
for f in teardown_failures:
    print(f"after the planned end (teardown): node {f['node']} removed {failed_at(f) - planned_end:.0f} s after it "
          f"(unreachable at {f['unreachableAt']}, removed at {f['removedAt']}; {f['chargePointsInterrupted']} charge points interrupted)")
print("p99 per action: " + "; ".join(f"{a['action']} {a['direction']} {a['latency']['p99Ms']} ms (n={a['count']}, errors {a['errors']}, timeouts {a['timeouts']})" for a in report["actions"]))
print(f"scheduler lag p99 {report['schedulerLag']['p99Ms']} ms; listen-queue overflows / SYN retransmits (machine-wide) {int(net[2]) - int(net[0])} / {int(net[3]) - int(net[1])}")
def logged_at(line):
    m = re.search(r"\[(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d)[.\d]*Z\]", line)
    return datetime.strptime(m.group(1) + "+0000", "%m/%d/%Y %H:%M:%S%z").timestamp() if m else None


for name in ["coordinator", "worker1", "worker2"]:
    # cluster and resource warnings until the planned end; after it the fleet closes every connection at once and the
    # nodes leave one another, so warnings then are counted apart
    lines = [(logged_at(l), l.strip()) for l in open(path(f"-{name}.out"))
             if re.search(r"unreachable|downing|removed|Association|quarantin|heartbeat|OutOfMemory|Too many open files", l, re.I)]
    during = [l for t, l in lines if t is None or t <= planned_end]
    after = [l for t, l in lines if t is not None and t > planned_end]
    if during:
        print(f"{name} log, cluster and resource warnings during the run ({len(during)}): " + " | ".join(l[:400] for l in during[:5]))
    if after:
        print(f"{name} log: {len(after)} cluster warnings after the planned end, while the fleet closed its connections and the nodes left")

reasons = []
if c["bootedPeak"] != count:
    reasons.append(f"booted peak {c['bootedPeak']} != {count}")
if full_at is None:
    reasons.append("the CSMS processes never had all connections open at once")
elif hold_s < 60:
    reasons.append(f"held only {hold_s:.0f} s")
if hold_min is not None and hold_min < count:
    reasons.append(f"connections dropped during the hold (minimum open {hold_min})")
if c["reconnects"] or accepted > count:
    reasons.append(f"reconnects {c['reconnects']}, CSMS accepted {accepted} connections for {count} charge points")
if failures:
    reasons.append(f"connect failures {json.dumps(failures)}")
if failed_nodes:
    reasons.append(f"{len(failed_nodes)} node(s) left the cluster")
print(f"VERDICT COUNT {count}: " + ("HELD" if not reasons else "NOT HELD (" + "; ".join(reasons) + ")"))
PY
done
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
