"""The opt-in "hinted" search (periodize/solver/hint.py, relaxation.py): same optimum as the
plain search, valid plans, and a volume relaxation whose bound never exceeds a plan's O1 + O2."""

from __future__ import annotations

from ortools.sat.python import cp_model
from plan_builders import make_athlete

from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
from periodize.solver.hint import Incumbent, first_solution, improve
from periodize.solver.model import SeasonModel, build_season_model, fix_variables
from periodize.solver.relaxation import solve_volume_relaxation
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan


def test_hinted_search_finds_the_plain_optimum() -> None:
    athlete = make_athlete(6, sessions=2, current=200)
    rules = resolve_rules(athlete)
    plain, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=20, search="plain")
    hinted, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=20, search="hinted")
    assert plain.status == hinted.status == "optimal"
    assert hinted.objective == plain.objective
    assert validate_plan(athlete, hinted, rules) == []
    bound = solve_volume_relaxation(build_skeleton(athlete, rules), deterministic_limit=2.0).bound
    assert bound <= hinted.objective_terms["O1"] + hinted.objective_terms["O2"]


def test_hinted_search_is_deterministic() -> None:
    athlete = make_athlete(4, sessions=2, current=250)
    rules = resolve_rules(athlete)
    first, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=10, search="hinted")
    second, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=10, search="hinted")
    assert first.model_dump(exclude={"solve_seconds"}) == second.model_dump(exclude={"solve_seconds"})


def window_search_case() -> tuple[SeasonModel, Incumbent]:
    """The weekend-chain athlete of test_bounded (six weeks) and a poor first plan: the full
    model's first solution."""
    athlete = make_athlete(6, sessions=2, current=250, runs=(5, 5),
                           availability={"thu": 0, "fri": 0, "mon": 65, "wed": 60})
    season = build_season_model(build_skeleton(athlete, resolve_rules(athlete)))
    incumbent, _ = first_solution(season, None, limit=2.0, seed=0)
    assert incumbent is not None
    return season, incumbent


def plan_of(season: SeasonModel, values: list[int]) -> int:
    """The objective of ``values`` as a complete plan of the full model (fixed; must solve)."""
    model = season.model.clone()
    fix_variables(model, enumerate(values[: len(season.model.proto.variables)]))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_window_search_returns_a_better_plan_of_the_full_model_and_its_solver() -> None:
    """Windows of weeks re-solved on a copy of the full model: the plan returned must be a
    plan of the full model costing what it says, held by the solver returned with it."""
    season, start = window_search_case()
    before = start.objective
    better = improve(season, start, step_limit=0.2, limit=10.0, seed=0, passes=2, window=3)
    assert better.objective < before
    assert better.solver is not None
    assert round(better.solver.objective_value) == better.objective
    assert plan_of(season, better.values) == better.objective


def test_window_search_stops_at_a_proven_bound() -> None:
    """A plan at the proven bound cannot be improved: no window is solved."""
    season, start = window_search_case()
    same = improve(season, start, step_limit=0.2, limit=10.0, seed=0, stop_at=start.objective)
    assert (same.objective, same.deterministic_time, same.solver) == (start.objective, start.deterministic_time, None)
