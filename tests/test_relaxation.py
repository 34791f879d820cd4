"""The volume relaxation's CP-SAT phases (periodize/solver/relaxation.py, ``PHASES``): where the
chain's minutes break V2, CP-SAT answers the relaxation, and its answer must be the relaxation's
own optimum, whichever search proves it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from ortools.sat.python import cp_model

from benchmarks import runner
from periodize.loading import athlete_from_mapping, load_athlete, read_mapping
from periodize.season import build_skeleton
from periodize.solver import relaxation
from periodize.solver.model import SeasonModel, build_season_model
from periodize.solver.relaxation import Phase, VolumeRelaxation, solve_volume_relaxation
from periodize.solver.rules import HARD_RULES
from periodize.solver.season_bound import VOLUME_SHARE, season_lower_bound
from periodize.solver.solve import solve_skeleton
from periodize.solver.variables import UNIT
from periodize.solver.volume_dp import PricedChain, solve_chain, weeks_breaking_v2
from periodize.validate import validate_plan

#: The budget the bounded search gives the relaxation at --time-limit 15.
SEASON_LIMIT = 3.75
#: CP-SAT's default search alone, with presolve as it comes and room to spare: the reference.
DEFAULT_SEARCH = (Phase(None, True, {}),)


def relaxations(
    season_name: str, monkeypatch: pytest.MonkeyPatch,
) -> tuple[VolumeRelaxation, VolumeRelaxation, VolumeRelaxation]:
    """The benchmark season's volume relaxation with its week profiles, answered by
    ``PHASES``, by CP-SAT's default search alone (``DEFAULT_SEARCH``, 20 units), and by
    ``PHASES`` with every week fixed at the first answer's minutes."""
    athlete, rules = load_athlete(runner.discover([season_name])[0])
    skeleton = build_skeleton(athlete, rules)
    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=SEASON_LIMIT, seed=0)
    profiles = bound.weeks.per_week
    phased = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0, profiles=profiles)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "PHASES", DEFAULT_SEARCH)
        reference = solve_volume_relaxation(skeleton, deterministic_limit=20.0, seed=0, profiles=profiles)
    at_minutes = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0, profiles=profiles,
                                         fixed=phased.training)
    return phased, reference, at_minutes


def test_w26_r5_where_v2_cuts_the_chain_off_gets_the_relaxations_own_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """On w26-r5 the chain's minutes break V2, so CP-SAT answers: the phases prove the same
    optimum as the default search given five times the room, and minutes that cost it."""
    calls: list[int] = []
    solve_in_phases = relaxation._solve_in_phases

    def spy(*args, **kwargs):
        answer = solve_in_phases(*args, **kwargs)
        calls.append(answer.status)
        return answer

    monkeypatch.setattr(relaxation, "_solve_in_phases", spy)
    phased, reference, at_minutes = relaxations("w26-r5", monkeypatch)
    assert calls and calls[0] == cp_model.OPTIMAL  # CP-SAT answered, and proved it
    assert phased.status == reference.status == cp_model.OPTIMAL
    assert phased.bound == reference.bound
    assert at_minutes.bound == phased.bound


def test_w12_r5_season_through_cp_sats_relaxation_is_optimal_valid_and_repeatable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole season with CP-SAT answering the relaxation (the chain's dynamic program,
    which answers first by default, left out): a proven optimal plan the validator passes, the
    same byte for byte (timing apart) when solved again."""
    monkeypatch.setattr(relaxation, "_chain_optimum", lambda *_: None)
    athlete, rules = load_athlete(runner.discover(["w12-r5"])[0])
    first, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    second, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=15)
    assert first.status == "optimal" and first.objective == first.bound
    assert validate_plan(athlete, first, rules) == []
    assert first.model_dump(exclude={"solve_seconds"}) == second.model_dump(exclude={"solve_seconds"})


def test_a_path_keeping_v2_above_the_priced_bound_starts_cp_sats_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """w26-r1 with its A race a week earlier (a what-if benchmark scenario): V2's pricing ends
    below its best path that keeps V2, so CP-SAT answers, its search started from that path;
    it proves the relaxation's own optimum, as the default search does with room to spare."""
    data = read_mapping(runner.discover(["w26-r1"])[0], what="athlete")
    data["races"][0]["date"] = "2027-04-17"
    skeleton = build_skeleton(*athlete_from_mapping(data))
    priced: list[PricedChain | None] = []
    hints: list[list[int]] = []
    price, solve_in_phases = relaxation._priced_chain, relaxation._solve_in_phases

    def pricing(*args, **kwargs):
        priced.append(price(*args, **kwargs))
        return priced[-1]

    def phases(model: cp_model.CpModel, training: list[cp_model.IntVar], *args, **kwargs) -> VolumeRelaxation:
        hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values, strict=True))
        hints.append([hint.get(variable.index) for variable in training])
        return solve_in_phases(model, training, *args, **kwargs)

    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=SEASON_LIMIT, seed=0)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "_priced_chain", pricing)
        patch.setattr(relaxation, "_solve_in_phases", phases)
        answer = solve_volume_relaxation(skeleton, deterministic_limit=SEASON_LIMIT, seed=0,
                                         profiles=bound.weeks.per_week)
    with monkeypatch.context() as patch:
        patch.setattr(relaxation, "PHASES", DEFAULT_SEARCH)
        reference = solve_volume_relaxation(skeleton, deterministic_limit=20.0, seed=0, profiles=bound.weeks.per_week)
    keeping = priced[0].keeping if priced and priced[0] is not None else None
    assert keeping is not None and keeping.value > priced[0].bound  # the pricing proved less than its path
    assert hints == [list(keeping.training)]
    assert answer.status == reference.status == cp_model.OPTIMAL
    assert answer.bound == reference.bound == keeping.value


