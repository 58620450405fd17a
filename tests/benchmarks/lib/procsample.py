#!/usr/bin/env python3
"""Sample CPU time and RSS of a process and its `fleetsim csms` child once a second, until the process ends.

usage: procsample.py PID OUT.csv [INTERVAL_S]
CSV columns: wall (unix s), role (fleet|csms), pid, cpu_s (utime+stime from /proc/PID/stat), rss_kb (VmRSS), threads.
/proc/stat is wrong on this VM; /proc/PID/stat is right (see /work/shared/PERFORMANCE-NOTES.md).
"""
import os, sys, time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime is field 14, stime field 15 -> indexes 11, 12
    return (int(fields[11]) + int(fields[12])) / TICK


def status(pid):
    rss = threads = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads


def children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def is_csms(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"\0csms\0" in f.read()
    except OSError:
        return False


def main():
    pid, out = int(sys.argv[1]), sys.argv[2]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    csms_pid = None
    with open(out, "w") as f:
        f.write("wall,role,pid,cpu_s,rss_kb,threads\n")
        next_at = time.time()
        while True:
            now = time.time()
            try:
                line = (now, "fleet", pid, cpu_seconds(pid)) + status(pid)
            except (OSError, IndexError, ValueError):
                break  # the fleet ended
            f.write("%.3f,%s,%d,%.2f,%d,%d\n" % line)
            if csms_pid is None:
                csms_pid = next((k for k in children(pid) if is_csms(k)), None)
            if csms_pid is not None:
                try:
                    f.write("%.3f,%s,%d,%.2f,%d,%d\n" % ((now, "csms", csms_pid, cpu_seconds(csms_pid)) + status(csms_pid)))
                except (OSError, IndexError, ValueError):
                    csms_pid = -1
            f.flush()
            next_at += interval
            time.sleep(max(0.0, next_at - time.time()))


if __name__ == "__main__":
    main()
