"""Week profiles as staircases, and what rules over several weeks say about one week alone.

The volume relaxation charges each week what its profile promises at the week's volume, so a
profile must never promise more than the week can do there (or the bound passes the optimum),
and the closer it follows the week, the fewer plans the main search has to rule out itself.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from plan_builders import START, make_athlete

from benchmarks import runner
from periodize.loading import load_athlete
from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
from periodize.solver import season_bound
from periodize.solver.model import build_season_model
from periodize.solver.relaxation import most_training_units, week_profile_penalty
from periodize.solver.season_bound import season_lower_bound
from periodize.solver.solve import solve_skeleton
from periodize.solver.week_slices import project_constraint
from periodize.solver.weeks import (
    PairGain,
    WeekProfile,
    WeekRelaxations,
    _staircase,
    week_profile,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_staircase_bounds_every_volume_and_is_exact_where_each_step_ends() -> None:
    """The marathon example's B-race week is so full that each few minutes more push out a
    strength session or a preferred rest day: its penalty climbs in steps above its best range.
    At every volume the staircase promises no more than the week alone pays, and where a step
    ends it promises exactly that (the old profile promised the first step's penalty up to the
    week's most minutes: 40 points short at the plan's 375)."""
    athlete, rules = load_athlete(EXAMPLES / "marathon.yaml")
    bound = season_lower_bound(build_season_model(build_skeleton(athlete, rules)), deterministic_limit=5.0, seed=0)
    relaxations = bound.relaxations
    week_number, profile = max(enumerate(bound.weeks.per_week), key=lambda item: len(item[1].above))
    assert len(profile.above) >= 3, "the example's B-race week should climb in several steps"
    week = relaxations.weeks[week_number]

    def alone(units: int) -> int | None:
        code, value = relaxations.solver.minimize(week, week.penalty, ({week.training: 1}, units, units))
        assert code in (cp_model.OPTIMAL, cp_model.INFEASIBLE), f"week {week_number} at {units} units"
        return value if code == cp_model.OPTIMAL else None

    low, high = profile.feasible
    for units in range(low, high + 1):
        exact, promised = alone(units), profile.at(units)
        if exact is not None:
            assert promised is not None and promised <= exact, f"{units} units: promised {promised}, pays {exact}"
    for (_, least), (next_start, _) in itertools.pairwise(profile.above):
        assert alone(next_start - 1) == least, f"the step ending at {next_start - 1} units"
    assert alone(profile.best[1]) == profile.minimum


def literal_proto(weeks: list[int], domains: list[tuple[int, int]] | None = None) -> cp_model_pb2.CpModelProto:
    proto = cp_model_pb2.CpModelProto()
    for low, high in domains or [(0, 1)] * len(weeks):
        proto.variables.add().domain.extend([low, high])
    return proto


def test_projection_keeps_what_a_constraint_says_about_the_weeks_inside() -> None:
    """At most one of a set across weeks: at most one of its literals inside. A linear cap:
    the inside terms within the cap less the least the outside terms can add."""
    weeks = [0, 0, 1, 1]
    proto = literal_proto(weeks, [(0, 1), (0, 1), (0, 1), (1, 1)])
    at_most_one = cp_model_pb2.ConstraintProto()
    at_most_one.at_most_one.literals.extend([0, 1, 2])
    projected = project_constraint(proto, weeks, at_most_one, "at_most_one", {0})
    assert projected is not None and list(projected.at_most_one.literals) == [0, 1]
    assert project_constraint(proto, weeks, at_most_one, "at_most_one", {1}) is None  # one literal says nothing

    cap = cp_model_pb2.ConstraintProto()
    cap.linear.vars.extend([0, 1, 3])
    cap.linear.coeffs.extend([1, 1, 1])
    cap.linear.domain.extend([0, 1])  # x0 + x1 + x3 <= 1 with x3 fixed to 1
    projected = project_constraint(proto, weeks, cap, "linear", {0})
    assert projected is not None
    assert list(projected.linear.vars) == [0, 1] and list(projected.linear.domain) == [0, 0]


def test_projection_leaves_out_what_it_cannot_keep() -> None:
    """Enforced by a literal outside the block, a constraint says nothing about the block
    alone; a cap that the outside terms' range makes loose restricts nothing."""
    weeks = [0, 0, 1]
    proto = literal_proto(weeks)
    enforced = cp_model_pb2.ConstraintProto()
    enforced.enforcement_literal.append(2)
    enforced.linear.vars.extend([0, 1])
    enforced.linear.coeffs.extend([1, 1])
    enforced.linear.domain.extend([0, 0])  # x2 => x0 + x1 == 0
    assert project_constraint(proto, weeks, enforced, "linear", {0}) is None
    loose = cp_model_pb2.ConstraintProto()
    loose.linear.vars.extend([0, 1, 2])
    loose.linear.coeffs.extend([1, 1, 1])
    loose.linear.domain.extend([0, 2])  # with x2 at 0, x0 + x1 <= 2 holds anyway
    assert project_constraint(proto, weeks, loose, "linear", {0}) is None


