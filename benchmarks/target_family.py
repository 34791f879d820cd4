"""The speed targets over families of generated seasons, not one pinned instance each.

Issue 2's targets name a kind of season ("a 26-week, one-race plan"; "a 52-week season with four
races"), and ``python -m benchmarks`` measures one generated instance of each (``w26-r1``,
``w52-r4``). One instance can be easier or harder than its kind: this draws ``--count`` more of
each with the same generator (``benchmarks.generate.draw``, seeds 1..count, the cell's level
and availability pattern; only the seed differs) and solves each once, as ``periodize solve``
would, at ``--time-limit`` (default 15, as the main benchmark). Run from the repository root::

    python -m benchmarks.target_family                      # 10 of each family
    python -m benchmarks.target_family --count 3 --families 26:1

The report gives, per family, how many were proven optimal, how many within the target's time
(plan time: build + solve + extract, what ``periodize solve`` waits for), the median and p95 plan
time, and each season's status, objective, bound and seconds; every plan is validated. Results:
``benchmarks/results/target_family.{json,md}`` (``--out STEM``), the machine and code recorded
as in the main benchmark. A draw whose calendar admits no plan (the generator's own files retry
those) shows as infeasible and is left out of the timing.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from benchmarks.generate import draw
from benchmarks.report import machine, machine_line, write_results
from benchmarks.runner import InstanceRuns, p95, solve_once, warm_up
from periodize.loading import athlete_from_mapping

#: (weeks, races) -> the target's plan time in seconds (issue 2).
TARGETS: dict[tuple[int, int], float] = {(26, 1): 0.5, (52, 4): 2.0}


def run_family(weeks: int, races: int, *, count: int, time_limit: float) -> list[dict[str, Any]]:
    rows = []
    for seed in range(1, count + 1):
        data = draw(weeks, races, 0, seed)
        athlete, rules = athlete_from_mapping(data)
        runs = InstanceRuns(f"w{weeks:02d}-r{races}-s{seed}", f"draw({weeks}, {races}, 0, {seed})")
        solve_once(runs, athlete, rules, time_limit=time_limit, seed=0)
        row = runs.summary(None)
        row["level"] = data["level"]
        rows.append(row)
        print(f"{row['instance']}: {next(iter(row['status']), 'error')} {_first(row['objective'])} / "
              f"{_first(row['bound'])} in {row['plan_median']} s", flush=True)
    return rows


def _first(values: list[int | None]) -> str:
    """The one run's value ("-" without one)."""
    return "-" if not values or values[0] is None else str(values[0])


def family_summary(weeks: int, races: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    target = TARGETS.get((weeks, races))
    timed = [row for row in rows if row["plan_median"] is not None and "infeasible" not in row["status"]]
    times = [row["plan_median"] for row in timed]
    proven = [row for row in timed if row["status"] == {"optimal": 1}]
    return {
        "family": f"{weeks} weeks, {races} races", "seasons": len(rows), "timed": len(timed),
        "proven": len(proven), "target_seconds": target,
        "proven_within_target": None if target is None else sum(row["plan_median"] < target for row in proven),
        "plan_median": round(statistics.median(times), 3) if times else None,
        "plan_p95": round(p95(times), 3) if times else None,
        "invalid": sum(bool(row["invalid"]) for row in rows), "errors": sum(bool(row["errors"]) for row in rows),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Speed targets over generated families (time limit {report['time_limit']:g} s)", "",
             f"Machine: {machine_line(report['machine'])}", "",
             "| family | seasons | proven optimal | proven within target | plan median s | plan p95 s | invalid |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for family in report["families"]:
        summary = family["summary"]
        target = summary["target_seconds"]
        within = "-" if target is None else f"{summary['proven_within_target']} (< {target:g} s)"
        lines.append(f"| {summary['family']} | {summary['seasons']} | {summary['proven']} | {within} | "
                     f"{summary['plan_median']} | {summary['plan_p95']} | {summary['invalid']} |")
    lines += ["", "| season | level | status | objective | bound | plan s |", "|---|---|---|--:|--:|--:|"]
    for family in report["families"]:
        for row in family["rows"]:
            status = ", ".join(row["status"]) or "error"
            lines.append(f"| {row['instance']} | {row['level']} | {status} | {_first(row['objective'])} "
                         f"| {_first(row['bound'])} | {row['plan_median']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10, help="seasons per family (default 10)")
    parser.add_argument("--time-limit", type=float, default=15.0, help="per season, seconds (default 15)")
    parser.add_argument("--families", nargs="+", default=["26:1", "52:4"], metavar="WEEKS:RACES",
                        help="families to draw (default 26:1 52:4)")
    parser.add_argument("--out", default="target_family", help="results file stem under benchmarks/results")
    args = parser.parse_args(argv)
    warm_up()
    info = machine()
    families = []
    for family in args.families:
        weeks, races = (int(part) for part in family.split(":"))
        rows = run_family(weeks, races, count=args.count, time_limit=args.time_limit)
        families.append({"weeks": weeks, "races": races, "rows": rows, "summary": family_summary(weeks, races, rows)})
    report = {"benchmark": "target_family", "count": args.count, "time_limit": args.time_limit, "machine": info,
              "families": families}
    write_results(args.out, report, markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
