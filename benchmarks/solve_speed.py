"""Solve-speed benchmark: model build, solve and total wall time per instance.

Run from the repository root::

    python -m benchmarks.solve_speed                  # every instance, 5 runs each
    python -m benchmarks.solve_speed --repeat 3 --only gen-26 season-52
    python -m benchmarks.solve_speed --variant baseline --variant default

Instances: two generated athletes (seeded, in code) -- a 26-week season with one A race for an
intermediate runner, and a 52-week season with four races (two A marathons 26 weeks apart, a B
half, a C 10k) -- plus every ``examples/*.yaml``. Each is solved ``--repeat`` times with one
worker and a fixed seed; the report gives the median and p95 of build, solve and total wall
time, with status, objective, bound and model size, and every returned plan is checked with
``validate_plan``. Results land in ``benchmarks/results/solve_speed.{json,md}``.

Variants (``--variant``) are keyword sets for ``solve_skeleton``; comparing them in one run
keeps machine noise out of the comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from periodize.loading import load_athlete
from periodize.models.athlete import Athlete
from periodize.models.rules import Rules, resolve_rules
from periodize.season import build_skeleton
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Keyword sets for ``solve_skeleton``; "default" is what the CLI does.
VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "plain": {"search": "plain"},
    "interleaved": {"search": "interleaved"},
}


def _availability(rng: random.Random, long_day: str, long_minutes: int) -> dict[str, int]:
    days = {key: rng.choice([45, 60, 60, 75, 90]) for key in WEEKDAY_KEYS}
    days[rng.choice([k for k in WEEKDAY_KEYS if k != long_day])] = 0
    days[long_day] = long_minutes
    return days


def generated_26_week(seed: int = 26) -> Athlete:
    """An intermediate runner, 26 weeks to and through one A half marathon."""
    rng = random.Random(seed)
    start = date(2027, 1, 4)
    race_day = start + timedelta(weeks=24, days=6)  # Sunday of week 25; recovery ends in week 26
    availability = _availability(rng, "sun", 150)
    rest = next(k for k, v in availability.items() if v == 0)
    return Athlete.model_validate({
        "name": f"Generated 26-week (seed {seed})",
        "level": "intermediate",
        "age": rng.randint(25, 45),
        "season": {"start": start.isoformat(), "end": (start + timedelta(weeks=26, days=-1)).isoformat()},
        "volume": {"current_weekly_minutes": rng.choice([200, 220, 240]), "peak_weekly_minutes": rng.choice([360, 400]),
                   "current_long_run_minutes": rng.choice([70, 80]), "weekly_time_budget_minutes": 520},
        "runs_per_week": {"min": 4, "max": 5},
        "strength": {"sessions_per_week": 2, "equipment": "gym"},
        "races": [{"name": "Goal Half", "date": race_day.isoformat(), "distance": "half", "priority": "A",
                   "expected_minutes": 110}],
        "availability": availability,
        "preferences": {"long_run_day": "sun", "quality_days": ["tue", "thu"], "rest_days": [rest]},
    })


def generated_52_week(seed: int = 52) -> Athlete:
    """A full year: A marathons in weeks 16 and 42, a B half in week 36, a C 10k in week 8."""
    rng = random.Random(seed)
    start = date(2027, 1, 4)

    def sunday(week: int) -> str:
        return (start + timedelta(weeks=week - 1, days=6)).isoformat()

    availability = _availability(rng, "sun", 180)
    rest = next(k for k, v in availability.items() if v == 0)
    holiday = start + timedelta(weeks=27)
    return Athlete.model_validate({
        "name": f"Generated 52-week (seed {seed})",
        "level": "advanced",
        "age": rng.randint(30, 48),
        "season": {"start": start.isoformat(), "end": (start + timedelta(weeks=52, days=-1)).isoformat()},
        "volume": {"current_weekly_minutes": 330, "peak_weekly_minutes": rng.choice([540, 570]),
                   "current_long_run_minutes": 110, "weekly_time_budget_minutes": 700},
        "runs_per_week": {"min": 5, "max": 6},
        "strength": {"sessions_per_week": 2, "equipment": "gym"},
        "races": [
            {"name": "Winter 10k", "date": sunday(8), "distance": "10k", "priority": "C"},
            {"name": "Spring Marathon", "date": sunday(16), "distance": "marathon", "priority": "A",
             "expected_minutes": 200},
            {"name": "Autumn Half", "date": sunday(36), "distance": "half", "priority": "B"},
            {"name": "Autumn Marathon", "date": sunday(42), "distance": "marathon", "priority": "A",
             "expected_minutes": 198},
        ],
        "availability": availability,
        "exceptions": [{"from": holiday.isoformat(), "to": (holiday + timedelta(days=6)).isoformat(),
                        "minutes": 40, "note": "holiday"}],
        "preferences": {"long_run_day": "sun", "quality_days": ["tue", "thu"], "rest_days": [rest]},
    })


def instances() -> dict[str, tuple[Athlete, Rules]]:
    found: dict[str, tuple[Athlete, Rules]] = {}
    for name, athlete in (("gen-26", generated_26_week()), ("gen-52", generated_52_week())):
        found[name] = (athlete, resolve_rules(athlete))
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        found[path.stem] = load_athlete(path)
    return found


@dataclass
class Runs:
    instance: str
    variant: str
    weeks: int
    build: list[float] = field(default_factory=list)
    solve: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    objectives: list[int | None] = field(default_factory=list)
    bounds: list[int | None] = field(default_factory=list)
    variables: int = 0
    constraints: int = 0
    invalid: list[str] = field(default_factory=list)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(runs: Runs) -> dict[str, Any]:
    return {
        "instance": runs.instance, "variant": runs.variant, "weeks": runs.weeks, "runs": len(runs.total),
        **{f"{what}_median": round(statistics.median(getattr(runs, what)), 3) for what in ("build", "solve", "total")},
        **{f"{what}_p95": round(p95(getattr(runs, what)), 3) for what in ("build", "solve", "total")},
        "status": sorted(set(runs.statuses)), "objective": sorted(set(runs.objectives), key=str),
        "bound": sorted(set(runs.bounds), key=str), "variables": runs.variables, "constraints": runs.constraints,
        "invalid": runs.invalid,
    }


def run(names: list[str] | None, variants: list[str], repeat: int, time_limit: float, seed: int) -> list[dict[str, Any]]:
    rows = []
    for name, (athlete, rules) in instances().items():
        if names and name not in names:
            continue
        for variant in variants:
            skeleton = build_skeleton(athlete, rules)
            runs = Runs(name, variant, skeleton.n_weeks)
            for _ in range(repeat):
                started = time.perf_counter()
                skeleton = build_skeleton(athlete, rules)
                plan, stats = solve_skeleton(skeleton, time_limit=time_limit, seed=seed, **VARIANTS[variant])
                runs.total.append(time.perf_counter() - started)
                runs.build.append(stats.build_seconds)
                runs.solve.append(stats.solve_seconds)
                runs.statuses.append(stats.status)
                runs.objectives.append(plan.objective)
                runs.bounds.append(plan.bound)
                runs.variables, runs.constraints = stats.variables, stats.constraints
                if plan.weeks:
                    problems = validate_plan(athlete, plan, rules)
                    if problems:
                        runs.invalid.append(f"{len(problems)} violations, first: {problems[0]}")
            row = summary(runs)
            rows.append(row)
            print(f"{name:18} {variant:10} {row['weeks']:3}w build {row['build_median']:6.3f} solve "
                  f"{row['solve_median']:7.3f} (p95 {row['solve_p95']:7.3f}) total {row['total_median']:7.3f} "
                  f"{'/'.join(row['status'])} obj {row['objective']} bound {row['bound']} "
                  f"vars {row['variables']} cons {row['constraints']}"
                  + (f" INVALID {row['invalid'][0]}" if row["invalid"] else ""), flush=True)
    return rows


def markdown(rows: list[dict[str, Any]], repeat: int, time_limit: float) -> str:
    lines = [
        f"# Solve speed ({repeat} runs each, 1 worker, time limit {time_limit:g} s)", "",
        "| instance | variant | weeks | build med | solve med | solve p95 | total med | total p95 | status | objective | bound | vars | cons |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['instance']} | {r['variant']} | {r['weeks']} | {r['build_median']:.3f} | {r['solve_median']:.3f} | "
            f"{r['solve_p95']:.3f} | {r['total_median']:.3f} | {r['total_p95']:.3f} | {'/'.join(r['status'])} | "
            f"{'/'.join(map(str, r['objective']))} | {'/'.join(map(str, r['bound']))} | {r['variables']} | "
            f"{r['constraints']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="instance names (gen-26, gen-52, example file stems)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="repeatable; default: default")
    parser.add_argument("--out", default="solve_speed", help="results file stem under benchmarks/results")
    args = parser.parse_args(argv)
    variants = args.variant or ["default"]
    rows = run(args.only, variants, args.repeat, args.time_limit, args.seed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"repeat": args.repeat, "time_limit": args.time_limit, "seed": args.seed, "workers": 1}
    (RESULTS / f"{args.out}.json").write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    (RESULTS / f"{args.out}.md").write_text(markdown(rows, args.repeat, args.time_limit))
    return 1 if any(r["invalid"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
