"""Solve benchmark instances several times and summarise the runs.

Every run times the same steps the ``periodize solve`` command takes, from a loaded athlete:

- **build**: the season skeleton (``build_skeleton``) plus the CP-SAT model (``build_season_model``,
  reported by ``solve_skeleton`` as ``build_seconds``);
- **solve**: ``solve_skeleton``'s ``solve_seconds``: CP-SAT's search, presolve included, and
  whatever search phases the solver's mode runs before it (the hinted mode's relaxation and
  first plan);
- **extract**: the rest of ``solve_skeleton``: reading the solution into a plan and the strength
  prescription;
- **validate**: ``validate_plan`` on the returned plan (not part of ``periodize solve``, but every
  benchmark plan is checked);
- **plan** = build + solve + extract, what a user waits for; **total** = plan + validate.

Runs happen in this process, one after another, not in a fresh subprocess each. The imports
(Python, pydantic models, ortools) are paid once before anything is timed, and a warm-up solve
of the smallest instance runs untimed first, so no run pays for first-call initialisation.
CP-SAT keeps no state between solves (each run makes a new model and a new ``CpSolver``), and
``gc.collect()`` runs before each timed run so that one run's garbage is not collected on the
next run's clock. A subprocess per run would cost about a second of imports each time, never
timed, and would not change the figures, which are dominated by CP-SAT's search; it would make
quick mode miss its 30 s budget.

A run that raises is recorded as an error and does not stop the benchmark; a returned plan
that fails ``validate_plan`` is recorded as invalid. Either makes the run fail (exit status 1).
"""

from __future__ import annotations

import gc
import math
import statistics
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from periodize.loading import load_athlete
from periodize.season import build_skeleton
from periodize.solver.solve import solve_skeleton
from periodize.solver.weeks import forget_solved_weeks
from periodize.validate import validate_plan

ROOT = Path(__file__).resolve().parent.parent


