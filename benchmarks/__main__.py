"""Benchmark the season solver: ``python -m benchmarks``.

Run from the repository root::

    python -m benchmarks                          # every generated instance, 3 runs, limit 15
    python -m benchmarks --sizes 8 12 --repeat 5  # only the 8- and 12-week seasons
    python -m benchmarks --only w26-r1 w52-r4     # the two target instances
    python -m benchmarks --examples               # add examples/*.yaml (as example-<stem>)
    python -m benchmarks --quick                  # CI: 5 small instances, once each, < 30 s

Instances are the athlete files in ``benchmarks/instances/`` (written by
``python -m benchmarks.generate``; rerun one alone with ``periodize solve
benchmarks/instances/<name>.yaml``). Each is solved ``--repeat`` times with one worker and a
fixed seed (runner.py says what is timed and why in this process). A fixed calibration workload
(calibration.py) is timed before and after the instances, and every instance's median plan time
is also given as a ratio to it, so that figures from different machines compare.

Results: ``benchmarks/results/<stem>.json`` and ``.md`` (``--out``; default ``latest``, or
``quick`` in quick mode), written atomically. The exit status is 1 when a solve raised or a
returned plan failed ``validate_plan``, else 0: never because of timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import calibration, report, runner

RESULTS = runner.ROOT / "benchmarks" / "results"


def benchmark(paths: list[Path], *, repeat: int, time_limit: float, seed: int = 0, search: str | None = None,
              calibration_runs: int = 5, progress: bool = True) -> dict[str, Any]:
    """Calibrate, run every instance, calibrate again: the report as a JSON-ready dict."""
    started = time.perf_counter()
    info = report.machine()
    runner.warm_up(seed)
    before = calibration.measure(calibration_runs)
    runs = []
    for path in paths:
        result = runner.run_instance(path, repeat=repeat, time_limit=time_limit, seed=seed, search=search)
        runs.append(result)
        if progress:
            row = result.summary(None)
            print(f"{row['instance']:>24} {row['weeks']:3}w {row['races']}r  build {report._s(row['build_median'])}"
                  f"  solve {report._s(row['solve_median'])} (p95 {report._s(row['solve_p95'])})"
                  f"  validate {report._s(row['validate_median'])}  {report._status(row)}", file=sys.stderr, flush=True)
    after = calibration.measure(calibration_runs)
    if before.objective != after.objective:
        raise RuntimeError("the calibration workload gave two different optima")
    reference = statistics.median(before.seconds + after.seconds)
    rows = [result.summary(reference) for result in runs]
    meta = {
        "machine": info, "repeat": repeat, "time_limit": time_limit, "seed": seed, "search": search or "default",
        "workers": 1, "deterministic_time_limit": time_limit * 0.25,
        "calibration": {"workload": "job shop 8x6, CP-SAT, 1 worker, seed 0, to optimality",
                        "makespan": before.objective, "median": round(reference, 4),
                        "before": [round(x, 4) for x in before.seconds], "after": [round(x, 4) for x in after.seconds],
                        "before_median": round(before.median, 4), "after_median": round(after.median, 4)},
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    return {"meta": meta, "results": rows, "growth": report.growth(rows), "targets": report.targets(rows),
            "failures": sum(len(r["invalid"]) + len(r["errors"]) for r in rows)}


def write(result: dict[str, Any], stem: str, directory: Path = RESULTS) -> tuple[Path, Path]:
    from periodize.output_files import write_atomically

    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / f"{stem}.json", directory / f"{stem}.md"
    write_atomically(json_path, json.dumps(result, indent=2) + "\n")
    write_atomically(md_path, report.markdown(result["meta"], result["results"]))
    return json_path, md_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Benchmark the season solver.")
    parser.add_argument("--quick", action="store_true",
                        help=f"CI mode: {', '.join(runner.QUICK)}, once each, time limit 3")
    parser.add_argument("--repeat", type=int, help="runs per instance (default 3; quick 1)")
    parser.add_argument("--time-limit", type=float,
                        help="solver time limit, as for periodize solve: deterministic work of 0.25 units "
                             "per second (default 15; quick 3)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="instance names (file stems; example-<stem>)")
    parser.add_argument("--sizes", nargs="+", type=int, metavar="WEEKS", help="only seasons of these lengths")
    parser.add_argument("--examples", action="store_true", help="also run examples/*.yaml")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--search", help="a solve_skeleton search mode (default: its default, as periodize solve)")
    parser.add_argument("--calibration-runs", type=int, help="timed calibration runs before and after (default 5; quick 3)")
    parser.add_argument("--out", help="results file stem under benchmarks/results (default latest; quick: quick)")
    args = parser.parse_args(argv)

    names = args.only or (list(runner.QUICK) if args.quick else None)
    paths = runner.discover(names, args.sizes, args.examples)
    result = benchmark(
        paths,
        repeat=args.repeat or (1 if args.quick else 3),
        time_limit=args.time_limit or (3.0 if args.quick else 15.0),
        seed=args.seed,
        search=args.search,
        calibration_runs=args.calibration_runs or (3 if args.quick else 5),
    )
    json_path, md_path = write(result, args.out or ("quick" if args.quick else "latest"))
    print(report.markdown(result["meta"], result["results"]))
    print(f"wrote {runner.shown(json_path)} and {runner.shown(md_path)} "
          f"in {result['meta']['wall_seconds']} s", file=sys.stderr)
    if result["failures"]:
        print(f"{result['failures']} failed runs (invalid plan or solver error)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
