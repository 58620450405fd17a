#!/usr/bin/env bash
# jit-inventory.sh [N...]  (default: 1000 5000)
#
# What a 1.6 run (peer-mix.yaml, every charge point at once) loads and JIT-compiles, against `fleetsim csms` (its own process,
# no JIT logging). One run per N, DURATION (60s) long. Per run:
#   - methods JIT-compiled up to all booted (FLEETSIM_BOOT_TIMELINE's allBooted step), from then to 5 s before the run's end
#     ("steady") and in the end (stop, report), by tier and by namespace
#     (DOTNET_JitStdOutFile + DOTNET_JitDisasmSummary=1: one line per compiled method, appended as they are compiled);
#   - the managed assemblies mapped at the end (/proc/PID/maps), and RSS by mapping at the end: file-backed .dll / .so, the
#     JIT's code (the doublemapper), the rest anonymous (GC heap, malloc, stacks) (/proc/PID/smaps);
#   - CPU seconds at all booted and at the end.
# Environment: DURATION, PROFILE, SKIP_BUILD=1, PUBLISH=1, KEEP_WORK=1, TOP (namespaces listed, 25); DOTNET_* pass through.
# Traffic stays on 127.0.0.1; every run is bounded by `timeout`; children are ended on exit.
source "$(dirname "$0")/lib/common.sh"
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 5000)
PROFILE="${PROFILE:-$BENCH_DIR/peer-mix.yaml}"
DURATION="${DURATION:-60s}"
bench_build
bench_header "jit-inventory: ${SIZES[*]} charge points, $(basename "$PROFILE"), $DURATION, CSMS fleetsim csms"
for n in "${SIZES[@]}"; do
    name="n$n"
    "$FLEETSIM" csms --port 0 --control-port 0 --heartbeat-interval 60 --log-level Warning >"$WORK/$name.csms.out" 2>&1 &
    csms=$!; BENCH_PIDS+=("$csms")
    port=""
    for _ in $(seq 100); do
        port="$(sed -n -e 's|^CSMS listening on ws://[0-9.]*:\([0-9]*\)/.*|\1|p' "$WORK/$name.csms.out" 2>/dev/null || true)"
        [[ -n "$port" ]] && break
        sleep 0.1
    done
    [[ -n "$port" ]] || { echo "CSMS did not start"; cat "$WORK/$name.csms.out"; exit 1; }
    load="$(loadavg)"
    DOTNET_JitStdOutFile="$WORK/$name.jit" DOTNET_JitDisasmSummary=1 FLEETSIM_BOOT_TIMELINE="$WORK/$name.timeline.json" \
        timeout --signal=TERM --kill-after=15 "$(( ${DURATION%s} + 60 ))" \
        "$FLEETSIM" run "$PROFILE" --target "ws://127.0.0.1:$port/ocpp/" --count "$n" --duration "$DURATION" --quiet >"$WORK/$name.out" 2>&1 &
    fleet=$!; BENCH_PIDS+=("$fleet")
    for _ in $(seq 2400); do
        [[ -s "$WORK/$name.timeline.json" ]] && break
        kill -0 "$fleet" 2>/dev/null || break
        sleep 0.05
    done
    wc -l <"$WORK/$name.jit" >"$WORK/$name.bootlines" 2>/dev/null || echo 0 >"$WORK/$name.bootlines"
    # the end of the run: a few seconds before the duration is over
    sleep "$(( ${DURATION%s} - 5 ))"
    pid="$(pgrep -P "$fleet" -x fleetsim || echo "$fleet")"
    cp "/proc/$pid/smaps" "$WORK/$name.smaps" 2>/dev/null || true
    wc -l <"$WORK/$name.jit" >"$WORK/$name.steadylines" 2>/dev/null || echo 0 >"$WORK/$name.steadylines"
    awk '{ print ($14 + $15) }' "/proc/$pid/stat" >"$WORK/$name.cpuend" 2>/dev/null || echo 0 >"$WORK/$name.cpuend"
    wait "$fleet" 2>/dev/null || true
    kill -TERM "$csms" 2>/dev/null || true
    wait "$csms" 2>/dev/null || true
    echo "$load -> $(loadavg)" >"$WORK/$name.load"
    sleep 2
done

python3 - "$WORK" "$(getconf CLK_TCK)" "${TOP:-25}" "${SIZES[@]}" <<'PY'
import collections, json, os, re, sys
work, tck, top, sizes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
line_re = re.compile(r"JIT compiled (\S+?):(\S+?)\(.*\[([^,\]]+)")

def namespace(cls):
    cls = cls.split("[", 1)[0].split("`", 1)[0]
    parts = cls.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else ".".join(parts[:-1]) or cls

def smaps_split(path):
    out = collections.Counter(); dlls = collections.Counter()
    cur = None
    for line in open(path):
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            f = line.split()
            p = f[5] if len(f) > 5 else ""
            if p.endswith(".dll"): cur = ("dll", os.path.basename(p))
            elif ".so" in p: cur = ("so", os.path.basename(p))
            elif "doublemapper" in p: cur = ("jit code (doublemapper)", None)
            elif p.startswith("/"): cur = ("other files", None)
            else: cur = ("anonymous", None)
        elif line.startswith("Rss:"):
            kb = int(line.split()[1]); out[cur[0]] += kb
            if cur[0] == "dll": dlls[cur[1]] += kb
    return out, dlls

for n in sizes:
    name = f"n{n}"
    print(f"\n## N={n}  (load {open(os.path.join(work, name + '.load')).read().strip()})")
    t = json.load(open(os.path.join(work, name + ".timeline.json"))) if os.path.exists(os.path.join(work, name + ".timeline.json")) else {"steps": {}}
    booted = t["steps"].get("allBooted")
    lines = open(os.path.join(work, name + ".jit"), errors="replace").read().splitlines()
    boot_n = int(open(os.path.join(work, name + ".bootlines")).read().split()[0])
    parsed = [(i, m.group(1), m.group(3)) for i, l in enumerate(lines) for m in [line_re.search(l)] if m]
    steady_n = int(open(os.path.join(work, name + ".steadylines")).read().split()[0])
    boot = [p for p in parsed if p[0] < boot_n]; steady = [p for p in parsed if boot_n <= p[0] < steady_n]
    end = [p for p in parsed if p[0] >= steady_n]
    cpu_end = int(open(os.path.join(work, name + ".cpuend")).read().split()[0]) / tck
    print(f"CPU s at all booted {booted['cpuMs'] / 1000:.2f}, at the end {cpu_end:.2f}" if booted else f"no allBooted step; CPU at end {cpu_end:.2f}")
    print(f"JIT'd methods: to all booted {len(boot)}, steady {len(steady)}, end {len(end)}, total {len(parsed)}")
    for label, part in (("to all booted", boot), ("steady", steady), ("end", end)):
        tiers = collections.Counter(p[2] for p in part)
        print(f"  {label} by tier: " + ", ".join(f"{k} {v}" for k, v in tiers.most_common()))
    for label, part in (("to all booted", boot), ("steady", steady), ("end", end)):
        ns = collections.Counter(namespace(p[1]) for p in part)
        print(f"  {label}, top {top} namespaces: " + ", ".join(f"{k} {v}" for k, v in ns.most_common(top)))
    sm = os.path.join(work, name + ".smaps")
    if os.path.exists(sm):
        split, dlls = smaps_split(sm)
        total = sum(split.values())
        print(f"RSS at the end {total / 1024:.1f} MiB: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in split.most_common()))
        print(f"assemblies mapped: {len(dlls)}: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in dlls.most_common()))
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
