"""What-if speed: how long ``periodize whatif`` takes to compare five scenarios of a season.

Issue 5 asks for "five scenarios of a 26-week season compared in under 3 s on this 2-core
machine", measured here and quoted in the README. This script measures that figure. Run from
the repository root::

    python -m benchmarks.whatif_speed                            # w26-r1, 5 runs, the CLI's defaults
    python -m benchmarks.whatif_speed --repeat 1 --time-limit 2  # a quick look
    python -m benchmarks.whatif_speed --athlete examples/marathon.yaml --stable --out /tmp/whatif

The five scenarios come from the athlete's own calendar, so any athlete file with at least one
race works. The anchor is the first A race (the first race if none is A):

1. add a B half marathon 6 weeks before it (fewer weeks if the season starts later);
2. add a C 10k 3 weeks before it;
3. move it one week later (two weeks earlier if a later date leaves the season);
4. move it one week earlier;
5. drop the last other race if there are several, else set its priority to B (A if it is not A).

Dates keep the anchor's weekday where they can and avoid days that already have a race. The
changes are written as the command-line options they stand for (``--add-race "NAME,DATE,..."``
and so on) and turned into scenarios by ``scenarios_from_options``, as the CLI does.

One run is timed wall-clock from reading the athlete file to the JSON text the CLI prints:
``load_athlete`` (the CLI's up-front check), ``scenarios_from_options``, ``read_mapping``,
``run_whatif`` with the CLI's arguments (``time_limit``, ``stable``, ``jobs``,
``explain`` at ``time_limit``) - scenario validation, the process pool starting, the baseline and
five scenarios solved in worker processes, the comparison - and ``json.dumps`` of the results.
Not timed: the interpreter starting and importing periodize (``--cli`` also times the real
command in a subprocess, which includes them). Runs are not warmed up; each forks its worker
process from this one, as a real ``periodize whatif`` does (``periodize.parallel.start_method``;
the forkserver before 2026-11-27 13:00, whose start the first run paid and later runs reused).

The report gives every run's seconds, the median and the p95 (with fewer than 20 runs, the
largest), each scenario's status, objective and bound, and whether every run printed the same
JSON (what-if solves use deterministic time limits, so they should; one run checks nothing).
In-process runs share one string-hash seed, so an order that comes from iterating a set of
strings is the same in every one of them; ``--cli`` compares each fresh interpreter's output
with the in-process output and names what differs, and whether only the order of a list does.
``ScenarioResult`` carries no bound: it is read from the plans ``run_whatif`` hands to
``measure``, through a pass-through wrapper installed for the call. The target is met when
median and p95 are both under 3 s. Solves use CP-SAT's deterministic time limit, so a larger
``--time-limit`` means more work and better (or proven) plans, not just a longer wait: the
figure is only meaningful with its time limit.

The load average is recorded around every run (other processes share the machine's cores), and a
fixed CP-SAT workload (``benchmarks/calibration.py``) is timed before and after, so figures from
different machines compare. Results: ``benchmarks/results/whatif_speed.{json,md}`` (``--out``
STEM under benchmarks/results, or a path such as ``/tmp/whatif``), written atomically.
"""

from __future__ import annotations

import argparse
import functools
import gc
import inspect
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import calibration, report
from benchmarks.runner import shown

if TYPE_CHECKING:
    from periodize.models.plan import Plan
    from periodize.season import Skeleton
    from periodize.whatif.compare import ScenarioResult

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_ATHLETE = ROOT / "benchmarks" / "instances" / "w26-r1.yaml"
STEM = "whatif_speed"
TARGET_SECONDS = 3.0
STATUSES = ("optimal", "feasible", "infeasible", "unknown", "invalid")


# --- the scenarios ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Changes:
    """The five changes, as the CLI's option values (one scenario each)."""

    add: list[str] = field(default_factory=list)
    move: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    priority: list[str] = field(default_factory=list)

    def cli_options(self) -> list[str]:
        options: list[str] = []
        for flag, values in (("--add-race", self.add), ("--move-race", self.move),
                             ("--drop-race", self.drop), ("--set-priority", self.priority)):
            for value in values:
                options += [flag, value]
        return options

    def as_json(self) -> dict[str, list[str]]:
        return {"add_race": self.add, "move_race": self.move, "drop_race": self.drop, "set_priority": self.priority}


