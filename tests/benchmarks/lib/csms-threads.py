#!/usr/bin/env python3
"""csms-threads.py FLEET_PID NAME [START_S] [SECONDS]: a BENCH_HOOK (lib/common.sh) for peer-mix.sh CSMS=embedded.

Finds the `fleetsim csms` process that the benchmark script started beside the fleet (a child of this hook's parent, the
script), waits START_S (25) seconds, then prints per thread name (threads of one name summed) its CPU and its context
switches per second over SECONDS (30): voluntary = the thread waited and was woken (its wake-ups), involuntary = it was
preempted. Reads /proc only.
"""
import os, sys, time

TICK = os.sysconf("SC_CLK_TCK")


def csms_pid(parent):
    for tid in os.listdir(f"/proc/{parent}/task"):
        try:
            kids = open(f"/proc/{parent}/task/{tid}/children").read().split()
        except OSError:
            continue
        for kid in kids:
            try:
                if b"\0csms\0" in open(f"/proc/{kid}/cmdline", "rb").read():
                    return int(kid)
            except OSError:
                pass
    return None


def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / TICK
            vol = invol = 0
            for line in open(f"/proc/{pid}/task/{tid}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    vol = int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches"):
                    invol = int(line.split()[1])
            out[tid] = (name, cpu, vol, invol)
        except (OSError, ValueError):
            pass
    return out


def main():
    start = float(sys.argv[3]) if len(sys.argv) > 3 else 25.0
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
    pid = None
    for _ in range(100):
        pid = csms_pid(os.getppid())
        if pid:
            break
        time.sleep(0.1)
    if not pid:
        print(f"csms-threads ({sys.argv[2]}): no fleetsim csms beside the fleet")
        return
    time.sleep(start)
    a, t0 = threads(pid), time.time()
    time.sleep(seconds)
    b, t1 = threads(pid), time.time()
    wall = t1 - t0
    groups = {}
    for tid, (name, cpu, vol, invol) in b.items():
        _, cpu0, vol0, invol0 = a.get(tid, (name, 0.0, 0, 0))
        g = groups.setdefault(name, [0, 0.0, 0, 0])
        g[0] += 1
        g[1] += cpu - cpu0
        g[2] += vol - vol0
        g[3] += invol - invol0
    total = [sum(g[i] for g in groups.values()) for i in range(4)]
    print(f"csms-threads ({sys.argv[2]}, pid {pid}, {wall:.0f} s from +{start:.0f} s): {total[0]} threads, CPU {100 * total[1] / wall:.1f} % of a core, "
          f"wake-ups {total[2] / wall:.0f}/s, preempted {total[3] / wall:.0f}/s")
    for name, (n, cpu, vol, invol) in sorted(groups.items(), key=lambda kv: -kv[1][1]):
        if cpu > 0 or vol > 0:
            print(f"  {name} x{n}: CPU {100 * cpu / wall:.1f} %, wake-ups {vol / wall:.0f}/s, preempted {invol / wall:.0f}/s")


if __name__ == "__main__":
    main()
