#!/usr/bin/env python3
"""Turn a fleetsim JSON report plus procsample.py samples into benchmark figures.

usage: summarize.py fleet   REPORT.json SAMPLES.csv N [STEADY_S]   -> one JSON object of figures
       summarize.py idle    REPORT.json SAMPLES.csv N SETTLED_S     -> idem
       summarize.py storm   REPORT.json SAMPLES.csv                -> idem
"""
import csv, json, statistics, sys
from datetime import datetime


def load(report_path, samples_path):
    with open(report_path) as f:
        report = json.load(f)
    rows = {"fleet": [], "csms": []}
    with open(samples_path) as f:
        for r in csv.DictReader(f):
            rows[r["role"]].append((float(r["wall"]), float(r["cpu_s"]), int(r["rss_kb"]), int(r["threads"])))
    return report, rows


def ts(text):
    return datetime.fromisoformat(text).timestamp()


def at(rows, t):
    """The sample nearest to wall time t."""
    return min(rows, key=lambda r: abs(r[0] - t)) if rows else None


def window(rows, t0, t1):
    return [r for r in rows if t0 <= r[0] <= t1]


def cpu_between(rows, t0, t1):
    a, b = at(rows, t0), at(rows, t1)
    if not a or not b or b[0] <= a[0]:
        return None, None
    return b[1] - a[1], b[0] - a[0]


def messages(report):
    # every call is two OCPP messages (CALL and CALLRESULT/CALLERROR) seen by the fleet; a timed-out call is one
    t = report["totals"]
    return 2 * t["count"] - t["timeouts"]


def fleet(report, rows, n, steady_s=60.0):
    start, end = ts(report["start"]), ts(report["end"])
    arrival = report["storms"][0]["figures"] if report["storms"] else {}
    msgs = messages(report)
    cpu, wall = cpu_between(rows["fleet"], start, end)
    steady = window(rows["fleet"], end - steady_s, end)
    csms_cpu, csms_wall = cpu_between(rows["csms"], start, end)
    csms_steady = window(rows["csms"], end - steady_s, end)
    s_cpu, s_wall = cpu_between(rows["fleet"], end - steady_s, end)
    rss_kb = statistics.median(r[2] for r in steady) if steady else None
    return {
        "n": n,
        "booted": report["connections"]["bootedPeak"],
        "t_connected_100_s": arrival.get("time_to_100pct_connected_s"),
        "t_booted_100_s": arrival.get("time_to_100pct_booted_s"),
        "t_booted_99_s": arrival.get("time_to_99pct_booted_s"),
        "boot_p99_ms": next((a["latency"]["p99Ms"] for a in report["actions"] if a["action"] == "BootNotification"), None),
        "rss_mib": rss_kb / 1024 if rss_kb else None,
        "rss_kb_per_cp": rss_kb / n if rss_kb else None,
        "peak_rss_mib": max(r[2] for r in rows["fleet"]) / 1024,
        "cpu_s": cpu,
        "cpu_s_per_1k_msgs": cpu / msgs * 1000 if cpu and msgs else None,
        "steady_cpu_pct": 100 * s_cpu / s_wall if s_wall else None,
        "messages": msgs,
        "msgs_per_s": msgs / report["durationSeconds"],
        "p99_ms": report["totals"]["latency"]["p99Ms"],
        "p50_ms": report["totals"]["latency"]["p50Ms"],
        "errors": report["totals"]["errors"],
        "timeouts": report["totals"]["timeouts"],
        "lost": (report.get("lossCheck") or {}).get("lost"),
        "csms_cpu_pct": 100 * csms_cpu / csms_wall if csms_wall else None,
        "csms_rss_mib": statistics.median(r[2] for r in csms_steady) / 1024 if csms_steady else None,
        "fleet_threads": max(r[3] for r in rows["fleet"]),
        "sched_lag_p99_ms": report["schedulerLag"]["p99Ms"],
    }


def idle(report, rows, n, settled_s):
    end = ts(report["end"])
    settled = window(rows["fleet"], end - settled_s, end)
    csms_settled = window(rows["csms"], end - settled_s, end)
    arrival = report["storms"][0]["figures"] if report["storms"] else {}
    rss_kb = statistics.median(r[2] for r in settled)
    return {
        "n": n,
        "booted": report["connections"]["bootedPeak"],
        "t_booted_100_s": arrival.get("time_to_100pct_booted_s"),
        "rss_mib": rss_kb / 1024,
        "rss_min_mib": min(r[2] for r in settled) / 1024,
        "peak_rss_mib": max(r[2] for r in rows["fleet"]) / 1024,
        "csms_rss_mib": statistics.median(r[2] for r in csms_settled) / 1024 if csms_settled else None,
        "threads": settled[-1][3],
    }


def storm(report, rows):
    out = {"lost": (report.get("lossCheck") or {}).get("lost"), "produced": (report.get("lossCheck") or {}).get("produced"),
           "attempts": report["connections"]["attemptsByResult"], "errors": report["totals"]["errors"],
           "timeouts": report["totals"]["timeouts"], "booted_peak": report["connections"]["bootedPeak"]}
    for s in report["storms"]:
        out[s["name"]] = s["figures"]
    out["peak_rss_mib"] = max(r[2] for r in rows["fleet"]) / 1024
    start, end = ts(report["start"]), ts(report["end"])
    cpu, wall = cpu_between(rows["fleet"], start, end)
    out["fleet_cpu_pct"] = 100 * cpu / wall if wall else None
    c, w = cpu_between(rows["csms"], start, end)
    out["csms_cpu_pct"] = 100 * c / w if w else None
    return out


if __name__ == "__main__":
    kind, report_path, samples_path = sys.argv[1:4]
    report, rows = load(report_path, samples_path)
    rest = sys.argv[4:]
    if kind == "fleet":
        res = fleet(report, rows, int(rest[0]), float(rest[1]) if len(rest) > 1 else 60.0)
    elif kind == "idle":
        res = idle(report, rows, int(rest[0]), float(rest[1]))
    else:
        res = storm(report, rows)
    print(json.dumps(res))
