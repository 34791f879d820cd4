"""The volume relaxation: week volumes alone, for an incumbent and an exact O1 lower bound.

Why: on one worker CP-SAT spends nearly all its time finding, one small step at a time, weekly
volumes that track the phase curve (O1) under the V1/V2/V3 chain. The week-level rules alone are
a small model that CP-SAT solves to optimality in well under a second, and its answer is useful
twice: its weekly minutes seed an incumbent (``hint``), and its proven bound is a lower bound on
O1 in the full model, posted there as a cut that loses nothing.

It is a relaxation because every constraint in it is implied by the full model: it posts the
very same rule functions (V1, V2, V3, V7, V8, V9 and the minimum-week cut) over the same
variables, with the day-level rules left out, plus one capacity cap per week that P5, P6, P12
and P14 imply (the running days the week can hold, each at most its available minutes and the
longest session P14 and V4 allow). O1 is the same expression of training minutes and deloads.
So min O1 here <= O1 of every plan the full model allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.season import Skeleton
from periodize.solver.context import ModelContext
from periodize.solver.model import post_implied_cuts
from periodize.solver.rules import HARD_RULES
from periodize.solver.rules.objectives import objective_o1
from periodize.solver.variables import create_variables, units_floor

VOLUME_CODES = ("V1", "V2", "V3", "V7", "V8", "V9")
#: The rules the capacity cap follows from; without any of them it is not implied.
CAPACITY_CODES = ("P5", "P6", "P12", "P14", "V4")


@dataclass(frozen=True)
class VolumeRelaxation:
    status: int
    #: Training units per week of the relaxation's best solution (None without one).
    training: tuple[int, ...] | None
    #: A proven lower bound on O1 (weighted) over every plan the full model allows.
    o1_bound: int
    #: Deterministic work spent solving it.
    deterministic_time: float = 0.0


def week_capacity_units(skeleton: Skeleton, week: int) -> int:
    """Most training units a week can hold: at most ``runs_per_week.max`` running days (P6, a
    race day counts as one) and at least ``P5`` rest days among the non-race days, each run at
    most its day's available minutes (P12) and the longest session P14/V4 allow."""
    rules = skeleton.rules
    p14 = rules.P14
    longest = max(units_floor(p14.easy_max), units_floor(p14.recovery_max), units_floor(p14.quality_max),
                  units_floor(p14.tempo_max), units_floor(rules.V4.max_minutes))
    days = [min(units_floor(max(skeleton.available[d], 0)), longest)
            for d in skeleton.week_days(week) if d not in skeleton.race_on_day]
    runs = min(skeleton.athlete.runs_per_week.max - len(skeleton.race_days_in_week(week)),
               len(days) - rules.P5.min_rest_days)
    return sum(sorted(days, reverse=True)[:max(runs, 0)])


def solve_volume_relaxation(skeleton: Skeleton, *, deterministic_limit: float, seed: int = 0) -> VolumeRelaxation:
    """Solve the volume relaxation with one worker within ``deterministic_limit``."""
    model = cp_model.CpModel()
    ctx = ModelContext(model=model, skeleton=skeleton, variables=create_variables(model, skeleton))
    # Only rules the full model posts: ``HARD_RULES`` is read at call time, so a rule left out
    # of the full model (tests drop them to see them bind) is left out here too.
    for code in VOLUME_CODES:
        if code in HARD_RULES:
            HARD_RULES[code](ctx)
    post_implied_cuts(ctx)
    if all(code in HARD_RULES for code in CAPACITY_CODES):
        for week in range(skeleton.n_weeks):
            model.add(ctx.variables.training[week] <= week_capacity_units(skeleton, week))
    o1 = objective_o1(ctx)
    if isinstance(o1, int):  # O1 switched off: nothing to bound
        return VolumeRelaxation(cp_model.UNKNOWN, None, 0)
    model.minimize(o1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_limit
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return VolumeRelaxation(code, None, 0, solver.deterministic_time)
    training = tuple(int(solver.value(t)) for t in ctx.variables.training)
    # The objective is integer, so its bound rounds up; a tiny epsilon absorbs float noise.
    return VolumeRelaxation(code, training, max(0, math.ceil(solver.best_objective_bound - 1e-6)),
                            solver.deterministic_time)
