"""The opt-in "hinted" search (periodize/solver/hint.py, relaxation.py): same optimum as the
plain search, valid plans, and a volume relaxation whose bound never exceeds a plan's O1 + O2."""

from __future__ import annotations

from plan_builders import make_athlete

from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
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
