#!/usr/bin/env bash
# idle-memory.sh [N...]  (default: 1000 10000)
#
# N idle charge points (behaviour idle, heartbeat 300 s, tests/benchmarks/idle-bench.yaml) connected to the embedded
# CSMS in its own process, for DURATION (default 100s). Once all are booted and the process has settled:
#   - settled RSS: median fleet VmRSS over [end-60 s, end-35 s] (nothing done to the process);
#   - at end-30 s, tests/benchmarks/heapstat forces a full blocking GC (EventPipe GCHeapCollect, as dotnet-gcdump does)
#     and walks the managed heap with ClrMD (process suspended while it walks): live managed bytes and objects by type;
#   - RSS after that GC: median over the last 12 s.
#   - at end-45 s the heap is also walked without a GC: heap bytes then minus live bytes = garbage not yet collected;
#     committed bytes per kind of GC region (gen0/gen1/gen2/large/pinned) are printed for both walks.
# Prints per N: RSS, RSS per charge point (all included), managed heap per charge point, and the marginal cost between
# the smallest and largest N (which removes the fixed cost of runtime, Akka and JIT). Top heap types of the largest N
# are printed with their count per charge point, to see where the bytes go.
# Goal: <= 15 KB per idle connected charge point, everything included; floor ~6 KB (own upgrade + CreateFromStream).
#
# Environment: DURATION (100s), SKIP_BUILD=1, KEEP_WORK=1, NO_HEAPSTAT=1 (skip the GC + heap walk).
source "$(dirname "$0")/lib/common.sh"
DURATION="${DURATION:-100s}"
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000)
bench_build
HEAPSTAT=""
if [[ "${NO_HEAPSTAT:-0}" != 1 ]]; then
    if dotnet build -c Release "$BENCH_DIR/heapstat" -v q -nologo -o "$WORK/heapstat" >"$WORK/heapstat-build.log" 2>&1; then
        HEAPSTAT="$WORK/heapstat/heapstat"
    else
        echo "# heapstat did not build (see below); managed heap not measured"; tail -5 "$WORK/heapstat-build.log"
    fi
fi
bench_header "idle-memory: ${SIZES[*]} idle charge points, $DURATION each, profile tests/benchmarks/idle-bench.yaml"
secs=${DURATION%s}
heap_hook() {   # FLEET_PID NAME: at end-45 s walk the heap as it is (garbage included); ~15 s later (end-30 s) force a GC and walk again
    [[ -n "$HEAPSTAT" ]] || return 0
    sleep $(( secs - 45 ))
    "$HEAPSTAT" "$1" 5 --no-gc >"$WORK/$2.heap-nogc" 2>&1 || true
    sleep 12
    "$HEAPSTAT" "$1" 40 >"$WORK/$2.heap" 2>&1 || true
}
export -f heap_hook 2>/dev/null || true
for n in "${SIZES[@]}"; do
    BENCH_HOOK=heap_hook bench_run "n$n" $(( secs + 120 )) -- run "$BENCH_DIR/idle-bench.yaml" --count "$n" --duration "$DURATION" --quiet --report "$WORK/n$n.json"
    [[ -s "$WORK/n$n.json" ]] || { echo "N=$n: no report (exit $(cat "$WORK/n$n.rc"))"; tail -20 "$WORK/n$n.out"; }
    sleep 5