#: A runner whose other runs sit at P14's 90-minute cap while the long run starts at 90 and
#: may grow 15 minutes a week (V5), with 540 current minutes (so V1 is far from binding), and a
#: Saturday B 5k in week 14: the weeks the capacity cap decides. From a generated 52-week
#: season (2026-11-29) that got no plan at --time-limit 60.
WEEKEND_CLASH: dict[str, Any] = {
    "name": "weekend clash", "level": "advanced", "age": 61,
    "season": {"start": "2027-01-04", "end": "2027-04-25"},
    "volume": {"current_weekly_minutes": 540, "peak_weekly_minutes": 660, "current_long_run_minutes": 90},
    "runs_per_week": {"min": 3, "max": 4},
    "strength": {"sessions_per_week": 2, "equipment": "home", "plyometrics": True},
    "races": [{"name": "B 5k", "date": "2027-04-10", "distance": "5k", "priority": "B"}],
    "availability": {"mon": 120, "tue": 75, "wed": 0, "thu": 90, "fri": 0, "sat": 90, "sun": 180},
    "preferences": {"long_run_day": "sun", "quality_days": ["tue", "thu"], "rest_days": ["wed"]},
}


def most_units_in(season: SeasonModel, week: int) -> int:
    """The most training units week ``week`` holds in any plan of the full model (proven)."""
    model = season.model.clone()
    model.clear_hints()
    model.maximize(season.variables.training[week])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_week_capacity_holds_one_long_run_grown_by_v5() -> None:
    """The capacity cap lets one run a week (the long run) exceed P14's cap beside it, and
    only as far as V5 lets the long run grow since the plan began: 105 + 3 x 90 = 375 minutes
    in week 1, 390 in week 2, as the full model proves. Before, every day could hold V4's
    180-minute long run, and the relaxation asked 450 minutes of weeks that hold 390-420.
    Never below what the full model holds (a relaxation loses no plan)."""
    athlete, rules = athlete_from_mapping(WEEKEND_CLASH)
    skeleton = build_skeleton(athlete, rules)
    assert [relaxation.longest_long_run_units(skeleton, week) * UNIT for week in (0, 1, 5, 6)] == [105, 120, 180, 180]
    # Its first three weeks alone (the full model's maximum is slow to prove on 16).
    three_weeks = athlete_from_mapping({**WEEKEND_CLASH, "races": [], "season": {"start": "2027-01-04",
                                                                                 "end": "2027-01-24"}})
    season = build_season_model(build_skeleton(*three_weeks))
    for week, minutes in enumerate((375, 390, 405)):
        assert relaxation.week_capacity_units(skeleton, week) == most_units_in(season, week) == minutes // UNIT


