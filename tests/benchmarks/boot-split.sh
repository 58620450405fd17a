#!/usr/bin/env bash
# boot-split.sh [N...]  (default: 1000 5000)
#
# Where a fleet's boot goes: the peer mix's every-charge-point-at-once boot, split into FleetSim's start-up and its ramp,
# against the Node counting CSMS (lib/counting-csms.js) and against `fleetsim csms` (C#, its own process), each in a process
# of its own. Every run ends (SIGTERM) as soon as the last charge point has booted, so a run takes seconds.
# One row per run:
#   start-up      launch (the script's clock just before exec) -> the actor system is up and the run begins
#   spawned       run start -> the last charge point actor was created (ChargePointHost)
#   connected     run start -> the last charge point's WebSocket was upgraded
#   ramp          run start -> the CSMS had seen a BootNotification from every charge point
#   all booted    launch -> the CSMS had seen every BootNotification (issue 17's "all booted")
#   CPU s         the fleet process's CPU seconds (user + system) when the last BootNotification was answered;
#                 CPU at start: the same when the run began;  CSMS CPU s: the CSMS process's CPU during the boot
#   JIT           methods JIT-compiled in the fleet process by then, and the JIT's own time
# The steps come from FleetSim's FLEETSIM_BOOT_TIMELINE file (src/Simulator.Fleet/Running/BootTimeline.cs); the CSMS's
# "all booted" from the Node CSMS's allBootedAt, or from `fleetsim csms --stamps` (the last charge point's first CALL).
# Environment: CSMSS ("node embedded"), REPEAT (2), PROFILE (peer-mix.yaml), FLEETSIM_B (a second build: the runs alternate
# A, B, A, B with the same CSMS and N, for an A/B under the other engineers' load), OCPP_VERSION (1.6 | 2.0.1),
# EXTRA_ARGS (more fleetsim run arguments), SKIP_BUILD=1, KEEP_WORK=1, PUBLISH=1; DOTNET_* pass through.
# Traffic stays on 127.0.0.1; every run is bounded by `timeout`; children are ended on exit.
source "$(dirname "$0")/lib/common.sh"
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 5000)
read -r -a CSMS_KINDS <<<"${CSMSS:-node embedded}"
REPEAT="${REPEAT:-2}"
case "${OCPP_VERSION:-1.6}" in
    1.6) PROFILE="${PROFILE:-$BENCH_DIR/peer-mix.yaml}" ;;
    2.0.1) PROFILE="${PROFILE:-$BENCH_DIR/peer-mix-201.yaml}" ;;
    *) echo "OCPP_VERSION must be 1.6 or 2.0.1" >&2; exit 2 ;;
esac
for kind in "${CSMS_KINDS[@]}"; do
    [[ "$kind" == node || "$kind" == embedded ]] || { echo "CSMSS: node and/or embedded" >&2; exit 2; }
    [[ "$kind" == embedded || -f "$REPO/tests/node_modules/ocpp-rpc/package.json" ]] || { echo "run: npm ci --prefix tests" >&2; exit 1; }
done
bench_build
BUILDS=("A=$FLEETSIM")
[[ -z "${FLEETSIM_B:-}" ]] || { [[ -x "$FLEETSIM_B" ]] || { echo "no $FLEETSIM_B" >&2; exit 1; }; BUILDS+=("B=$FLEETSIM_B"); }
bench_header "boot-split: ${SIZES[*]} charge points, CSMS ${CSMS_KINDS[*]}, $(basename "$PROFILE"), $REPEAT repeat(s) ${EXTRA_ARGS:-}"
echo "# worktree: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src || echo '+dirty') (a build copied elsewhere may differ)"
for b in "${BUILDS[@]}"; do echo "# build ${b%%=*}: ${b#*=}"; done
# The offset of the wall clock from CLOCK_MONOTONIC (the clock of the CSMS's stamps), in ns.
MONO_OFFSET_NS="$(python3 -c 'import time; print(time.time_ns() - time.monotonic_ns())')"

cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }   # clock ticks

# start_csms KIND NAME N: sets CSMS_PID, CSMS_URL
start_csms() {
    local port=""
    if [[ "$1" == embedded ]]; then
        "$FLEETSIM" csms --port 0 --control-port 0 --heartbeat-interval 60 --log-level Warning --stamps "$WORK/$2.stamps.csv" \
            >"$WORK/$2.csms.jsonl" 2>"$WORK/$2.csms.err" &
    else
        node "$BENCH_DIR/lib/counting-csms.js" --port 0 --expect "$3" >"$WORK/$2.csms.jsonl" 2>"$WORK/$2.csms.err" &
    fi
    CSMS_PID=$!
    BENCH_PIDS+=("$CSMS_PID")
    for _ in $(seq 100); do
        # (the background job may not have opened its files yet)
        port="$(sed -n -e 's|^CSMS listening on ws://[0-9.]*:\([0-9]*\)/.*|\1|p' "$WORK/$2.csms.jsonl" 2>/dev/null || true)"
        [[ -n "$port" ]] || port="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/$2.csms.err" 2>/dev/null || true)"
        [[ -n "$port" ]] && break
        sleep 0.1
    done
    [[ -n "$port" ]] || { echo "$1 CSMS did not start:"; cat "$WORK/$2.csms.err"; exit 1; }
    if [[ "$1" == embedded ]]; then CSMS_URL="ws://127.0.0.1:$port/ocpp/"; else CSMS_URL="ws://127.0.0.1:$port/"; fi
}

