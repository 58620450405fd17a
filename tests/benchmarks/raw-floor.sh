#!/usr/bin/env bash
# raw-floor.sh [N...]  (default: 1000 5000)
#
# The floor under FleetSim's CPU per CALL: the peer mix's traffic (peer-mix.yaml as FleetSim plays it: BootNotification,
# StatusNotification for connectors 0-2, heartbeat 60 s, sessions per connector with exponential gaps of 22 s, the card 2 s
# after the plug-in (Authorize, StartTransaction, StatusNotification), plugged in 60-80 s, MeterValues with energy and power
# every 30 s while charging, StopTransaction and StatusNotification at the unplug; at the end the drain FleetSim's run also
# has: every open transaction stops, every connection closes) sent by tests/benchmarks/raw-floor (a console program, no
# actors, no model, JSON frames formatted in place, each CALL after the previous answer) against the same counting CSMS
# (lib/counting-csms.js), started as peer-mix.sh starts it. Variants (VARIANTS, in this order within each N and each repeat):
#   a         ClientWebSocket on one shared SocketsHttpHandler, one Task per charge point sleeping with Task.Delay
#   b         ClientWebSocket, every due time on one timer thread (one heap, as FleetSim's DueTimers) posting to the pool
#   c         FleetSim's own transport (Simulator.Transport WebSocketConnector/WebSocketConnection) with b's timer thread
#   fleetsim  FleetSim itself, run exactly as peer-mix.sh runs it (fleetsim run peer-mix.yaml --count N ...)
# KNOBS (a list, for a, b and c): fleetsim = FleetSim's runtime settings (workstation non-concurrent GC,
# ThreadPool UnfairSemaphoreSpinLimit=0, MinThreads=1); off = all three at the runtime's defaults (concurrent GC, spin 70,
# min threads = cores); gc, spin, min = only that one at the default. The fleetsim variant always runs with its own.
# Prints one row per run, in peer-mix.sh's columns:
#   all booted   seconds from the process's start until the CSMS had seen a BootNotification from all N
#   RSS          median over the last 60 s;  CPU %: the process's CPU over the last 60 s (one core = 100 %)
#   CALLs/s      counted at the CSMS over the last 60 s;  CPU ms per CALL: the process's CPU ms per CALL over the last 60 s
#   vol. cs per CALL  the process's voluntary context switches (all its threads) per CALL over the last 60 s
#   kernel share the process's system CPU / (user + system) over the last 60 s (socket calls, epoll, futex wake-ups)
#   timer lag    p50 / p99 of fired - due (raw-floor: its own; fleetsim: the report's schedulerLag)
# "The last 60 s" ends at the end of the run including the drain: the report's end for fleetsim, raw-floor's "end" line
# otherwise. Then the mean per variant and N, and FleetSim's CPU per CALL above each floor.
# PUBLISH=aot: raw-floor and fleetsim both compiled ahead of time (Native AOT), the shipped form; the settings are then
# compiled in, so only KNOBS=fleetsim.
# Environment: DURATION (100s), VARIANTS ("a b c fleetsim"), KNOBS (fleetsim), REPEAT (1: each repeat runs every N and
#              variant once more, alternating), SKIP_BUILD=1 (FleetSim's build: FLEETSIM=... for another), KEEP_WORK=1.
# The machine is shared: compare within one invocation (the variants alternate under the same load) and read the load
# averages. Traffic stays on 127.0.0.1; every run is bounded by `timeout`; children are ended on exit.
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-100s}"
VARIANTS=(${VARIANTS:-a b c fleetsim})
KNOBS=(${KNOBS:-fleetsim})
REPEAT="${REPEAT:-1}"
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 5000)
RAW_DIR="$BENCH_DIR/raw-floor"
for v in "${VARIANTS[@]}"; do
    [[ "$v" =~ ^(a|b|c|fleetsim)$ ]] || { echo "VARIANTS: a, b, c or fleetsim, not '$v'" >&2; exit 2; }