def test_week_capacity_without_v5_or_p3_reads_only_the_rules_posted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule left out of the model (tests drop one to see it bind) is left out of the cap: without
    V5 the long run may take V4's cap from week 1; without P3 (at most one long run) every
    run may."""
    athlete, rules = athlete_from_mapping(WEEKEND_CLASH)
    skeleton = build_skeleton(athlete, rules)
    monkeypatch.delitem(HARD_RULES, "V5")
    assert relaxation.longest_long_run_units(skeleton, 0) * UNIT == 180
    assert relaxation.week_capacity_units(skeleton, 0) * UNIT == 180 + 3 * 90
    monkeypatch.delitem(HARD_RULES, "P3")
    assert relaxation.week_capacity_units(skeleton, 0) * UNIT == 180 + 120 + 90 + 90


@pytest.mark.parametrize(("availability", "runs", "minutes"), [
    ({"sun": 120}, (1, 4), 45),  # the long run alone: V4's 50 % never below the shortest long run (beginner's)
    ({"wed": 90, "sun": 150}, (2, 2), 180),  # a long run at most half the week: 90 + 90
    ({"mon": 30, "wed": 45, "sun": 150}, (3, 3), 150),  # 30 + 45 + a long run of 75, half of 150
    ({"mon": 90, "tue": 90, "wed": 90, "thu": 90, "sun": 180}, (5, 5), 510),  # 30 %: 360 + 150, not 360 + 180
])
def test_week_capacity_keeps_the_long_runs_share_of_the_week(availability: dict[str, int], runs: tuple[int, int],
                                                             minutes: int) -> None:
    """V4 holds the long run to a share of the week, which caps weeks of few or short other runs:
    one run a week (the long run, P3) at the shortest long run, where the runs' own lengths
    allowed 120, and the volume notes said "at most 120" of weeks no plan takes above 60. Each
    figure is what the full model holds at most (proven), never less (a relaxation loses no
    plan). A beginner, whom P4 asks no quality session (with one, V6's share and V4's leave two
    runs no plan)."""
    days = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 0) | availability
    athlete, rules = athlete_from_mapping({
        "name": "few runs", "level": "beginner", "age": 30, "season": {"start": "2027-01-04", "end": "2027-01-17"},
        "volume": {"current_weekly_minutes": 600, "peak_weekly_minutes": 900, "current_long_run_minutes": 180},
        "runs_per_week": {"min": runs[0], "max": runs[1]}, "strength": {"sessions_per_week": 0},
        "availability": days})
    skeleton = build_skeleton(athlete, rules)
    assert relaxation.week_capacity_units(skeleton, 0) * UNIT == minutes
    assert relaxation.long_run_share_caps(skeleton, 0)
    assert most_units_in(build_season_model(skeleton), 0) * UNIT == minutes


#: A tighter V2 than RULES.md's 1.3 (a coach's setting): the relaxation level 2 proves slowly.
V2_TIGHT: dict[str, Any] = {
    "name": "V2 1.1", "level": "intermediate", "age": 24,
    "season": {"start": "2027-01-04", "end": "2027-07-04"},
    "volume": {"current_weekly_minutes": 200, "peak_weekly_minutes": 360},
    "runs_per_week": {"min": 4, "max": 5}, "strength": {"sessions_per_week": 0},
    "races": [{"name": "half", "date": "2027-06-12", "distance": "half", "priority": "A"}],
    "availability": {"mon": 60, "tue": 75, "wed": 60, "thu": 75, "fri": 0, "sat": 90, "sun": 150},
    "rules": {"V2": {"max_ratio": 1.1}},
}


def test_a_tight_v2_relaxation_is_answered_at_the_default_level_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """With V2 at 1.1, V2 reshapes the season's curve: the chain's path (V2 left out) breaks it
    in 10 weeks. Level 2 did not prove the relaxation within --time-limit 15's share (1.5
    units; it needed 1.62), and the season ended at 592 against a bound of 352; CP-SAT's default
    level proved it in 0.63 units. Such a relaxation is answered at the default level alone
    (``V2_RESHAPED_PHASES``): the bound is the season's optimum, 582, proven at --time-limit 10
    (663 / 281 with level 2 first). Since O1's early deloads pay how far the week before ran
    above the curve, level 2 alone needs 1.46 units, just within the share, and the default
    level 0.43: still over three times less."""
    athlete, rules = athlete_from_mapping(V2_TIGHT)
    skeleton = build_skeleton(athlete, rules)
    bound = season_lower_bound(build_season_model(skeleton), deterministic_limit=SEASON_LIMIT, seed=0)
    assert bound.volume.status == cp_model.OPTIMAL and bound.value == 582
    chain = solve_chain(skeleton, bound.weeks.per_week, **relaxation.chain_caps(skeleton))
    assert chain is not None and weeks_breaking_v2(skeleton, chain.training) == 10 >= relaxation.V2_RESHAPED_WEEKS
    level_2_alone = (relaxation.GLIMPSE, replace(relaxation.PHASES[1], share=None))
    monkeypatch.setattr(relaxation, "V2_RESHAPED_PHASES", level_2_alone)
    alone = solve_volume_relaxation(skeleton, deterministic_limit=VOLUME_SHARE * SEASON_LIMIT, seed=0,
                                    profiles=bound.weeks.per_week)
    assert alone.status != cp_model.OPTIMAL or alone.deterministic_time > 2 * bound.volume.deterministic_time
    monkeypatch.undo()
    plan, _ = solve_skeleton(skeleton, time_limit=10.0)
    assert (plan.status, plan.objective) == ("optimal", 582)
    assert validate_plan(athlete, plan, rules) == []