done
python3 - "$WORK" "$secs" "${SIZES[@]}" <<'PY'
import csv, json, os, statistics, sys
from datetime import datetime
work, secs, sizes = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
res = {}
for n in sizes:
    rp = os.path.join(work, f"n{n}.json")
    if not os.path.exists(rp):
        continue
    rep = json.load(open(rp))
    end = datetime.fromisoformat(rep["end"]).timestamp()
    rows = [r for r in csv.DictReader(open(os.path.join(work, f"n{n}.csv")))]
    fleet = [(float(r["wall"]), int(r["rss_kb"]), int(r["threads"])) for r in rows if r["role"] == "fleet"]
    csms = [(float(r["wall"]), int(r["rss_kb"])) for r in rows if r["role"] == "csms"]
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    settled = med([r for w, r, t in fleet if end - 60 <= w <= end - 35])
    after_gc = med([r for w, r, t in fleet if end - 12 <= w <= end])
    heap = {}
    hp = os.path.join(work, f"n{n}.heap")
    types = []
    if os.path.exists(hp):
        for line in open(hp):
            parts = line.split(None, 2)
            if len(parts) == 2 and parts[0].startswith("heap_"):
                heap[parts[0]] = int(parts[1])
            elif len(parts) == 3 and parts[0].isdigit():
                types.append((int(parts[0]), int(parts[1]), parts[2].strip()))
    load = open(os.path.join(work, f"n{n}.load")).read().split()
    res[n] = dict(rep=rep, settled=settled, after_gc=after_gc, heap=heap, types=types, load=load,
                  csms=med([r for w, r in csms if end - 60 <= w <= end - 35]), threads=fleet[-1][2] if fleet else 0)
f = lambda v, fmt: "-" if v is None else fmt % v
print()
print("| N | booted | t_boot 100% (s) | fleet RSS settled (MiB) | RSS after full GC (MiB) | RSS/CP settled (KB) | RSS/CP after GC (KB) | managed heap live (MiB) | heap/CP (KB) | heap objects/CP | threads | CSMS RSS (MiB) | load avg before → after |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n, r in res.items():
    a = r["rep"]["storms"][0]["figures"] if r["rep"]["storms"] else {}
    hb = r["heap"].get("heap_object_bytes"); ho = r["heap"].get("heap_objects")
    print(f"| {n} | {r['rep']['connections']['bootedPeak']} | {f(a.get('time_to_100pct_booted_s'),'%.2f')} | {r['settled']/1024:.0f} | {r['after_gc']/1024:.0f} | "
          f"{r['settled']/n:.1f} | {r['after_gc']/n:.1f} | {f(hb and hb/2**20,'%.1f')} | {f(hb and hb/1024/n,'%.2f')} | {f(ho and ho/n,'%.0f')} | {r['threads']} | {r['csms']/1024:.0f} | {' '.join(r['load'][:3])} → {' '.join(r['load'][3:6])} |")
print()
for n, r in res.items():
    for tag in ("heap-nogc", "heap"):
        p = os.path.join(work, f"n{n}.{tag}")
        if os.path.exists(p):
            lines = [l.strip() for l in open(p) if l.startswith(("heap_", "segments"))]
            print(f"N={n} {'before' if tag == 'heap-nogc' else 'after'} the forced GC: " + "; ".join(lines))
if len(res) >= 2:
    lo, hi = min(res), max(res)
    d = hi - lo
    print()
    print(f"marginal cost per idle charge point between N={lo} and N={hi} (fixed runtime/Akka/JIT cost removed):")
    print(f"  RSS settled      {(res[hi]['settled']-res[lo]['settled'])/d:.1f} KB")
    print(f"  RSS after GC     {(res[hi]['after_gc']-res[lo]['after_gc'])/d:.1f} KB")
    hh, hl = res[hi]["heap"].get("heap_object_bytes"), res[lo]["heap"].get("heap_object_bytes")
    if hh and hl:
        print(f"  managed heap     {(hh-hl)/1024/d:.2f} KB   ({(res[hi]['heap']['heap_objects']-res[lo]['heap']['heap_objects'])/d:.0f} objects)")
    print("  goal <= 15 KB everything included; floor ~6 KB RSS (3.4 KB managed) for the socket + WebSocket alone")
    if res[hi]["types"]:
        print()
        print(f"largest heap types at N={hi} after a full GC (per charge point = count / N):")
        print("| type | count | per CP | bytes | bytes per CP |")
        print("|---|---|---|---|---|")
        for c, b, t in res[hi]["types"][:30]:
            print(f"| `{t[:110]}` | {c} | {c/hi:.2f} | {b} | {b/hi:.0f} |")
PY
if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "work files: $WORK"; fi