done
for k in "${KNOBS[@]}"; do
    [[ "$k" =~ ^(fleetsim|off|gc|spin|min)$ ]] || { echo "KNOBS: fleetsim, off, gc, spin or min, not '$k'" >&2; exit 2; }
    [[ "$PUBLISH" != aot || "$k" == fleetsim ]] || { echo "KNOBS=$k needs a runtimeconfig: with PUBLISH=aot only fleetsim" >&2; exit 2; }
done
[[ -f "$REPO/tests/node_modules/ocpp-rpc/package.json" ]] || { echo "run: npm ci --prefix tests" >&2; exit 1; }
if [[ " ${VARIANTS[*]} " == *" fleetsim "* ]]; then bench_build; fi
if [[ "$PUBLISH" == aot ]]; then
    dotnet publish -c Release "$RAW_DIR" -r "$PUBLISH_RID" -p:PublishAot=true -v q -nologo -o "$WORK/raw/fleetsim" >"$WORK/raw-build.log" 2>&1 \
        || { cat "$WORK/raw-build.log"; exit 1; }
else
    dotnet build -c Release "$RAW_DIR" -v q -nologo -o "$WORK/raw/fleetsim" >"$WORK/raw-build.log" 2>&1 || { cat "$WORK/raw-build.log"; exit 1; }
fi
# One copy of the build per runtime setting: the setting lives in raw-floor.runtimeconfig.json.
for k in "${KNOBS[@]}"; do
    [[ "$k" == fleetsim ]] && continue
    cp -r "$WORK/raw/fleetsim" "$WORK/raw/$k"
    python3 - "$WORK/raw/$k/raw-floor.runtimeconfig.json" "$k" <<'PY'
import json, sys
path, knob = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
props = doc["runtimeOptions"].setdefault("configProperties", {})
if knob in ("off", "gc"):
    props["System.GC.Concurrent"] = True
if knob in ("off", "spin"):
    props.pop("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", None)
if knob in ("off", "min"):
    props.pop("System.Threading.ThreadPool.MinThreads", None)
json.dump(doc, open(path, "w"), indent=2)
PY
done
title="raw-floor: ${SIZES[*]} charge points, variants ${VARIANTS[*]}, knobs ${KNOBS[*]}, $DURATION each, $REPEAT repeat(s), counting CSMS (node)$([[ "$PUBLISH" == 0 ]] || echo ", PUBLISH=$PUBLISH")"
if [[ " ${VARIANTS[*]} " == *" fleetsim "* ]]; then
    bench_header "$title"
else
    # bench_header names FleetSim's build and commit, which these runs do not use
    echo "# $title"
    echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git -C "$REPO" rev-parse --short HEAD)  host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

start_csms() {
    : >"$WORK/$1.csms.err"   # before the background start: the port is read from it at once
    node "$BENCH_DIR/lib/counting-csms.js" --port 0 --expect "$2" >"$WORK/$1.csms.jsonl" 2>"$WORK/$1.csms.err" &
    CSMS_PID=$!
    BENCH_PIDS+=("$CSMS_PID")
    CSMS_PORT=""
    for _ in $(seq 100); do
        CSMS_PORT="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/$1.csms.err")"
        [[ -n "$CSMS_PORT" ]] && break
        sleep 0.1
    done
    [[ -n "$CSMS_PORT" ]] || { echo "counting CSMS did not start:"; cat "$WORK/$1.csms.err"; exit 1; }
}

stop_csms() {
    kill -TERM "$CSMS_PID" 2>/dev/null || true
    wait "$CSMS_PID" 2>/dev/null || true
}

