"""What ``--gap`` saves: the same seasons solved at several relative gaps, side by side.

``periodize solve --gap PERCENT`` stops at the first plan proven within that share of the best.
This solves each instance at each gap (``--gaps``, percent; default 0, 0.5, 1 and 2), the gaps
interleaved within each repeat so that a busy moment of the machine falls on all of them alike,
``--repeat`` times (default 3) at ``--time-limit`` (default 15, as the main benchmark), one
worker, seed 0, each run as a new process would start (``runner.solve_once``). The default
instances are the seasons whose proofs take longest or do not come within the limit:
``w26-r3``, ``w26-r5``, ``w52-r2``, ``w52-r4``, ``w52-r5`` and the bundled ``season-52``
example. Run from the repository root::

    python -m benchmarks.gap_speed
    python -m benchmarks.gap_speed --only w52-r4 --gaps 0 1 --repeat 1

Per instance and gap: the median plan time (build + solve + extract, what ``periodize solve``
waits for), the statuses, objective and bound of each run, and the plan's gap to its bound;
every plan is validated. Results: ``benchmarks/results/gap_speed.{json,md}`` (``--out STEM``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from benchmarks.report import machine, machine_line, write_results
from benchmarks.runner import (
    EXAMPLES,
    INSTANCES,
    InstanceRuns,
    instance_name,
    solve_once,
    warm_up,
)
from periodize.loading import load_athlete

DEFAULT_INSTANCES = ("w26-r3", "w26-r5", "w52-r2", "w52-r4", "w52-r5", "example-season-52")
DEFAULT_GAPS = (0.0, 0.5, 1.0, 2.0)


def instance_path(name: str) -> Path:
    """``w52-r4`` from the generated instances, ``example-<stem>`` from examples/."""
    if name.startswith("example-"):
        return EXAMPLES / f"{name.removeprefix('example-')}.yaml"
    return INSTANCES / f"{name}.yaml"


def run(names: list[str], gaps: list[float], *, repeat: int, time_limit: float) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        path = instance_path(name)
        athlete, rules = load_athlete(path)
        runs = {gap: InstanceRuns(instance_name(path), str(path)) for gap in gaps}
        for _ in range(repeat):
            for gap in gaps:
                solve_once(runs[gap], athlete, rules, time_limit=time_limit, seed=0, relative_gap=gap / 100)
        for gap in gaps:
            row = runs[gap].summary(None) | {"gap_percent": gap}
            rows.append(row)
            print(f"{name} --gap {gap:g}: {', '.join(row['status']) or 'error'} {row['objective']} / "
                  f"{row['bound']} in {row['plan_median']} s", flush=True)
    return rows


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# What --gap saves (time limit {report['time_limit']:g} s, {report['repeat']} runs each)", "",
             f"Machine: {machine_line(report['machine'])}", "",
             "| instance | --gap % | status | objective | bound | plan gap | plan median s | plan p95 s | invalid |",
             "|---|--:|---|--:|--:|--:|--:|--:|--:|"]
    for row in report["rows"]:
        status = ", ".join(f"{name} {count}" for name, count in row["status"].items()) or "error"
        objectives = "/".join(sorted({str(value) for value in row["objective"]}))
        bounds = "/".join(sorted({str(value) for value in row["bound"]}))
        share = "-" if row["gap_max"] is None else f"{100 * row['gap_max']:.1f} %"
        lines.append(f"| {row['instance']} | {row['gap_percent']:g} | {status} | {objectives} | {bounds} | {share} "
                     f"| {row['plan_median']} | {row['plan_p95']} | {len(row['invalid'])} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", default=list(DEFAULT_INSTANCES), metavar="NAME",
                        help="instances (w52-r4, example-season-52, ...)")
    parser.add_argument("--gaps", nargs="+", type=float, default=list(DEFAULT_GAPS), metavar="PERCENT")
    parser.add_argument("--repeat", type=int, default=3, help="runs per instance and gap (default 3)")
    parser.add_argument("--time-limit", type=float, default=15.0, help="per run, seconds (default 15)")
    parser.add_argument("--out", default="gap_speed", help="results file stem under benchmarks/results")
    args = parser.parse_args(argv)
    warm_up()
    info = machine()
    rows = run(args.only, args.gaps, repeat=args.repeat, time_limit=args.time_limit)
    report = {"benchmark": "gap_speed", "time_limit": args.time_limit, "repeat": args.repeat,
              "gaps": args.gaps, "machine": info, "rows": rows}
    write_results(args.out, report, markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
