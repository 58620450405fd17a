#!/usr/bin/env python3
"""attribution.py TRACE.csv STAMPS.csv [--action MeterValues] [--skip 20] [--tail 10]

Splits each charge-point CALL's reported round trip into the simulator's and the CSMS's shares, joining FleetSim's call
trace (FLEETSIM_CALL_TRACE, src/Simulator.Metrics/CallTrace.cs) with the CSMS's stamps (counting-csms.js --stamps, or
`fleetsim csms --stamps`, the same format) on (charge point, unique id). Both stamp CLOCK_MONOTONIC in ns, so no clock offset is needed on one machine.
Only calls sent after the first SKIP seconds of the trace and before its last TAIL seconds count (boot burst, stop).

Segments (ms, p50 / p90 / p99 / p99.9 / max):
  reported            sent -> received: what FleetSim's report measures (latency clock start and stop)
  CSMS hold           CSMS in -> CSMS out (the CSMS's own time, including a --hold-ms)
  FleetSim share      reported - CSMS hold
    send path         sent -> written (encode done, send queue, socket write)
    net + CSMS recv   written -> CSMS in (kernel, loopback, the CSMS's event loop until it read the frame)
    CSMS send -> recv CSMS out -> received (loopback, FleetSim's receive loop on the thread pool)
  and after the latency clock stopped (not in the reported figure):
    mailbox           received -> dispatched (the answer waits in the actor's mailbox)
    parse + match     dispatched -> answered
  sent -> answered    where the report's latency stopped before 0a8652d (for comparison with older results)
  and for calls a due-time timer sent: due -> fired (the timer thread), fired -> turn (mailbox), turn -> sent (model,
  encode), i.e. the timer lag, which comes before the latency clock starts.
Then the same segments' means over the calls above the reported p99 (where the tail comes from), with --above MS the share
of calls whose reported round trip is longer than MS (a target's bound), and the GC pauses.
"""
import argparse
import csv
import statistics
import sys