export CTX_DIR="$WORK"
limit=$(( ${DURATION%s} + 120 ))
RUNS=()
for r in $(seq "$REPEAT"); do
    for n in "${SIZES[@]}"; do
        for v in "${VARIANTS[@]}"; do
            knobs=("${KNOBS[@]}"); [[ "$v" != fleetsim ]] || knobs=(fleetsim)
            for k in "${knobs[@]}"; do
                name="r$r-n$n-$v-$k"
                RUNS+=("$name")
                start_csms "$name" "$n"
                date +%s.%N >"$WORK/$name.launch"
                if [[ "$v" == fleetsim ]]; then
                    BENCH_HOOK="python3 $RAW_DIR/ctxsample.py" bench_run "$name" "$limit" -- run "$BENCH_DIR/peer-mix.yaml" \
                        --target "ws://127.0.0.1:$CSMS_PORT/" --count "$n" --duration "$DURATION" --quiet --report "$WORK/$name.json"
                else
                    FLEETSIM="$WORK/raw/$k/raw-floor" BENCH_HOOK="python3 $RAW_DIR/ctxsample.py" bench_run "$name" "$limit" -- \
                        --url "ws://127.0.0.1:$CSMS_PORT/" --count "$n" --duration "$DURATION" --variant "$v"
                fi
                stop_csms
                echo "$name: exit $(cat "$WORK/$name.rc"), load $(tr '\n' ' ' <"$WORK/$name.load")" >&2
                sleep 5
            done
        done
    done
done

python3 - "$WORK" "${RUNS[@]}" <<'PY'
import csv, json, os, statistics, sys
from collections import defaultdict
from datetime import datetime
work, runs = sys.argv[1], sys.argv[2:]

def path(name, ext):
    return os.path.join(work, f"{name}.{ext}")

def rows(name):
    with open(path(name, "csv")) as f:
        return [(float(r["wall"]), float(r["cpu_s"]), int(r["rss_kb"])) for r in csv.DictReader(f) if r["role"] == "fleet"]

def ctx(name):
    if not os.path.exists(path(name, "ctx.csv")):
        return []
    with open(path(name, "ctx.csv")) as f:
        return [(float(r["wall"]), int(r["voluntary"]), float(r.get("utime_s") or "nan"), float(r.get("stime_s") or "nan"))
                for r in csv.DictReader(f)]

def csms(name):
    out = []
    for line in open(path(name, "csms.jsonl")):
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out

def finish(name):
    """(end unix s, timer lag p50, p99, note) of a run, or None."""
    if name.split("-")[2] == "fleetsim":
        if not os.path.exists(path(name, "json")) or os.path.getsize(path(name, "json")) == 0:
            return None
        rep = json.load(open(path(name, "json")))
        lag = rep.get("schedulerLag") or {}
        return datetime.fromisoformat(rep["end"]).timestamp(), lag.get("p50Ms"), lag.get("p99Ms"), ""
    for line in open(path(name, "out")):
        if line.startswith('{"end"'):
            d = json.loads(line)
            note = "" if d["drained"] and d["connectFailed"] == 0 and d["badAnswers"] == 0 and d["broken"] == 0 else \
                f"connected {d['connected']}, failed {d['connectFailed']}, bad answers {d['badAnswers']}, broken {d['broken']}, drained {d['drained']}"
            return d["end"], d["timerLagP50Ms"], d["timerLagP99Ms"], note
    return None

