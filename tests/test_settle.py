"""What a plan the time limit stopped on is charged (``solver.settle``): its days, at the least
those days cost. The model writes O1, O2, O3 and O6 one-sided, so a solution short of the
optimum may carry slack in them; the plan's objective by rule must be what its days cost,
which the explanation recomputes from the plan alone (``explain.binding.objective_by_week``)."""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model
from plan_builders import START, make_athlete

from periodize.explain.binding import objective_by_week
from periodize.models.plan import Plan
from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
from periodize.solver.model import SeasonModel, build_season_model, fix_variables
from periodize.solver.settle import settle
from periodize.solver.solve import extract_plan


def _solved(season: SeasonModel, fixed: dict[int, int] | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10.0
    model = season.model
    if fixed is not None:
        model = season.model.clone()
        fix_variables(model, fixed.items())
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver


def _charged(season: SeasonModel, solver: cp_model.CpSolver) -> Plan:
    skeleton = season.context.skeleton
    return extract_plan(skeleton, season, solver, Plan(athlete=skeleton.athlete.name, status="feasible"), bound=0)


def _by_week(season: SeasonModel, plan: Plan) -> dict[str, int]:
    rows = objective_by_week(season.context.skeleton, plan)
    return {code: sum(row["terms"][code] for row in rows) for code in plan.objective_terms}


def test_slack_in_the_penalties_is_settled_and_the_days_stay() -> None:
    """The optimum, with 7 minutes added both above and below the curve in every week (a
    solution of the model still, O1 70 points a week dearer): settled, it costs the optimum
    again, by rule as the explanation reads the plan, and holds the same days."""
    race_day = START + timedelta(days=7 * 4 + 5)
    athlete = make_athlete(6, sessions=2, races=[{"name": "Goal 10k", "date": race_day, "distance": "10k",
                                                  "priority": "A"}])
    season = build_season_model(build_skeleton(athlete, resolve_rules(athlete)))
    optimum = _solved(season)
    values = dict(enumerate(optimum.response_proto.solution))
    names = {variable.name: index for index, variable in enumerate(season.model.proto.variables)}
    for week in range(season.context.skeleton.n_weeks):
        for side in ("above", "below"):
            values[names[f"O1_w{week}_{side}"]] += 7
    slack = _solved(season, values)
    assert round(slack.objective_value) > round(optimum.objective_value)
    slack_plan = _charged(season, slack)
    assert slack_plan.objective_terms != _by_week(season, slack_plan)

    settled = settle(season, slack, seed=0)
    assert settled is not None
    plan = _charged(season, settled)
    assert round(settled.objective_value) == round(optimum.objective_value) == plan.objective
    assert plan.objective_terms == _by_week(season, plan)
    assert plan.weeks == slack_plan.weeks == _charged(season, optimum).weeks


def test_a_plan_stopped_short_is_reported_at_its_settled_cost_and_proven_where_that_meets_the_bound(
    monkeypatch,
) -> None:
    """``solve_skeleton`` settles a plan the search ended on without a proof: here the search
    is made to stop on the optimum's days with slack in O1, and a bound at the optimum. The
    plan is reported at its days' cost, which meets the bound, so it is proven optimal."""
    from periodize.solver import solve as solve_module
    from periodize.solver.bounded import BoundedOutcome

    athlete = make_athlete(4, sessions=1)
    skeleton = build_skeleton(athlete, resolve_rules(athlete))

    def stopped_short(season: SeasonModel, solver: cp_model.CpSolver, *, seed: int,
                      relative_gap: float = 0.0, floor: int | None = None) -> BoundedOutcome:
        optimum = _solved(season)
        values = dict(enumerate(optimum.response_proto.solution))
        values[next(index for index, variable in enumerate(season.model.proto.variables)
                    if variable.name == "O1_w1_above")] += 5
        values[next(index for index, variable in enumerate(season.model.proto.variables)
                    if variable.name == "O1_w1_below")] += 5
        return BoundedOutcome(_solved(season, values), cp_model.FEASIBLE, round(optimum.objective_value))

    monkeypatch.setattr(solve_module, "solve_bounded", stopped_short)
    plan, _ = solve_module.solve_skeleton(skeleton, time_limit=5.0)
    season = build_season_model(skeleton)
    assert (plan.status, plan.objective, plan.bound) == ("optimal", round(_solved(season).objective_value),
                                                         plan.objective)
    assert plan.objective_terms == _by_week(season, plan)
