"""Batch throughput: athletes planned per minute with 1 and with 2 worker processes.

Run from the repository root::

    python -m benchmarks.batch_throughput                 # 200 athletes, 26 weeks, 2 s each
    python -m benchmarks.batch_throughput --count 20      # a quick look

The athletes are drawn with the benchmark generator (``benchmarks.generate.draw``: 26 weeks,
0-3 races, levels and availability patterns rotating), one seed each, written as athlete
files to a temporary folder and planned with ``periodize.batch.run.run_batch`` exactly as
``periodize batch FOLDER --jobs N --time-limit T`` does (plans validated in the workers,
written atomically). The time limit is deterministic work, so both runs do the same work per
athlete and the ratio measures the parallelism alone. Each run reports wall time, athletes
per minute, statuses, validator violations (must be 0) and the load average around it, since
other processes on the machine share its cores. Results: ``benchmarks/results/batch_throughput.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from benchmarks.report import write_results

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 26
SEED_BASE = 6000


def athletes(count: int) -> list[dict[str, Any]]:
    from benchmarks.generate import draw

    drawn = []
    for index in range(count):
        data = draw(WEEKS, index % 4, 0, SEED_BASE + index)
        data["name"] = f"Athlete {index:03d} ({data['level']})"
        drawn.append(data)
    return drawn


def run(folder: Path, jobs: int, time_limit: float, relative_gap: float = 0.0) -> dict[str, Any]:
    from periodize.batch.roster import read_group
    from periodize.batch.run import run_batch

    entries = read_group(folder).entries
    with tempfile.TemporaryDirectory() as out:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results = run_batch(entries, time_limit=time_limit, relative_gap=relative_gap, jobs=jobs, out=Path(out))
        wall = time.perf_counter() - started
        load_after = os.getloadavg()[0]
    statuses = Counter(result.status for result in results)
    return {
        "jobs": jobs,
        "athletes": len(results),
        "wall_seconds": round(wall, 2),
        "athletes_per_minute": round(60 * len(results) / wall, 2),
        "statuses": dict(sorted(statuses.items())),
        "violations": sum(result.violations or 0 for result in results),
        "mean_athlete_seconds": round(sum(r.solve_seconds or 0 for r in results) / max(len(results), 1), 3),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_after, 2),
        # Each athlete's outcome, in roster order: what changed between two runs, not just how
        # many (two solver versions can trade athletes at the same totals).
        "by_athlete": [{"key": r.key, "status": r.status, "objective": r.objective, "bound": r.bound}
                       for r in results],
    }


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Batch throughput ({report['count']} athletes, {WEEKS} weeks, time limit {report['time_limit']:g} s each"
        f"{', --gap ' + format(report['gap_percent'], 'g') if report.get('gap_percent') else ''})",
        "",
        f"Measured {report['measured']} on {report['cores']} cores, commit {report['commit']}.",
        "",
        "| processes | wall s | athletes/min | statuses | violations | mean s per athlete | load avg before / after |",
        "|--:|--:|--:|---|--:|--:|---|",
    ]
    for row in report["runs"]:
        statuses = ", ".join(f"{k} {v}" for k, v in row["statuses"].items())
        lines.append(f"| {row['jobs']} | {row['wall_seconds']} | {row['athletes_per_minute']} | {statuses} | "
                     f"{row['violations']} | {row['mean_athlete_seconds']} | "
                     f"{row['load_average_before']} / {row['load_average_after']} |")
    speed_up = ("not measured (run with --jobs 1,2)" if report["ratio"] is None
                else f"**{report['ratio']}x** (target at least 1.8x)")
    lines += ["", f"Speed-up 2 processes / 1 process: {speed_up}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="athletes (default 200)")
    parser.add_argument("--time-limit", type=float, default=2.0, help="per athlete, seconds (default 2)")
    parser.add_argument("--jobs", default="1,2", help="process counts to compare (default 1,2)")
    parser.add_argument("--gap", type=float, default=0.0, metavar="PERCENT",
                        help="periodize batch's --gap: stop each athlete at a plan proven within it (default 0)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/results alone")
    args = parser.parse_args(argv)
    job_counts = [int(part) for part in args.jobs.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for index, data in enumerate(athletes(args.count)):
            (folder / f"athlete-{index:03d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        runs = []
        for jobs in job_counts:
            print(f"{args.count} athletes, {jobs} process{'es' if jobs > 1 else ''} ...", file=sys.stderr, flush=True)
            runs.append(run(folder, jobs, args.time_limit, args.gap / 100))
            print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    by_jobs = {row["jobs"]: row for row in runs}
    ratio = round(by_jobs[2]["athletes_per_minute"] / by_jobs[1]["athletes_per_minute"], 2) if {1, 2} <= set(by_jobs) else None
    report = {
        "benchmark": "batch_throughput", "count": args.count, "weeks": WEEKS, "time_limit": args.time_limit,
        "gap_percent": args.gap,
        "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cores": os.cpu_count(),
        "python": platform.python_version(), "commit": commit(), "runs": runs, "ratio": ratio,
    }
    if args.no_write:
        print(markdown(report))
    else:
        write_results("batch_throughput", report, markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