def _unique_name(wanted: str, taken: set[str]) -> str:
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted} {number}", number + 1
    return name


def derive_changes(path: Path) -> Changes:
    """Five realistic calendar changes of the athlete in ``path``, from its races and season."""
    from periodize.loading import load_athlete
    from periodize.models.athlete import Priority

    athlete, _ = load_athlete(path)
    races = sorted(athlete.races, key=lambda race: race.date)
    if not races:
        raise SystemExit(f"{path}: the what-if benchmark needs an athlete with at least one race")
    anchor = next((race for race in races if race.priority == Priority.A), races[0])
    start, end = athlete.season.start, athlete.season.end
    busy = {race.date for race in races}
    names = {race.name for race in races}

    def fits(day: date, *, moving: bool = False) -> bool:
        taken = busy - {anchor.date} if moving else busy
        return day >= start and (end is None or day <= end) and day not in taken

    def before(weeks: int) -> date:
        """``weeks`` before the anchor (fewer if the season starts later); the day before if that
        day has a race; the anchor's own week as a last resort (then the scenario may be invalid)."""
        for back in range(weeks, 0, -1):
            for day in (anchor.date - timedelta(weeks=back), anchor.date - timedelta(weeks=back, days=1)):
                if fits(day):
                    return day
        return anchor.date - timedelta(days=1)

    def moved(offsets_in_days: tuple[int, ...]) -> date:
        for offset in offsets_in_days:
            day = anchor.date + timedelta(days=offset)
            if fits(day, moving=True):
                return day
        return anchor.date + timedelta(days=offsets_in_days[0])  # reported as an invalid scenario

    half = _unique_name("Tune-up Half", names)
    ten = _unique_name("Sharpener 10k", names)
    add = [f"{half},{before(6).isoformat()},half,B", f"{ten},{before(3).isoformat()},10k,C"]
    later = moved((7, 6, 8, -14))
    earlier = moved((-7, -6, -8, -14))
    move = [f"{anchor.name}={later.isoformat()}", f"{anchor.name}={earlier.isoformat()}"]
    others = [race for race in races if race.name != anchor.name]
    if others:
        return Changes(add=add, move=move, drop=[others[-1].name])
    new_priority = "B" if anchor.priority == Priority.A else "A"
    return Changes(add=add, move=move, priority=[f"{anchor.name}={new_priority}"])


# --- one timed comparison -------------------------------------------------------------------------
def cli_defaults() -> tuple[float, int]:
    """``periodize whatif``'s default ``--time-limit`` and ``--jobs``, read from the command."""
    from periodize.cli.whatif import whatif_command

    parameters = inspect.signature(whatif_command).parameters
    return float(parameters["time_limit"].default), int(parameters["jobs"].default)


@contextmanager
def recording_bounds() -> Iterator[dict[str, int | None]]:
    """Bounds of the plans ``run_whatif`` measures, by scenario name, for the duration (none,
    so every bound reads as unknown, if ``run_whatif`` no longer measures through ``measure``)."""
    from periodize.whatif import run as run_module

    seen: dict[str, int | None] = {}
    original = getattr(run_module, "measure", None)
    if original is None:
        yield seen
        return

    def recording(name: str, skeleton: Skeleton, plan: Plan) -> ScenarioResult:
        seen[name] = plan.bound
        return original(name, skeleton, plan)

    run_module.measure = recording
    try:
        yield seen
    finally:
        run_module.measure = original


@dataclass
class Run:
    seconds: float
    prepare_seconds: float
    json_text: str
    scenarios: list[dict[str, Any]]
    bounds: dict[str, int | None]
    load_before: float | None
    load_after: float | None


def _load() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def compare_once(path: Path, changes: Changes, *, time_limit: float, jobs: int, stable: bool) -> Run:
    """One ``periodize whatif`` comparison, in this process, timed as the module docstring says."""
    from periodize.explain import explain_conflict
    from periodize.loading import load_athlete, read_mapping
    from periodize.solver.weeks import forget_solved_weeks
    from periodize.whatif.run import run_whatif
    from periodize.whatif.scenario import scenarios_from_options

    gc.collect()
    forget_solved_weeks()  # a run starts as a new process would: no week solves cached in this one
    load_before = _load()
    with recording_bounds() as bounds:
        started = time.perf_counter()
        load_athlete(path)
        scenarios = scenarios_from_options(changes.add, changes.move, changes.drop, changes.priority, [])
        baseline = read_mapping(path, what="athlete")
        prepared = time.perf_counter()
        results = run_whatif(baseline, scenarios, time_limit=time_limit, stable=stable, jobs=jobs,
                             explain=functools.partial(explain_conflict, time_limit=time_limit))
        as_json = [result.as_json() for result in results]
        text = json.dumps({"scenarios": as_json}, indent=2)
        seconds = time.perf_counter() - started
    return Run(seconds, prepared - started, text, as_json, dict(bounds), load_before, _load())


