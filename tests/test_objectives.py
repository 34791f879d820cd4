"""O1's reading of a deload week (``objectives.deload_hold``): deloads come where V3 asks.

Measured against its lowered target alone, a deload week cost less than a loading week short
of the phase curve, so plans ramping toward the curve deloaded every other week (generated
raceless athletes: 12 deloads in 25 normal weeks). These tests hold the fix: a deload week also
pays the week before's distance from the curve, plus one minute.
"""

from __future__ import annotations

import pytest
from plan_builders import make_athlete

from periodize.explain.binding import week_objective
from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
from periodize.solver.rules.objectives import deload_hold
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan


def test_deload_hold_is_the_week_before_distance_from_the_curve_plus_one() -> None:
    assert deload_hold(357, 355) == 3
    assert deload_hold(357, 400) == 44
    assert deload_hold(300, 300) == 1


@pytest.mark.parametrize(("current", "peak"), [(300, 450), (300, 510)], ids=["on the curve", "ramping to it"])
def test_a_raceless_season_deloads_every_fourth_week_not_every_other(current: int, peak: int) -> None:
    """12 normal weeks, V3's default 3:1: three deloads, each after three loading weeks. Before
    the fix both athletes deloaded every other week (on the curve a deload at its lowered target
    cost nothing; ramping, it cost less than a loading week short of the curve)."""
    athlete = make_athlete(12, current=current, peak=peak)
    rules = resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    plan, _ = solve_skeleton(skeleton, time_limit=15)
    assert plan.status == "optimal"
    assert validate_plan(athlete, plan, rules) == []
    assert [number for number, week in enumerate(plan.weeks) if week.deload] == [3, 7, 11]
    # The explanation's week-by-week O1, recomputed from the plan, charges the same.
    assert sum(week_objective(skeleton, plan, week)["O1"] for week in range(12)) == plan.objective_terms["O1"]
