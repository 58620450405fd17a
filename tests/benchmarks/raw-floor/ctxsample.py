#!/usr/bin/env python3
"""Sample a process's context switches, all threads together, once a second, until the process ends (a BENCH_HOOK of
tests/benchmarks/raw-floor.sh).

usage: ctxsample.py PID NAME   (writes $CTX_DIR/NAME.ctx.csv; CTX_DIR defaults to the current directory)
CSV columns: wall (unix s), voluntary, nonvoluntary: sums over every thread the process has had; utime_s, stime_s: the
process's user and kernel CPU seconds (/proc/PID/stat), for the kernel's share of the CPU. /proc/PID/status counts
the main thread only, so each thread's /proc/PID/task/TID/status is read and its last value kept after it ends (a thread
that ends loses at most its last second).
"""
import os, sys, time


def read(pid, tid):
    vol = nonvol = 0
    with open(f"/proc/{pid}/task/{tid}/status") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                vol = int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                nonvol = int(line.split()[1])
    return vol, nonvol


def cpu_split(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def main():
    pid, name = int(sys.argv[1]), sys.argv[2]
    out = os.path.join(os.environ.get("CTX_DIR", "."), f"{name}.ctx.csv")
    last = {}
    with open(out, "w") as f:
        f.write("wall,voluntary,nonvoluntary,utime_s,stime_s\n")
        next_at = time.time()
        while True:
            try:
                tids = os.listdir(f"/proc/{pid}/task")
            except OSError:
                break
            try:
                user, system = cpu_split(pid)
            except OSError:
                break
            for tid in tids:
                try:
                    last[tid] = read(pid, tid)
                except OSError:
                    pass
            f.write(f"{time.time():.3f},{sum(v for v, _ in last.values())},{sum(n for _, n in last.values())},{user:.2f},{system:.2f}\n")
            f.flush()
            next_at += 1.0
            time.sleep(max(0.0, next_at - time.time()))


if __name__ == "__main__":
    main()