def compare_cli(path: Path, changes: Changes, *, time_limit: float, jobs: int, stable: bool) -> tuple[float, str]:
    """The real command in a fresh interpreter: (wall seconds, its JSON output)."""
    command = [sys.executable, "-m", "periodize.cli.app", "whatif", str(path.resolve()), *changes.cli_options(),
               "--format", "json", "--time-limit", f"{time_limit:g}", "--jobs", str(jobs)]
    if stable:
        command.append("--stable")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"periodize whatif exited {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
    return seconds, done.stdout


def _canonical(value: Any) -> Any:
    """``value`` with every list sorted, to tell an order-only difference from a real one."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def differences(output: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """``scenario: key`` for every field of the what-if JSON that differs, ``(order only)`` when
    the two hold the same items in another order."""
    found = []
    if len(output["scenarios"]) != len(reference["scenarios"]):
        return ["number of scenarios"]
    for mine, theirs in zip(output["scenarios"], reference["scenarios"], strict=True):
        for key in sorted(mine.keys() | theirs.keys()):
            if mine.get(key) != theirs.get(key):
                order_only = _canonical(mine.get(key)) == _canonical(theirs.get(key))
                found.append(f"{theirs.get('name')}: {key}" + (" (order only)" if order_only else ""))
    return found


# --- the report ------------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile; with fewer than 20 values, the largest."""
    ordered = sorted(values)
    if len(ordered) < 20:
        return ordered[-1]
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def scenario_rows(runs: list[Run], changes: Changes) -> list[dict[str, Any]]:
    """Baseline and scenarios in the CLI's order: first run's figures, and whether every run
    agreed (same JSON, same bound)."""
    labels = ["baseline"] + [f"{flag} {value}" for flag, values in
                             (("--add-race", changes.add), ("--move-race", changes.move),
                              ("--drop-race", changes.drop), ("--set-priority", changes.priority))
                             for value in values]
    rows = []
    for index, first in enumerate(runs[0].scenarios):
        name = first["name"]
        seen = [run.scenarios[index] for run in runs]
        bounds = [run.bounds.get(name) for run in runs]
        rows.append({
            "name": name,
            "change": labels[index] if index < len(labels) else name,
            "status": first["status"],
            "statuses": [scenario["status"] for scenario in seen],
            "objective": first["objective"],
            "bound": bounds[0],
            "bounds": bounds,
            "gap": (round((first["objective"] - bounds[0]) / first["objective"], 4)
                    if first["objective"] and bounds[0] is not None else None),
            "verdict": first["verdict"],
            # None with one run: nothing to compare.
            "identical": (all(scenario == first for scenario in seen) and len(set(bounds)) == 1
                          if len(runs) > 1 else None),
        })
    return rows