f = lambda v, fmt: "-" if v is None or v != v else fmt % v
print()
print("| variant | knobs | N | all booted (s) | RSS (MiB) | CPU % (last 60 s) | CALLs/s at CSMS | CPU ms per CALL | vol. cs per CALL | kernel share of CPU | timer lag p50 / p99 (ms) | load avg before → after | note |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
per = defaultdict(list)
for name in runs:
    _, n, v, k = name.split("-")
    n = int(n[1:])
    fin, samples = finish(name), rows(name) if os.path.exists(path(name, "csv")) else []
    if fin is None or not samples:
        print(f"| {v} | {k} | {n} | run failed (exit {open(path(name, 'rc')).read().strip()}) |"); continue
    end, p50, p99, note = fin
    lines = csms(name)
    launch = float(open(path(name, "launch")).read())
    booted_at = next((l["allBootedAt"] for l in lines if l.get("allBootedAt")), None)
    last = [r for r in samples if end - 60 <= r[0] <= end]
    cpu = last[-1][1] - last[0][1] if len(last) > 1 else None
    wall = last[-1][0] - last[0][0] if len(last) > 1 else None
    window = [l for l in lines if not l.get("final") and end - 60 <= l["t"] < end]
    calls, seconds = sum(l["calls"] for l in window), len(window)
    cs = [c for c in ctx(name) if end - 60 <= c[0] <= end]
    vol = cs[-1][1] - cs[0][1] if len(cs) > 1 else None
    # the ctx samples cover (about) the same span as the CPU samples; scaled to the CSMS's whole seconds
    cs_wall = cs[-1][0] - cs[0][0] if len(cs) > 1 else None
    # the kernel's share of the process's CPU (system calls: socket reads and writes, epoll, futex wake-ups)
    kernel = None
    if len(cs) > 1 and (cs[-1][2] - cs[0][2]) + (cs[-1][3] - cs[0][3]) > 0:
        kernel = (cs[-1][3] - cs[0][3]) / ((cs[-1][2] - cs[0][2]) + (cs[-1][3] - cs[0][3]))
    load = open(path(name, "load")).read().split()
    cpu_per = 1000 * cpu / calls if cpu and calls else None
    vol_per = vol / cs_wall * seconds / calls if vol is not None and cs_wall and calls else None
    per[(n, v, k)].append((cpu_per, 100 * cpu / wall if wall else None, vol_per, kernel))
    print(f"| {v} | {k} | {n} | {f(booted_at / 1000 - launch if booted_at else None, '%.2f')} | "
          f"{f(statistics.median(r[2] for r in last) / 1024 if last else None, '%.0f')} | {f(100 * cpu / wall if wall else None, '%.1f')} | "
          f"{f(calls / seconds if seconds else None, '%.0f')} | {f(cpu_per, '%.3f')} | {f(vol_per, '%.2f')} | {f(100 * kernel if kernel is not None else None, '%.0f %%')} | "
          f"{f(p50, '%.1f')} / {f(p99, '%.1f')} | {' '.join(load[:3])} → {' '.join(load[3:6])} | {note} |")

print()
print("mean over the repeats (CPU ms per CALL, CPU %, vol. cs per CALL); FleetSim's CPU per CALL above the floor = 1 - floor / fleetsim:")
print()
print("| N | variant | knobs | runs | CPU ms per CALL | CPU % | vol. cs per CALL | kernel share | FleetSim's share above this floor |")
print("|---|---|---|---|---|---|---|---|---|")
mean = lambda xs: statistics.mean(xs) if xs else None
for (n, v, k) in sorted(per, key=lambda key: (key[0], key[1] == "fleetsim", key[1], key[2])):
    vals = per[(n, v, k)]
    cpu_per = mean([x[0] for x in vals if x[0] is not None])
    fleet = mean([x[0] for x in per.get((n, "fleetsim", "fleetsim"), []) if x[0] is not None])
    above = 1 - cpu_per / fleet if cpu_per and fleet and v != "fleetsim" else None
    print(f"| {n} | {v} | {k} | {len(vals)} | {f(cpu_per, '%.3f')} | {f(mean([x[1] for x in vals if x[1] is not None]), '%.1f')} | "
          f"{f(mean([x[2] for x in vals if x[2] is not None]), '%.2f')} | "
          f"{f(100 * mean([x[3] for x in vals if x[3] is not None]) if any(x[3] is not None for x in vals) else None, '%.0f %%')} | {f(100 * above if above is not None else None, '%.0f %%')} |")
print()
print("targets (issue 17): N=1,000: <= 1 % of a core; N=5,000: <= 0.05 ms CPU per CALL, all booted <= 1.5 s, RSS <= 112 MiB")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