def pct(values, p):
    if not values:
        return None
    i = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[i]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("stamps")
    ap.add_argument("--action", default="MeterValues")
    ap.add_argument("--skip", type=float, default=20.0, help="seconds from the trace's first call to leave out")
    ap.add_argument("--tail", type=float, default=10.0, help="seconds before the trace's last call to leave out")
    ap.add_argument("--above", type=float, default=None, help="print the share of calls whose reported round trip is longer (ms)")
    a = ap.parse_args()

    csms, csms_pauses, csms_totals, csms_in, csms_allocs = {}, [], [], [], []
    with open(a.stamps) as f:
        for row in csv.reader(f):
            if row and row[0] == "gc" and len(row) == 6:
                # `fleetsim csms --stamps`: index, generation (-1: a suspension that was no GC), paused ns, resumed ns, promoted bytes
                csms_pauses.append((int(row[1]), int(row[2]), int(row[3]), int(row[4]), int(row[5])))
                continue
            if row and row[0] == "gc_alloc" and len(row) == 5:
                # type, kind (0 small, 1 large, 2 pinned), bytes, at ns: the runtime's allocation tick
                csms_allocs.append((row[1], int(row[3]), int(row[4])))
                continue
            if row and row[0] == "gc_total" and len(row) == 7:
                # gen0, gen1, gen2 counts, total pause ns, at ns, allocated bytes
                csms_totals.append(tuple(int(v) for v in row[1:]))
                continue
            if len(row) != 4:
                continue
            if row[0] == "in":
                csms_in.append(int(row[3]))
            key = (row[1], row[2])
            entry = csms.setdefault(key, [None, None])
            entry[0 if row[0] == "in" else 1] = int(row[3])

    calls, gcs, gc_totals, all_sent, allocs, phases = [], [], [], [], [], []
    with open(a.trace) as f:
        r = csv.reader(f)
        next(r, None)
        for row in r:
            if row[0] == "call":
                all_sent.append(int(row[8]))
                if row[3] == a.action:
                    calls.append((row[1], row[2], [int(v) if v else 0 for v in row[4:13]]))
            elif row[0] == "gc":
                # index, generation, promoted bytes, pause ms, sampled at ns, gen0 bytes before
                gcs.append((int(row[1]), int(row[2]), int(row[3] or 0), int(row[4]) / 1e6, int(row[5]), int(row[6] or 0)))
            elif row[0] == "gcphase":
                phases.append((row[1], int(row[2]), int(row[4]), int(row[5])))
            elif row[0] == "alloc":
                allocs.append((row[1], int(row[4]), int(row[5])))
            elif row[0] == "gc_total":
                # gen0, gen1, gen2 counts, total pause ms, at ns, allocated bytes
                gc_totals.append((int(row[1]), int(row[2]), int(row[3]), int(row[4]) / 1e6, int(row[5]), int(row[6] or 0) if len(row) > 6 else 0))
    if not calls:
        print(f"attribution: no {a.action} calls in the trace")
        return
    first = min(c[2][4] for c in calls)
    last = max(c[2][4] for c in calls)
    lo, hi = first + a.skip * 1e9, last - a.tail * 1e9

    names = ["reported", "CSMS hold", "FleetSim share", "  send path (sent -> written)", "  net + CSMS recv (written -> CSMS in)",
             "  CSMS send -> FleetSim recv", "after the stop: mailbox (received -> dispatched)", "after the stop: parse + match (dispatched -> answered)",
             "sent -> answered (the actor's match: the report's stop before 0a8652d)",
             "timer: due -> fired (timer thread)", "timer: fired -> turn (mailbox)", "timer: turn -> sent (model, encode)",
             "timer lag (due -> turn)"]
    seg = {n: [] for n in names}
    rows = []
    joined = unmatched = 0
    for cp, uid, t in calls:
        due, fired, turn, enq, sent, written, received, dispatched, answered = t
        if not lo <= sent <= hi:
            continue
        c = csms.get((cp, uid))
        if c is None or c[0] is None or c[1] is None or not written:
            unmatched += 1
            continue
        joined += 1
        cin, cout = c
        v = {
            "reported": received - sent,
            "CSMS hold": cout - cin,
            "FleetSim share": (received - sent) - (cout - cin),
            "  send path (sent -> written)": written - sent,
            "  net + CSMS recv (written -> CSMS in)": cin - written,
            "  CSMS send -> FleetSim recv": received - cout,
            "after the stop: mailbox (received -> dispatched)": dispatched - received,
            "after the stop: parse + match (dispatched -> answered)": answered - dispatched,
            "sent -> answered (the actor's match: the report's stop before 0a8652d)": answered - sent,
        }
        v["_sent"], v["_received"], v["_due"], v["_fired"], v["_in"] = sent, received, due, fired, cin
        if due and fired and turn:
            v["timer: due -> fired (timer thread)"] = fired - due
            v["timer: fired -> turn (mailbox)"] = turn - fired
            v["timer: turn -> sent (model, encode)"] = sent - turn
            v["timer lag (due -> turn)"] = turn - due
        for k, x in v.items():
            if not k.startswith("_"):
                seg[k].append(x / 1e6)
        rows.append(v)

    window = (hi - lo) / 1e9
    print(f"attribution: {a.action}, {joined} calls joined over {window:.0f} s ({joined / window if window > 0 else 0:.0f}/s; "
          f"{unmatched} without a CSMS stamp or write stamp), sent between +{a.skip:.0f} s and -{a.tail:.0f} s of the trace")
    print()
    print("| segment | p50 (ms) | p90 | p99 | p99.9 | max | mean |")
    print("|---|---|---|---|---|---|---|")
    for n in names:
        xs = sorted(seg[n])
        if not xs:
            continue
        fmt = lambda x: "-" if x is None else f"{x:.2f}"
        print(f"| {n} | {fmt(pct(xs, 50))} | {fmt(pct(xs, 90))} | {fmt(pct(xs, 99))} | {fmt(pct(xs, 99.9))} | {fmt(xs[-1])} | {sum(xs) / len(xs):.2f} |")

    reported = sorted(seg["reported"])
    p99 = pct(reported, 99)
    tail = [v for v in rows if v["reported"] / 1e6 > p99]
    if tail:
        print()
        print(f"tail: the {len(tail)} calls above the reported p99 ({p99:.2f} ms), mean of each segment (ms):")
        parts = []
        for n in names[1:6]:
            parts.append(f"{n.strip()} {sum(v[n] for v in tail) / len(tail) / 1e6:.2f}")
        print("  " + "; ".join(parts))
    if a.above is not None and reported:
        over = sum(1 for x in reported if x > a.above)
        print(f"calls whose reported round trip is longer than {a.above:.2f} ms: {over} of {len(reported)} ({100 * over / len(reported):.2f} %)")

    # GC overlap: a sampled GC's pause lies within [sampled at - 20 ms (the sampling period) - pause, sampled at].
    pauses = sorted((x[4] - 20_000_000 - int(x[3] * 1e6), x[4]) for x in gcs)
    def overlaps(start, end):
        return any(s0 < end and e0 > start for s0, e0 in pauses)
    if pauses and tail:
        hit = sum(1 for v in tail if overlaps(v["_sent"], v["_received"]))
        timer = sorted(seg["timer: due -> fired (timer thread)"])
        base = sum(1 for v in rows if overlaps(v["_sent"], v["_received"]))
        line = (f"calls above the reported p99 whose round trip overlaps a sampled GC pause: {100 * hit / len(tail):.0f} % "
                f"(all calls: {100 * base / len(rows):.0f} %)")
        if timer:
            t99 = pct(timer, 99)
            late = [v for v in rows if "timer: due -> fired (timer thread)" in v and v["timer: due -> fired (timer thread)"] / 1e6 > t99]
            if late:
                line += (f"; timers fired later than the p99 ({t99:.2f} ms) whose wait overlaps one: "
                         f"{100 * sum(1 for v in late if overlaps(v['_due'], v['_fired'])) / len(late):.0f} %")
        print(line)

    inside = [g for g in gc_totals if lo <= g[4] <= hi]
    if len(inside) > 1:
        g, h = inside[0], inside[-1]
        secs = (h[4] - g[4]) / 1e9
        sent = sum(1 for t in all_sent if g[4] <= t <= h[4])
        print()
        print(f"gc in the window ({secs:.0f} s): gen0 {(h[0] - g[0]) / secs:.2f}/s, gen1 {(h[1] - g[1]) / secs:.2f}/s, gen2 {h[2] - g[2]} in all; "
              f"paused {(h[3] - g[3]) / secs:.1f} ms per second"
              + (f"; allocated {(h[5] - g[5]) / secs / 1e6:.1f} MB/s" if h[5] else "")
              + (f" = {(h[5] - g[5]) / sent / 1000:.2f} KB per CALL sent ({sent / secs:.0f}/s, all actions)" if sent and h[5] else ""))
        sampled = [x for x in gcs if lo <= x[4] <= hi]
        for gen in sorted({x[1] for x in sampled}):
            xs = [x for x in sampled if x[1] == gen]
            pauses = sorted(x[3] for x in xs)
            print(f"  gen{gen}: {len(xs)} sampled, pause p50 {pct(pauses, 50):.2f} ms, max {pauses[-1]:.2f} ms; promoted p50 "
                  f"{pct(sorted(x[2] for x in xs), 50) / 1e6:.2f} MB; gen0 before p50 {pct(sorted(x[5] for x in xs), 50) / 1e6:.1f} MB")

    # The runtime's GC events (own clock: differences only): per GC, the time marking through each root kind and the time
    # after marking (plan, relocate, compact). Boot GCs are left out by skipping the first third.
    per_gc, cur = [], None
    for name, kind, nbytes, at in phases:
        if name.startswith("GCStart"):
            cur = {"gen": kind, "start": at, "last": at, "marks": {}}
        elif name.startswith("GCMarkWithType") and cur is not None:
            ms, mb = cur["marks"].get(kind, (0.0, 0.0))
            cur["marks"][kind] = (ms + (at - cur["last"]) / 1e6, mb + nbytes / 1e6)
            cur["last"] = at
        elif name.startswith("GCEnd") and cur is not None:
            cur["total"], cur["after"] = (at - cur["start"]) / 1e6, (at - cur["last"]) / 1e6
            per_gc.append(cur)
            cur = None
    steady = per_gc[len(per_gc) // 3:]
    kinds = {0: "stacks", 1: "finalizer queue", 2: "handles", 3: "older generations (cards)"}
    for gen in sorted({g["gen"] for g in steady}):
        gs = [g for g in steady if g["gen"] == gen]
        med = lambda xs: statistics.median(xs) if xs else 0.0
        parts = [f"{kinds[k]} {med([g['marks'].get(k, (0, 0))[0] for g in gs]):.1f} ms / {med([g['marks'].get(k, (0, 0))[1] for g in gs]):.2f} MB"
                 for k in kinds]
        print(f"  gen{gen} phases, median of {len(gs)} (runtime events, steady part): total {med([g['total'] for g in gs]):.1f} ms; "
              f"marking through {'; '.join(parts)} (time / bytes promoted through them); after marking (plan, relocate, compact) "
              f"{med([g['after'] for g in gs]):.1f} ms")

    if csms_pauses or csms_totals:
        csms_process(rows, csms_pauses, csms_totals, sorted(csms_in), csms_allocs, lo, hi)

    print_allocations_by_type(allocs, lo, hi, lambda total: f"allocations by type (runtime allocation ticks, {total / 1e6 / window:.1f} MB/s sampled)")


def print_allocations_by_type(allocs, lo, hi, heading):
    """The allocation ticks (type, bytes, time) within [lo, hi], as each type's share of the bytes, the 12 largest; heading(total bytes) leads the line."""
    ticks = [x for x in allocs if lo <= x[2] <= hi]
    if not ticks:
        return
    by_type = {}
    for t, b, _ in ticks:
        by_type[t] = by_type.get(t, 0) + b
    total = sum(by_type.values())
    print(f"{heading(total)}: "
          + "; ".join(f"{t} {100 * b / total:.0f} %" for t, b in sorted(by_type.items(), key=lambda kv: -kv[1])[:12]))


def csms_process(rows, pauses, totals, arrivals, allocs, lo, hi):
    """The embedded CSMS's own pauses (its stamps file's gc rows) and whether its late answers fall in them."""
    import bisect
    print()
    inside = [t for t in totals if lo <= t[4] <= hi]
    line = "CSMS process"
    if len(inside) > 1:
        g, h = inside[0], inside[-1]
        secs = (h[4] - g[4]) / 1e9
        calls = bisect.bisect_right(arrivals, h[4]) - bisect.bisect_left(arrivals, g[4])
        line += (f" in the window ({secs:.0f} s): gen0 {h[0] - g[0]}, gen1 {h[1] - g[1]}, gen2 {h[2] - g[2]} collections; "
                 f"paused {(h[3] - g[3]) / 1e6 / secs:.1f} ms per second; allocated {(h[5] - g[5]) / secs / 1e6:.2f} MB/s"
                 + (f" = {(h[5] - g[5]) / calls:.0f} B per CALL received ({calls / secs:.0f}/s, all actions)" if calls else ""))
    print(line)
    print_allocations_by_type(allocs, lo, hi, lambda _: "  allocations by type (runtime allocation ticks)")
    window = [p for p in pauses if lo <= p[2] <= hi]
    for gen in sorted({p[1] for p in window}):
        xs = [p for p in window if p[1] == gen]
        ms = sorted((p[3] - p[2]) / 1e6 for p in xs)
        what = f"gen{gen}" if gen >= 0 else "other suspensions"
        print(f"  {what}: {len(xs)}, pause p50 {pct(ms, 50):.2f} ms, max {ms[-1]:.2f} ms"
              + (f"; promoted p50 {pct(sorted(p[4] for p in xs), 50) / 1e6:.2f} MB" if gen >= 0 else ""))
    if not rows or not window:
        return
    # A held answer is late from its due time (its arrival + the hold: the shortest hold seen) to its out stamp.
    holds = sorted(v["CSMS hold"] for v in rows)
    nominal = holds[0]
    spans = sorted((p[2], p[3]) for p in window)
    starts = [s for s, _ in spans]
    def overlaps(start, end):
        i = bisect.bisect_left(starts, end)
        return any(spans[j][1] > start for j in range(max(0, i - 8), i))
    for q in (99, 99.9):
        limit = pct(holds, q)
        late = [v for v in rows if v["CSMS hold"] > limit]
        if late:
            hit = sum(1 for v in late if overlaps(v["_in"] + nominal, v["_in"] + v["CSMS hold"]))
            print(f"  CSMS answers held longer than its hold p{q:g} ({limit / 1e6:.2f} ms): {len(late)}, of which {100 * hit / len(late):.0f} % "
                  f"waited past their due time during a CSMS pause (late by {statistics.mean((v['CSMS hold'] - nominal) / 1e6 for v in late):.2f} ms on average)")


if __name__ == "__main__":
    sys.exit(main())
