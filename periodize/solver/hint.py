"""A good complete incumbent before the main search, used as its solution hint.

Why: with one worker CP-SAT has no LNS, and on these models it improves its first solution one
small step at a time (half-marathon.yaml: ~60 solutions over 11 s), while the proof closes fast
once a near-optimal solution is known. So the solve is split into deterministic phases, each on
one worker with a deterministic work limit:

1. the volume relaxation (``relaxation``) gives weekly training minutes close to the O1 optimum;
2. the full model with those weekly minutes fixed gives a first complete plan quickly (where the
   relaxation's minutes are not realisable, the full model's first solution is used instead);
3. week-window large-neighbourhood search (``improve``, which the default bounded search also
   runs from its first plan): for each window of consecutive weeks in turn, every variable of
   the other weeks is fixed to the incumbent and the rest re-optimised on a copy of the full
   model. The neighbourhoods follow the variable names (``d<day>_``, ``w<week>_``), which only
   steer the search: every step solves the full model, so every incumbent is a plan the full
   model allows.

The result is a value for every variable of the model (a complete hint, which CP-SAT checks
without having to complete it). Nothing here can change what is optimal: the main search runs
on the unchanged model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.solver.cpsat import new_solver
from periodize.solver.model import SeasonModel, fix_variables, replace_hint, set_domains
from periodize.solver.week_slices import variable_weeks


@dataclass
class Incumbent:
    values: list[int]
    objective: int
    #: Deterministic work spent finding it (CP-SAT's own measure, summed over the phases).
    deterministic_time: float
    #: The solver holding it (on a copy of the season model, same variable indices), where known.
    solver: cp_model.CpSolver | None = None


def _solver(limit: float, seed: int) -> cp_model.CpSolver:
    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(limit, 1e-3)
    return solver


def _values(solver: cp_model.CpSolver) -> list[int]:
    return [int(v) for v in solver.response_proto.solution]


def first_solution(season: SeasonModel, training: tuple[int, ...] | None, *, limit: float, seed: int) -> tuple[Incumbent | None, float]:
    """Phase 2: the first solution of the full model with weekly training units fixed to
    ``training``; without them (or where they are not realisable), of the full model hinted
    with them."""
    spent = 0.0
    normal = season.context.skeleton.normal_weeks
    # Fix every week; else only normal weeks, where the relaxation is closest to the full
    # model (race, taper and recovery weeks have day-level limits it leaves out); else none.
    attempts = [lambda w: True, lambda w: normal[w], lambda w: False] if training is not None else [lambda w: False]
    for fixed in attempts:
        model = season.model.clone()
        variables = season.variables
        if training is not None:
            for week, units in enumerate(training):
                if fixed(week):
                    model.add(variables.training[week] == units)
                else:
                    model.add_hint(variables.training[week], units)
        solver = _solver(limit - spent, seed)
        solver.parameters.stop_after_first_solution = True
        code = solver.solve(model)
        spent += solver.deterministic_time
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            values = _values(solver)[: len(season.model.proto.variables)]
            return Incumbent(values, int(round(solver.objective_value)), spent), spent
        if spent >= limit:
            break
    return None, spent


def improve(
    season: SeasonModel, incumbent: Incumbent, *, step_limit: float, limit: float, seed: int, passes: int = 1,
    window: int = 2, stop_at: int | None = None, starts: Sequence[int] | None = None,
) -> Incumbent:
    """Phase 3: week-window LNS from ``incumbent`` within ``limit`` deterministic seconds:
    ``window`` weeks at a time, moving on one week at a time, at most ``passes`` times over
    the season (fewer where a pass improves nothing). ``stop_at``: a proven lower bound; a plan
    reaching it cannot be improved, so the search stops there. ``starts``: the windows' first
    weeks, where only some weeks need it (default: every week). The incumbent returned carries
    the solver that found it (none if it is the one given)."""
    weeks = variable_weeks(season.model)
    by_week: dict[int, list[int]] = {}
    for index, week in enumerate(weeks):
        if week is not None:
            by_week.setdefault(week, []).append(index)
    n_weeks = season.context.skeleton.n_weeks
    # One copy for every window, every week fixed to the incumbent; a window frees its own
    # weeks and fixes them again after its solve. Fixing a 52-week season's 4,500 week
    # variables for each window anew cost 17 ms a window, more than its solve.
    model = season.model.clone()
    domains = {index: list(model.proto.variables[index].domain) for indices in by_week.values() for index in indices}
    fix_variables(model, ((index, incumbent.values[index]) for index in domains))
    replace_hint(model, dict(enumerate(incumbent.values[:len(weeks)])))  # again only when it improves
    spent = 0.0
    for _ in range(passes):
        improved = False
        firsts = range(max(n_weeks - window + 1, 1)) if starts is None else starts
        for first in firsts:
            if spent + step_limit > limit or (stop_at is not None and incumbent.objective <= stop_at):
                return incumbent
            inside = [index for week in range(first, first + window) for index in by_week.get(week, [])]
            set_domains(model, ((index, domains[index]) for index in inside))
            solver = _solver(step_limit, seed)
            code = solver.solve(model)
            spent += solver.deterministic_time
            incumbent.deterministic_time += solver.deterministic_time
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) < incumbent.objective:
                incumbent = Incumbent(_values(solver), int(round(solver.objective_value)),
                                      incumbent.deterministic_time, solver)
                replace_hint(model, dict(enumerate(incumbent.values[:len(weeks)])))
                improved = True
            fix_variables(model, ((index, incumbent.values[index]) for index in inside))
        if not improved:
            break
    return incumbent