def shown(path: Path) -> str:
    """A path as a report names it: from the repository's root where it lies inside it (so
    reports read the same on every clone), else as given (``--out /tmp/run`` had ended in a
    traceback after the results were written)."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
INSTANCES = ROOT / "benchmarks" / "instances"
EXAMPLES = ROOT / "examples"

PHASES = ("build", "solve", "extract", "validate", "plan", "total")

#: Quick mode (CI): small instances that between them have 0-5 races, all three levels and all
#: three availability patterns, each solved once.
QUICK = ("w08-r0", "w08-r2", "w08-r5", "w12-r1", "w12-r4")


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank (with 3 runs: the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def gap(objective: int | None, bound: int | None) -> float | None:
    """(objective - bound) / objective; 0 when both are 0; None without a plan."""
    if objective is None or bound is None:
        return None
    if objective == 0:
        return 0.0 if bound >= 0 else None
    return (objective - bound) / objective


@dataclass
class InstanceRuns:
    name: str
    path: str
    weeks: int = 0
    races: int = 0
    times: dict[str, list[float]] = field(default_factory=lambda: {phase: [] for phase in PHASES})
    statuses: list[str] = field(default_factory=list)
    objectives: list[int | None] = field(default_factory=list)
    bounds: list[int | None] = field(default_factory=list)
    gaps: list[float | None] = field(default_factory=list)
    variables: int = 0
    constraints: int = 0
    invalid: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self, calibration: float | None) -> dict[str, Any]:
        row: dict[str, Any] = {"instance": self.name, "path": self.path, "weeks": self.weeks,
                               "races": self.races, "runs": len(self.statuses) + len(self.errors)}
        for phase in PHASES:
            values = self.times[phase]
            row[f"{phase}_median"] = round(statistics.median(values), 4) if values else None
            row[f"{phase}_p95"] = round(p95(values), 4) if values else None
        row["status"] = {status: self.statuses.count(status) for status in sorted(set(self.statuses))}
        gaps = [value for value in self.gaps if value is not None]
        row["gap_median"] = round(statistics.median(gaps), 4) if gaps else None
        row["gap_max"] = round(max(gaps), 4) if gaps else None
        row["objective"] = self.objectives
        row["bound"] = self.bounds
        row["variables"], row["constraints"] = self.variables, self.constraints
        row["ratio"] = (round(row["plan_median"] / calibration, 2)
                        if calibration and row["plan_median"] is not None else None)
        row["invalid"], row["errors"] = self.invalid, self.errors
        return row

    @property
    def proven(self) -> bool:
        return bool(self.statuses) and not self.errors and all(status == "optimal" for status in self.statuses)


def discover(names: list[str] | None = None, sizes: list[int] | None = None, examples: bool = False) -> list[Path]:
    """Instance files: the generated ones (filtered by name or season length), and optionally
    ``examples/*.yaml`` (named ``example-<stem>``)."""
    found = {path.stem: path for path in sorted(INSTANCES.glob("*.yaml"))}
    if examples or (names and any(name.startswith("example-") for name in names)):
        found.update({f"example-{path.stem}": path for path in sorted(EXAMPLES.glob("*.yaml"))})
    if names:
        unknown = [name for name in names if name not in found]
        if unknown:
            raise SystemExit(f"unknown instances: {', '.join(unknown)}; known: {', '.join(found)}")
        return [found[name] for name in names]
    paths = list(found.values())
    if sizes:
        paths = [path for path in paths if not path.stem.startswith("w") or _weeks_of(path.stem) in sizes]
    return paths


def _weeks_of(stem: str) -> int | None:
    try:
        return int(stem[1:].split("-")[0])
    except ValueError:
        return None


def instance_name(path: Path) -> str:
    return f"example-{path.stem}" if path.parent.resolve() == EXAMPLES.resolve() else path.stem


def solve_once(runs: InstanceRuns, athlete: Any, rules: Any, *, time_limit: float, seed: int,
               search: str | None = None, relative_gap: float = 0.0) -> None:
    """One timed run, recorded into ``runs``; ``search=None`` is ``solve_skeleton``'s default,
    what ``periodize solve`` does (``relative_gap``: its ``--gap`` as a share). Each run starts
    as a new process would: no week solves cached from the runs before it."""
    gc.collect()
    forget_solved_weeks()
    try:
        started = time.perf_counter()
        skeleton = build_skeleton(athlete, rules)
        skeleton_done = time.perf_counter()
        options = {} if search is None else {"search": search}
        plan, stats = solve_skeleton(skeleton, time_limit=time_limit, workers=1, seed=seed,
                                     relative_gap=relative_gap, **options)
        solved = time.perf_counter()
        problems = validate_plan(athlete, plan, rules) if plan.weeks else []
        validated = time.perf_counter()
    except Exception as error:  # noqa: BLE001 - a benchmark records the failure and goes on
        runs.errors.append(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}")
        return
    build = (skeleton_done - started) + stats.build_seconds
    extract = max(0.0, (solved - skeleton_done) - stats.build_seconds - stats.solve_seconds)
    plan_time = solved - started
    for phase, value in (("build", build), ("solve", stats.solve_seconds), ("extract", extract),
                         ("validate", validated - solved), ("plan", plan_time), ("total", validated - started)):
        runs.times[phase].append(value)
    runs.weeks, runs.races = skeleton.n_weeks, len(skeleton.races)
    runs.statuses.append(stats.status)
    runs.objectives.append(plan.objective)
    runs.bounds.append(plan.bound)
    runs.gaps.append(gap(plan.objective, plan.bound))
    runs.variables, runs.constraints = stats.variables, stats.constraints
    if problems:
        runs.invalid.append(f"{len(problems)} violations, first: {problems[0]}")


def warm_up(seed: int = 0) -> None:
    """An untimed solve of a small instance: first-call costs stay out of the measurements."""
    path = INSTANCES / f"{QUICK[0]}.yaml"
    if path.exists():
        athlete, rules = load_athlete(path)
        plan, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=2.0, workers=1, seed=seed)
        if plan.weeks:
            validate_plan(athlete, plan, rules)


def run_instance(path: Path, *, repeat: int, time_limit: float, seed: int = 0, search: str | None = None) -> InstanceRuns:
    runs = InstanceRuns(instance_name(path), str(path.resolve().relative_to(ROOT)))
    try:
        athlete, rules = load_athlete(path)
    except Exception as error:  # noqa: BLE001
        runs.errors.append(f"could not load: {error}")
        return runs
    for _ in range(repeat):
        solve_once(runs, athlete, rules, time_limit=time_limit, seed=seed, search=search)
    return runs