runs=()
for ((r = 1; r <= REPEAT; r++)); do
    for n in "${SIZES[@]}"; do
        for kind in "${CSMS_KINDS[@]}"; do
            for b in "${BUILDS[@]}"; do
                label="${b%%=*}"; build="${b#*=}"; name="r$r-$kind-n$n-$label"
                start_csms "$kind" "$name" "$n"
                sleep 1
                csms_cpu0="$(cpu_of "$CSMS_PID")"
                echo "$(loadavg)" >"$WORK/$name.load"
                rm -f "$WORK/$name.timeline.json"
                launch="$EPOCHREALTIME"
                # shellcheck disable=SC2086
                FLEETSIM_BOOT_TIMELINE="$WORK/$name.timeline.json" timeout --signal=TERM --kill-after=15 120 \
                    "$build" run "$PROFILE" --target "$CSMS_URL" --count "$n" --duration 90s --quiet ${EXTRA_ARGS:-} >"$WORK/$name.out" 2>&1 &
                fleet=$!
                BENCH_PIDS+=("$fleet")
                for _ in $(seq 1800); do
                    [[ -s "$WORK/$name.timeline.json" ]] && break
                    kill -0 "$fleet" 2>/dev/null || break
                    sleep 0.05
                done
                csms_cpu1="$(cpu_of "$CSMS_PID")"
                sleep 0.2   # the file is written by then
                kill -TERM "$fleet" 2>/dev/null || true   # timeout hands the signal to fleetsim: a graceful stop
                wait "$fleet" 2>/dev/null || true
                kill -TERM "$CSMS_PID" 2>/dev/null || true
                wait "$CSMS_PID" 2>/dev/null || true
                echo "$launch $(( csms_cpu1 - csms_cpu0 ))" >"$WORK/$name.meta"
                runs+=("$name")
                sleep 2
            done
        done
    done
done

python3 - "$WORK" "$MONO_OFFSET_NS" "$(getconf CLK_TCK)" "${runs[@]}" <<'PY'
import json, os, statistics, sys
work, offset_ns, tck, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]

def csms_all_booted_ms(name):
    stamps = os.path.join(work, f"{name}.stamps.csv")
    if os.path.exists(stamps):
        first = {}
        for line in open(stamps):
            parts = line.rstrip("\n").split(",")
            if len(parts) >= 4 and parts[0] == "in" and parts[1] not in first:
                first[parts[1]] = int(parts[3])
        return (max(first.values()) + offset_ns) / 1e6 if first else None, len(first)
    at = None
    for line in open(os.path.join(work, f"{name}.csms.jsonl")):
        try:
            at = at or json.loads(line).get("allBootedAt")
        except ValueError:
            pass
    return at, None

f = lambda v, fmt="%.2f": "-" if v is None else fmt % v
rows = {}
print()
print("| run | N | CSMS | build | start-up s | spawned s | connected s | ramp s | all booted s | CPU s at start | CPU s all booted | CSMS CPU s | JIT methods / ms | gen0/1/2 | load before |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in runs:
    r, kind, n, build = name.split("-")
    path = os.path.join(work, f"{name}.timeline.json")
    launch, csms_ticks = open(os.path.join(work, f"{name}.meta")).read().split()
    launch_ms = float(launch) * 1000
    load = open(os.path.join(work, f"{name}.load")).read().split()[0]
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        print(f"| {r} | {n[1:]} | {kind} | {build} | run failed (no timeline) |"); continue
    t = json.load(open(path))
    s = t["steps"]
    start = s.get("actorSystem", {}).get("unixMs")
    ms = lambda k: s[k]["unixMs"] if k in s else None
    booted_ms, seen = csms_all_booted_ms(name)
    if seen is not None and seen < t["fleetSize"]:
        booted_ms = None
    d = lambda a, b: (a - b) / 1000 if a is not None and b is not None else None
    done = s.get("allBooted")
    row = dict(startup=d(start, launch_ms), spawned=d(ms("allSpawned"), start), connected=d(ms("allConnected"), start),
               ramp=d(booted_ms, start), booted=d(booted_ms, launch_ms),
               cpu0=s["actorSystem"]["cpuMs"] / 1000 if "actorSystem" in s else None, cpu=done["cpuMs"] / 1000 if done else None,
               csms=int(csms_ticks) / tck)
    rows.setdefault((kind, n, build), []).append(row)
    print(f"| {r} | {n[1:]} | {kind} | {build} | {f(row['startup'])} | {f(row['spawned'])} | {f(row['connected'])} | {f(row['ramp'])} | {f(row['booted'])} | "
          f"{f(row['cpu0'])} | {f(row['cpu'])} | {f(row['csms'])} | {f(done['jitMethods'], '%d') if done else '-'} / {f(done['jitMs'], '%.0f') if done else '-'} | "
          f"{done['gen0']}/{done['gen1']}/{done['gen2']} | {load} |" if done else
          f"| {r} | {n[1:]} | {kind} | {build} | {f(row['startup'])} | {f(row['spawned'])} | {f(row['connected'])} | not all booted | | | | | | | {load} |")
print()
print("medians:")
print("| N | CSMS | build | runs | start-up s | ramp s | all booted s | CPU s all booted | CSMS CPU s |")
print("|---|---|---|---|---|---|---|---|---|")
med = lambda xs: statistics.median(xs) if xs else None
for (kind, n, build), rs in sorted(rows.items(), key=lambda kv: (int(kv[0][1][1:]), kv[0][0], kv[0][2])):
    col = lambda k: med([x[k] for x in rs if x[k] is not None])
    print(f"| {n[1:]} | {kind} | {build} | {len(rs)} | {f(col('startup'))} | {f(col('ramp'))} | {f(col('booted'))} | {f(col('cpu'))} | {f(col('csms'))} |")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