def benchmark(path: Path, *, repeat: int, time_limit: float, jobs: int, stable: bool, calibration_runs: int = 3,
              cli: bool = False, progress: bool = True) -> dict[str, Any]:
    """Calibrate, compare ``repeat`` times (and through the CLI with ``cli``), calibrate again:
    the report as a JSON-ready dict."""
    from periodize.loading import load_athlete
    from periodize.season import build_skeleton

    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    info = report.machine()
    athlete, rules = load_athlete(path)
    weeks = build_skeleton(athlete, rules).n_weeks
    changes = derive_changes(path)
    before = calibration.measure(calibration_runs) if calibration_runs > 0 else None
    runs: list[Run] = []
    for number in range(1, repeat + 1):
        runs.append(compare_once(path, changes, time_limit=time_limit, jobs=jobs, stable=stable))
        statuses = ", ".join(scenario["status"] for scenario in runs[-1].scenarios)
        say(f"run {number}/{repeat}: {runs[-1].seconds:.2f} s ({statuses}; load {runs[-1].load_before})")
    cli_runs: list[tuple[float, str]] = []
    for number in range(1, repeat + 1):
        if not cli:
            break
        cli_runs.append(compare_cli(path, changes, time_limit=time_limit, jobs=jobs, stable=stable))
        say(f"cli run {number}/{repeat}: {cli_runs[-1][0]:.2f} s")
    after = calibration.measure(calibration_runs) if calibration_runs > 0 else None

    seconds = [run.seconds for run in runs]
    texts = {run.json_text for run in runs}
    rows = scenario_rows(runs, changes)
    median, worst = statistics.median(seconds), p95(seconds)
    result: dict[str, Any] = {
        "benchmark": STEM,
        "machine": info,
        "athlete": shown(path),
        "weeks": weeks,
        "races": len(athlete.races),
        "changes": changes.as_json(),
        "time_limit": time_limit,
        "deterministic_time_limit": _deterministic(time_limit),
        "jobs": jobs,
        "stable": stable,
        "repeat": repeat,
        "seconds": [round(value, 3) for value in seconds],
        "prepare_seconds": [round(run.prepare_seconds, 4) for run in runs],
        "median_seconds": round(median, 3),
        "p95_seconds": round(worst, 3),
        "load_average": [[run.load_before, run.load_after] for run in runs],
        "target_seconds": TARGET_SECONDS,
        "met": median < TARGET_SECONDS and worst < TARGET_SECONDS,
        "deterministic": (len(texts) == 1 and all(row["identical"] for row in rows)) if repeat > 1 else None,
        "scenarios": rows,
        "output": json.loads(runs[0].json_text),
    }
    if cli_runs:
        cli_seconds = [value for value, _ in cli_runs]
        result["cli"] = {
            "seconds": [round(value, 3) for value in cli_seconds],
            "median_seconds": round(statistics.median(cli_seconds), 3),
            "p95_seconds": round(p95(cli_seconds), 3),
        }
        in_process = json.loads(runs[0].json_text)
        found = sorted({item for _, text in cli_runs for item in differences(json.loads(text), in_process)})
        result["cli"]["same_output_as_in_process"] = not found
        result["cli"]["same_up_to_list_order"] = all(item.endswith("(order only)") for item in found)
        result["cli"]["differences"] = found
    if before is not None and after is not None:
        calibration_median = statistics.median(before.seconds + after.seconds)
        result["calibration"] = {
            "workload": "job shop 8x6, CP-SAT, 1 worker, seed 0, to optimality",
            "median": round(calibration_median, 4), "before": [round(x, 4) for x in before.seconds],
            "after": [round(x, 4) for x in after.seconds], "ratio": round(median / calibration_median, 1),
        }
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


def _deterministic(time_limit: float) -> float | None:
    """The deterministic work a time limit buys (None if the solver no longer says)."""
    from periodize.solver import solve

    rate = getattr(solve, "DETERMINISTIC_SECONDS_PER_SECOND", None)
    return round(time_limit * rate, 4) if rate is not None else None


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)