def test_the_fortnight_before_an_a_race_limits_each_week_alone() -> None:
    """P11 allows one strength session in the 14 days before an A race, a window over three
    weeks here (a Sunday, a week, six days). No pair of weeks holds it, so before projections
    each week alone could keep both its sessions and the bound stopped 20 points short (280
    of 300); kept as "at most one of this week's", the week profiles reach the optimum."""
    athlete = make_athlete(6, sessions=2, races=[{"name": "Sunday 10k", "date": START + timedelta(days=41),
                                                  "distance": "10k", "priority": "A"}])
    skeleton = build_skeleton(athlete, resolve_rules(athlete))
    plan, _ = solve_skeleton(skeleton, time_limit=20.0, search="plain")
    assert plan.status == "optimal"
    bound = season_lower_bound(build_season_model(build_skeleton(athlete, resolve_rules(athlete))),
                               deterministic_limit=5.0, seed=0)
    assert bound.value == plan.objective == 300


def test_pairs_alike_in_their_weeks_differ_in_what_reaches_out_of_them() -> None:
    """Weeks 0-3 are alike, and so are the links inside pairs (0, 1) and (2, 3). A rule over
    weeks 0-2 ("at most one of the three") says "at most one of the two" to pair (0, 1), and
    nothing to pair (2, 3): the two pair models differ, so they must not share one solve (a
    shared one would claim pair (2, 3) pays what pair (0, 1) does, a bound above the optimum)."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"w{week}_chosen") for week in range(4)]
    training = [model.new_int_var(0, 10, f"w{week}_training_units") for week in range(4)]
    for first in (0, 2):
        model.add(training[first] + training[first + 1] <= 10)
    model.add_at_most_one(chosen[:3])
    relaxations = WeekRelaxations(model, [variable.index for variable in training], -sum(chosen))
    profiles = relaxations.profiles().per_week
    assert [profile.minimum for profile in profiles] == [-1, -1, -1, -1]
    gains = {gain.week: gain.gain for gain in relaxations.pair_gains(profiles)}
    assert gains == {0: 1}, "pair (0, 1) pays one more than its weeks alone; pair (2, 3) does not"


def test_a_pair_dearer_at_the_relaxations_volumes_than_in_its_best_ranges_carries_its_profiles() -> None:
    """Week 0 may take its session and week 1 its own, but not both once week 0 runs 8 units
    or more (a link like P11's fortnight, which binds only where the weeks' minutes leave no
    other day). Over both best ranges (0-10 each) the pair pays nothing beyond its weeks, so
    its gain is 0; at 9 and 5 units it pays 1 more. Asked there, the pair gets its own
    profiles (the pair's least penalty against each week's units, the other's free), and the
    volume relaxation charges the extra exactly where week 0 reaches 8 units."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"w{week}_chosen") for week in range(2)]
    training = [model.new_int_var(0, 10, f"w{week}_training_units") for week in range(2)]
    high = model.new_bool_var("w0_high")
    model.add(training[0] >= 8).only_enforce_if(high)
    model.add(training[0] <= 7).only_enforce_if(~high)
    model.add_bool_or([~high, ~chosen[0], ~chosen[1]])
    relaxations = WeekRelaxations(model, [variable.index for variable in training], -sum(chosen))
    profiles = relaxations.profiles().per_week
    assert [profile.minimum for profile in profiles] == [-1, -1]
    assert relaxations.pair_gains(profiles) == ()
    assert relaxations.pair_gains(profiles, at=(5, 5)) == (), "at 5 units the pair pays what its weeks do"
    (asked,) = relaxations.pair_gains(profiles, at=(9, 5))
    assert (asked.week, asked.gain, asked.at_volumes, asked.weight, asked.profiles) == (0, 0, 1, 1, ())
    (gain,) = relaxations.pair_profiles([asked])
    first, second = gain.profiles
    assert [first.at(units) for units in (0, 7, 8, 10)] == [-2, -2, -1, -1]
    assert [second.at(units) for units in (0, 10)] == [-2, -2], "week 0 free can stay under 8"

    relaxed = cp_model.CpModel()
    units = [relaxed.new_int_var(0, 10, f"w{week}_training_units") for week in range(2)]
    ctx = SimpleNamespace(model=relaxed, variables=SimpleNamespace(training=units))
    charges, gains = week_profile_penalty(ctx, profiles, [gain])  # type: ignore[arg-type]
    relaxed.minimize(sum(charges) + gains)
    for first_units, least in ((9, -1), (8, -1), (7, -2), (0, -2)):
        fixed = relaxed.clone()
        fixed.add(units[0] == first_units)
        solver = cp_model.CpSolver()
        assert solver.solve(fixed) == cp_model.OPTIMAL
        assert round(solver.objective_value) == least, f"week 0 at {first_units} units"


def test_a_side_whose_first_step_is_unproven_stays_open_at_the_minimum() -> None:
    """Where the first step's solve runs out of budget, the week can still go beyond its best
    range: the staircase gives that side one step at the week's minimum (not an empty side,
    which would say the week cannot go there). The volume relaxation then lets it, at the
    minimum, and a pair gain (valid only while both weeks stay in their best ranges) sees it
    leave."""

    class OutOfBudget:
        def minimize(self, *_: object) -> tuple[int, None]:
            return cp_model.UNKNOWN, None

    week = SimpleNamespace(penalty={0: 1}, training=1)
    assert _staircase(OutOfBudget(), week, {1: 1}, (0, 10), 4, -1, 3) == ((3, 3),)  # type: ignore[arg-type]
    assert _staircase(OutOfBudget(), week, {1: 1}, (0, 10), 6, 1, 3) == ((7, 3),)  # type: ignore[arg-type]
    assert _staircase(OutOfBudget(), week, {1: 1}, (0, 10), 10, 1, 3) == ()  # type: ignore[arg-type]

    model = cp_model.CpModel()
    training = [model.new_int_var(0, 10, f"w{week}_training_units") for week in range(2)]
    ctx = SimpleNamespace(model=model, variables=SimpleNamespace(training=training))
    unproven = WeekProfile(minimum=3, feasible=(0, 10), best=(4, 6), below=((3, 3),), above=((7, 3),))
    charges, gains = week_profile_penalty(ctx, [unproven, unproven], [PairGain(0, 5)])  # type: ignore[arg-type]
    model.minimize(sum(charges) + gains)
    for units in (0, 10):
        fixed = model.clone()
        fixed.add(training[0] == units)
        solver = cp_model.CpSolver()
        assert solver.solve(fixed) == cp_model.OPTIMAL, f"{units} units"
        assert round(solver.objective_value) == 6, f"{units} units: the minimum twice, and no pair gain"


def test_posting_each_weeks_most_units_changes_no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The week profiles' solve for a week's most training units gets the cap the rules imply
    (``relaxation.most_training_units``), which w26-r1's first base week after recovery takes
    1,481 conflicts to prove alone: every profile stays what it is without it, the cap is the
    most units where it binds, and the solved plan keeps every cap."""
    athlete, rules = load_athlete(runner.discover(["w26-r1"])[0])
    skeleton = build_skeleton(athlete, rules)
    caps = most_training_units(skeleton)
    with_caps = season_lower_bound(build_season_model(skeleton), deterministic_limit=3.75, seed=0)
    with monkeypatch.context() as patch:
        patch.setattr(season_bound, "most_training_units", lambda _: [])
        without = season_lower_bound(build_season_model(skeleton), deterministic_limit=3.75, seed=0)
    assert with_caps.weeks.per_week == without.weeks.per_week
    assert any(profile.feasible[1] == cap for profile, cap in zip(with_caps.weeks.per_week, caps, strict=True))
    plan, _ = solve_skeleton(skeleton, time_limit=15)
    assert all(cap is None or week.training_minutes <= 5 * cap for week, cap in zip(plan.weeks, caps, strict=True))


def test_a_profile_without_steps_promises_no_more_than_the_week_and_stays_open() -> None:
    """Past its share of the budget (``season_bound.PROFILES_SHARE``) a week's profile is its
    feasible and best ranges only: outside the best range it promises the week's minimum, no
    more than the week pays at any volume and no more than the staircase promises, and each side
    the week can reach stays open (an empty side would say the week cannot go there)."""
    athlete, rules = load_athlete(EXAMPLES / "marathon.yaml")
    bound = season_lower_bound(build_season_model(build_skeleton(athlete, rules)), deterministic_limit=5.0, seed=0)
    relaxations = bound.relaxations
    week_number, full = max(enumerate(bound.weeks.per_week), key=lambda item: len(item[1].above))
    week = relaxations.weeks[week_number]
    flat = week_profile(relaxations.solver, week, most_steps=0)
    assert (flat.minimum, flat.feasible, flat.best) == (full.minimum, full.feasible, full.best)
    assert flat.above == ((full.best[1] + 1, full.minimum),) and len(full.above) >= 3
    for units in range(full.feasible[0], full.feasible[1] + 1):
        code, exact = relaxations.solver.minimize(week, week.penalty, ({week.training: 1}, units, units))
        promised = flat.at(units)
        assert promised is not None and promised <= (full.at(units) or 0)
        if code == cp_model.OPTIMAL:
            assert exact is not None and promised <= exact


def test_a_re_plans_week_profiles_leave_its_first_plan_a_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-plan (O5) makes most weeks distinct, each with steps around the previous plan's
    volume: the marathon example with its Spring Half a week earlier, re-planned against its
    plan at --time-limit 1, spent 0.31 units on the profiles, more than the 0.25 of its budget,
    and found no plan (season-52 likewise at 3: 1.17 of 0.75). With the staircases held to
    their share, the re-plan's own search finds a plan, which keeps every rule."""
    import periodize.solver.solve as solve_module
    from periodize.loading import athlete_from_mapping, read_mapping
    from periodize.validate import validate_plan

    path = EXAMPLES / "marathon.yaml"
    athlete, rules = load_athlete(path)
    previous, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=1)
    data = read_mapping(path)
    half = next(race for race in data["races"] if race["name"] == "Spring Half")
    half["date"] -= timedelta(days=7)
    moved, moved_rules = athlete_from_mapping(data)
    skeleton = build_skeleton(moved, moved_rules)
    season = build_season_model(skeleton, previous=previous)
    profiled = season_lower_bound(season, deterministic_limit=0.25, seed=0).relaxations.solver.spent
    with monkeypatch.context() as patch:
        patch.setattr(season_bound, "PROFILES_SHARE", float("inf"))
        assert season_lower_bound(build_season_model(skeleton, previous=previous), deterministic_limit=0.25,
                                  seed=0).relaxations.solver.spent > 0.25 > profiled

    def not_afresh(*_: object, **__: object) -> None:
        raise AssertionError("the re-plan's own search should find a plan")

    monkeypatch.setattr(solve_module, "_fresh_then_stable", not_afresh)
    plan, _ = solve_skeleton(skeleton, time_limit=1, previous=previous)
    assert plan.status in ("optimal", "feasible") and validate_plan(moved, plan, rules=moved_rules) == []
    assert plan.objective_terms["O5"] > 0
