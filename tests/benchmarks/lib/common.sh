# Shared by the benchmark scripts: paths, the build, the header of every result, sampling and cleanup.
# Source it; it sets REPO, FLEETSIM, BENCH_DIR, WORK (a temp dir removed on exit) and a trap that ends our children.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$BENCH_DIR/../.." && pwd)"
# PUBLISH=aot: the shipped form instead of the build output: compiled ahead of time (Native AOT), as the Dockerfile makes it.
# PUBLISH=1: a framework-dependent ReadyToRun publish (the Docker image's form before it became native).
# PUBLISH=composite: self-contained, the framework and FleetSim in one composite ReadyToRun image (results/2026-12-05-jit-forms.txt).
PUBLISH="${PUBLISH:-0}"
case "$(uname -m)" in aarch64|arm64) PUBLISH_RID=linux-arm64 ;; *) PUBLISH_RID=linux-x64 ;; esac
if [[ "$PUBLISH" == 1 ]]; then
    FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/$PUBLISH_RID/publish/fleetsim}"
elif [[ "$PUBLISH" == composite ]]; then
    FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/$PUBLISH_RID/publish-composite/fleetsim}"
elif [[ "$PUBLISH" == aot ]]; then
    FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/$PUBLISH_RID/publish-aot/fleetsim}"
else
    FLEETSIM="${FLEETSIM:-$REPO/src/Simulator.Cli/bin/Release/net10.0/fleetsim}"   # FLEETSIM=another build for A/B runs (SKIP_BUILD=1)
fi
WORK="$(mktemp -d /tmp/fleetsim-bench.XXXXXX)"
BENCH_PIDS=()

bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do
        # our own children only, by pid (the fleet kills its CSMS child itself; if it was killed hard, end that child too)
        if kill -0 "$pid" 2>/dev/null; then
            pkill -TERM -P "$pid" 2>/dev/null || true
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    sleep 1
    for pid in "${BENCH_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    [[ "${KEEP_WORK:-0}" == 1 ]] || rm -rf "$WORK"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# Build once unless SKIP_BUILD=1.
bench_build() {
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        # The ReadyToRun step's intermediate files do not record which form made them: a composite's left there breaks the next
        # per-assembly publish (and the other way round), so each publish starts that step afresh.
        [[ "$PUBLISH" == 0 ]] || rm -rf "$REPO/src/Simulator.Cli/obj/Release/net10.0/$PUBLISH_RID/R2R"
        if [[ "$PUBLISH" == 1 ]]; then
            dotnet publish -c Release "$REPO/src/Simulator.Cli" -r "$PUBLISH_RID" --self-contained false -p:PublishReadyToRun=true \
                -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
        elif [[ "$PUBLISH" == composite ]]; then
            dotnet publish -c Release "$REPO/src/Simulator.Cli" -r "$PUBLISH_RID" --self-contained true -p:PublishReadyToRun=true \
                -p:PublishReadyToRunComposite=true -o "$(dirname "$FLEETSIM")" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
        elif [[ "$PUBLISH" == aot ]]; then
            dotnet publish -c Release "$REPO/src/Simulator.Cli" -r "$PUBLISH_RID" -p:PublishAot=true \
                -o "$(dirname "$FLEETSIM")" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
        else
            dotnet build -c Release "$REPO/src/Simulator.Cli" -v q -nologo >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
        fi
    fi
    [[ -x "$FLEETSIM" ]] || { echo "no $FLEETSIM; build first" >&2; exit 1; }
}

# The commit the build under test came from: the checkout its folder lies in (a copied build names none).
build_commit() {
    local dir top
    dir="$(dirname "$FLEETSIM")"
    top="$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null)" || { echo "none (the build is outside a checkout)"; return; }
    echo "$(git -C "$dir" rev-parse --short HEAD)$(git -C "$dir" diff --quiet HEAD -- "$top/src" || echo '+dirty')"
}

bench_header() {
    echo "# $1"
    echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(build_commit)  host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# build: $FLEETSIM$([[ "$PUBLISH" == 1 ]] && echo " (PUBLISH=1: ReadyToRun, $PUBLISH_RID)")$([[ "$PUBLISH" == composite ]] && echo " (PUBLISH=composite: self-contained composite ReadyToRun, $PUBLISH_RID)")$([[ "$PUBLISH" == aot ]] && echo " (PUBLISH=aot: Native AOT, $PUBLISH_RID)")"
    echo "# runtime env: DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-unset} DOTNET_gcServer=${DOTNET_gcServer:-unset (runtimeconfig: workstation, non-concurrent)}"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# TCP counters of this network namespace (machine-wide: other engineers' runs count too): listen-queue overflows and SYN retransmits.
netcounters() {
    awk '/^TcpExt:/ { if (!h) { n = split($0, a); h = 1 } else { split($0, b); for (i = 1; i <= n; i++) if (a[i] == "ListenOverflows" || a[i] == "TCPSynRetrans") printf "%s ", b[i] } }' /proc/net/netstat
}

# bench_run NAME SECONDS_LIMIT -- fleetsim args...: runs fleetsim in the background with a sampler and a hard time limit;
# with BENCH_HOOK set, runs `$BENCH_HOOK FLEET_PID NAME` alongside; leaves $WORK/NAME.out (stdout+stderr), $WORK/NAME.csv (samples), $WORK/NAME.load (load average before/after), $WORK/NAME.rc.
bench_run() {
    local name="$1" limit="$2"; shift 3
    echo "$(loadavg)" >"$WORK/$name.load"
    netcounters >"$WORK/$name.net"
    timeout --signal=TERM --kill-after=15 "$limit" "$FLEETSIM" "$@" >"$WORK/$name.out" 2>&1 &
    local tpid=$!
    BENCH_PIDS+=("$tpid")
    # the fleetsim process is the child of timeout
    local fpid=""
    for _ in $(seq 100); do
        fpid="$(cat /proc/$tpid/task/$tpid/children 2>/dev/null | awk '{print $1}')"
        [[ -n "$fpid" ]] && break
        sleep 0.05
    done
    [[ -n "$fpid" ]] && BENCH_PIDS+=("$fpid")
    python3 "$BENCH_DIR/lib/procsample.py" "$fpid" "$WORK/$name.csv" &
    local spid=$!
    BENCH_PIDS+=("$spid")
    local hpid=""
    if [[ -n "${BENCH_HOOK:-}" ]]; then
        # shellcheck disable=SC2086
        $BENCH_HOOK "$fpid" "$name" &
        hpid=$!
        BENCH_PIDS+=("$hpid")
    fi
    local rc=0
    wait "$tpid" || rc=$?
    wait "$spid" || true
    [[ -z "$hpid" ]] || wait "$hpid" || true
    echo "$rc" >"$WORK/$name.rc"
    echo "$(loadavg)" >>"$WORK/$name.load"
    netcounters >>"$WORK/$name.net"
}