def markdown(result: dict[str, Any]) -> str:
    rows = result["scenarios"]
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    status_text = ", ".join(f"{status} {count}" for status, count in statuses.items())
    runs = result["repeat"]
    lines = [
        f"# What-if speed: {len(rows) - 1} scenarios of a {result['weeks']}-week season",
        "",
        f"Machine: {report.machine_line(result['machine'])}.",
        "",
        (f"Athlete `{result['athlete']}` ({result['races']} race{'' if result['races'] == 1 else 's'}); "
         f"`periodize whatif` options as below, time limit {result['time_limit']:g} s per scenario "
         f"(deterministic work {_cell(result['deterministic_time_limit'])} units), {result['jobs']} worker "
         f"process{'es' if result['jobs'] != 1 else ''}{', --stable' if result['stable'] else ''}; "
         f"{runs} run{'s' if runs != 1 else ''}, each timed from reading the athlete file to the JSON output "
         f"(imports and interpreter start not included). p95 is the largest run below 20 runs."),
        "",
        "| scenarios | statuses | median s | p95 s | target | met |",
        "|--:|---|--:|--:|---|---|",
        (f"| baseline + {len(rows) - 1} | {status_text} | {result['median_seconds']:.2f} | "
         f"{result['p95_seconds']:.2f} | < {result['target_seconds']:g} s | {'yes' if result['met'] else '**no**'} |"),
        "",
        "Runs (s): " + ", ".join(f"{value:.2f}" for value in result["seconds"])
        + "; load average (1 min) before each: "
        + ", ".join(_cell(before) for before, _ in result["load_average"]) + ".",
        "",
    ]
    if "calibration" in result:
        calib = result["calibration"]
        lines += [(f"Calibration (benchmarks/calibration.py): median {calib['median']:.3f} s; "
                   f"what-if median = {calib['ratio']} x calibration."), ""]
    if "cli" in result:
        cli = result["cli"]
        same = "yes" if cli["same_output_as_in_process"] else (
            f"**no** ({'list order only' if cli['same_up_to_list_order'] else 'not only list order'}: "
            + "; ".join(cli["differences"]) + ")")
        lines += [(f"The real command in a fresh interpreter (`python -m periodize.cli.app whatif ...`, imports "
                   f"included): median {cli['median_seconds']:.2f} s, p95 {cli['p95_seconds']:.2f} s; same output "
                   f"as in process: {same}."), ""]
    lines += [
        "| scenario | status | objective | bound | gap | same in every run |",
        "|---|---|--:|--:|--:|---|",
    ]
    for row in rows:
        gap = "-" if row["gap"] is None else f"{100 * row['gap']:.1f} %"
        status = row["status"] if len(set(row["statuses"])) == 1 else "/".join(row["statuses"])
        same = "-" if row["identical"] is None else "yes" if row["identical"] else "**no**"
        lines.append(f"| `{row['change']}` | {status} | {_cell(row['objective'])} | {_cell(row['bound'])} | {gap} | "
                     f"{same} |")
    deterministic = result["deterministic"]
    lines += ["", "Deterministic in process (every run printed the same JSON): "
              + ("not checked (one run)." if deterministic is None else "yes." if deterministic else "**no**.")]
    return "\n".join(lines) + "\n"


def output_paths(out: str) -> tuple[Path, Path]:
    """``--out``: a bare stem goes under benchmarks/results; anything with a folder is a path stem."""
    base = Path(out) if "/" in out or os.sep in out else RESULTS / out
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".md")


def write(result: dict[str, Any], out: str) -> tuple[Path, Path]:
    # A temporary file in the same folder, flushed, then os.replace: readers never see half a file.
    from periodize.output_files import write_atomically

    json_path, md_path = output_paths(out)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(json_path, json.dumps(result, indent=2) + "\n")
    write_atomically(md_path, markdown(result))
    return json_path, md_path


def main(argv: list[str] | None = None) -> int:
    time_limit_default, jobs_default = cli_defaults()
    parser = argparse.ArgumentParser(prog="python -m benchmarks.whatif_speed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--athlete", type=Path, default=DEFAULT_ATHLETE,
                        help=f"athlete file with at least one race (default {shown(DEFAULT_ATHLETE)})")
    parser.add_argument("--repeat", type=int, default=5, help="timed comparisons (default 5)")
    parser.add_argument("--time-limit", type=float, default=time_limit_default,
                        help=f"seconds per scenario, as periodize whatif --time-limit "
                             f"(default {time_limit_default:g}, the command's default)")
    parser.add_argument("--jobs", type=int, default=jobs_default,
                        help=f"worker processes, as periodize whatif --jobs (default {jobs_default})")
    parser.add_argument("--stable", action="store_true", help="as periodize whatif --stable")
    parser.add_argument("--calibration-runs", type=int, default=3,
                        help="timed calibration runs before and after (default 3; 0 skips calibration)")
    parser.add_argument("--cli", action="store_true",
                        help="also time the real command in a subprocess, --repeat times (imports included)")
    parser.add_argument("--out", default=STEM,
                        help=f"results stem under benchmarks/results, or a path stem like /tmp/whatif (default {STEM})")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.jobs < 1 or args.time_limit <= 0:
        parser.error("--repeat and --jobs must be at least 1 and --time-limit positive")

    result = benchmark(args.athlete, repeat=args.repeat, time_limit=args.time_limit, jobs=args.jobs,
                       stable=args.stable, calibration_runs=args.calibration_runs, cli=args.cli)
    json_path, md_path = write(result, args.out)
    print(markdown(result))
    print(f"wrote {shown(json_path)} and {shown(md_path)} in {result['wall_seconds']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
