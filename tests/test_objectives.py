"""O1's reading of a deload week (``objectives.deload_o1_minutes``): deloads come where V3 asks.

Measured against its lowered target alone, a deload week cost less than a loading week short
of the phase curve, so plans ramping toward the curve deloaded every other week (generated
raceless athletes: 12 deloads in 25 normal weeks). A due deload (after V3's loading weeks) also
pays the week before's distance from the curve, plus one minute; an early deload is measured
against the full curve, plus one minute, since a lighter week could otherwise still pay for
itself in placement penalties (3 of 30 generated athletes deloaded every other week on the
hold alone), plus how far the week before ran above the curve, since a dip back toward it
had cost less than loading (a curve below the minimum week, ramping).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_builders import START, make_athlete, make_plan

from benchmarks.batch_throughput import athletes
from periodize.explain.binding import loading_weeks_before, week_objective
from periodize.explain.penalties import penalty_reasons
from periodize.loading import athlete_from_mapping
from periodize.models.athlete import Athlete
from periodize.models.rules import resolve_rules
from periodize.season import build_skeleton
from periodize.solver.rules.objectives import (
    deload_due,
    deload_hold,
    deload_o1_minutes,
    deload_target,
)
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan


def test_deload_hold_is_the_week_before_distance_from_the_curve_plus_one() -> None:
    assert deload_hold(357, 355, due=True) == 3
    assert deload_hold(357, 400, due=True) == 44
    assert deload_hold(300, 300, due=True) == 1
    # An early deload's: only how far the week before ran above the curve.
    assert deload_hold(357, 355, due=False) == 1
    assert deload_hold(357, 400, due=False) == 44


def test_a_deload_is_due_after_v3s_loading_weeks() -> None:
    rules = resolve_rules(make_athlete(12))
    assert [deload_due(rules, loading) for loading in range(5)] == [False, False, False, True, True]
    masters = resolve_rules(make_athlete(12, age=52))
    assert [deload_due(masters, loading) for loading in range(4)] == [False, False, True, True]


def test_a_due_deload_aims_at_its_lowered_target_and_an_early_one_at_the_curve() -> None:
    athlete = make_athlete(12)
    skeleton = build_skeleton(athlete, resolve_rules(athlete))  # deload_pct 70
    assert skeleton.minimum_week < 250
    # Due: |250 - 250| + |355 - 357| + 1.
    assert deload_o1_minutes(skeleton, 357, 250, 355, due=True) == 3
    # Early: the whole dip below the curve, plus one, wherever the week before sat below the curve.
    assert deload_o1_minutes(skeleton, 357, 250, 355, due=False) == 108
    assert deload_o1_minutes(skeleton, 357, 250, 200, due=False) == 108
    # Above it, a dip back toward the curve also pays how far above: never less than loading at those minutes.
    assert deload_o1_minutes(skeleton, 100, 130, 150, due=False) == 30 + 51 > abs(150 - 100)


def test_a_due_deload_aims_no_lower_than_the_minimum_week() -> None:
    """Generated beginner (batch benchmark athlete 29): a 105-minute minimum week, a 112-minute
    curve, whose 70 % (78) no normal week can reach. Aimed at 78, each due deload paid 27
    points it could not avoid, more than an early deload (8), and the plan deloaded early six
    times, twice in a row once. Aimed at the minimum week, one deload is early: after the busy
    week, which restarts V3's count, so that the peak weeks before the taper can load."""
    athlete, rules = athlete_from_mapping(athletes(30)[29])
    skeleton = build_skeleton(athlete, rules)
    assert skeleton.minimum_week == 105 and skeleton.phase_targets[0] == 112
    assert deload_target(skeleton, 112) == 105
    # A curve below the minimum week: aimed at the curve, a due deload at the minimum week paid
    # its distance above it twice (with the hold), as much as an early one; aimed at the minimum week, once.
    assert deload_target(skeleton, 80) == 105
    assert deload_o1_minutes(skeleton, 80, 105, 105, due=True) == 0 + 26
    assert deload_o1_minutes(skeleton, 80, 105, 105, due=False) == 25 + 26  # 25 above, twice
    plan, _ = solve_skeleton(skeleton, time_limit=10)
    assert plan.status == "optimal"
    assert validate_plan(athlete, plan, rules) == []
    deloads = [number for number, week in enumerate(plan.weeks) if week.deload]
    early = [week for week in deloads if loading_weeks_before(skeleton, plan, week) < 2]
    assert len(deloads) >= 5 and len(early) <= 1
    assert not any(week - 1 in deloads for week in deloads)
    assert sum(week_objective(skeleton, plan, week)["O1"] for week in range(26)) == plan.objective_terms["O1"]


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


def test_a_lighter_week_no_longer_pays_for_itself_in_placement() -> None:
    """Batch benchmark athlete 4 (26 weeks, availability caps its loading weeks at 380 minutes,
    below its curve): on the deload hold alone its plan deloaded every other week, 380 / 300 /
    380 / 300, since each lighter week cost one minute more in O1 and saved more in off-preference
    days (O4). Early deloads now pay their dip below the curve: every deload comes after V3's
    three loading weeks, and the explanation's O1 adds up to the solver's."""
    athlete, rules = athlete_from_mapping(athletes(5)[4])
    skeleton = build_skeleton(athlete, rules)
    plan, _ = solve_skeleton(skeleton, time_limit=10)
    assert plan.status == "optimal"
    assert validate_plan(athlete, plan, rules) == []
    deloads = [number for number, week in enumerate(plan.weeks) if week.deload]
    assert len(deloads) >= 5
    assert all(loading_weeks_before(skeleton, plan, week) == 3 for week in deloads)
    assert sum(week_objective(skeleton, plan, week)["O1"] for week in range(26)) == plan.objective_terms["O1"]


def test_a_curve_set_above_a_weeks_minutes_stays_a_soft_rule() -> None:
    """O1 is a penalty, never a constraint: its curve at 500 % of a 3,000-minute peak (15,000
    a week, more than a week holds) made the season infeasible, as a due deload's distance from
    the curve had been capped at a week's minutes (rules-override fuzz)."""
    athlete = make_athlete(8, runs=(5, 7), current=1200, peak=3000, long=None, availability=300,
                           rules={"O1": {"base_pct": 500}})
    rules = resolve_rules(athlete)
    plan, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=3)
    assert plan.status in ("optimal", "feasible") and validate_plan(athlete, plan, rules) == []
    assert plan.objective_terms["O1"] > 0


def test_a_curve_below_the_minimum_week_deloads_when_v3_asks() -> None:
    """A beginner of one or two runs on 45-minute days and a peak of 60: the curve (42) sits below
    the minimum week (45). The due deload had been aimed at the curve, so with the hold it paid
    the 3 minutes above it twice (7, an early deload 4), and the plan deloaded every other week.
    Aimed at the minimum week, the deloads come every third week, as V3's 2:1 asks."""
    days = {"mon": 45, "tue": 45, "wed": 45, "thu": 45, "fri": 45, "sat": 60, "sun": 0}
    athlete = make_athlete(12, level="beginner", runs=(1, 2), current=30, peak=60, long=None, sessions=2,
                           availability=days)
    rules = resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    assert skeleton.minimum_week == 45 and max(skeleton.phase_targets) < 45
    plan, _ = solve_skeleton(skeleton, time_limit=10)
    assert plan.status == "optimal" and validate_plan(athlete, plan, rules) == []
    assert [number for number, week in enumerate(plan.weeks) if week.deload] == [2, 5, 8, 11]
    assert sum(week_objective(skeleton, plan, week)["O1"] for week in range(12)) == plan.objective_terms["O1"]


def _low_curve_runner(weight: int = 1) -> Athlete:
    """A 150-minute runner whose curve starts at 90 (``O1: {base_pct: 30}``), below the minimum
    week (130), and climbs to 300 before an A half 16 weeks on."""
    days = {"mon": 60, "tue": 75, "wed": 60, "thu": 75, "fri": 0, "sat": 120, "sun": 150}
    race = {"name": "Spring Half", "date": START + timedelta(days=7 * 16 - 1), "distance": "half", "priority": "A"}
    return make_athlete(16, runs=(4, 5), current=150, peak=300, long=60, availability=days, races=[race],
                        rules={"O1": {"base_pct": 30, "weight": weight}})


#: The low-curve runner's plan solved before the reading: early deloads in weeks 2, 4, 8 and 12.
LOW_CURVE_OLD_PLAN = [
    "L60 E20 T30 E20 R R R", "L60 E20 E40 T35 R R R", "L60 E20 T30 E20 R R R", "E20 L65 E45 T40 R R R",
    "L60 E20 T30 E25 R R R", "E20 L65 E55 T45 R R R", "E20 L70 E60 T50 R R R", "E30 L75 E60 T55 R R R",
    "L60 E20 E40 T40 R R R", "E45 L75 E60 T60 R R R", "T50 E75 R E35 R L75 E25", "T40 E75 E60 R R L75 E35",
    "E25 L75 E60 T50 R R R", "T45 E75 E60 R R L75 E45", "E25 L75 E60 T50 R R R", "L60 R E60 R R Y30 X"]


def test_an_early_deload_after_a_week_above_the_curve_pays_the_distance_and_says_so() -> None:
    """The plan solved before the reading (early deloads in weeks 2, 4, 8 and 12, counted from
    0): week 2's 130 after week 1's 155, against a curve of 90, pays its 40 above the curve,
    plus the 65 the week before ran above it, plus one; explain says why."""
    athlete = _low_curve_runner()
    rules = resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    plan = make_plan(athlete, LOW_CURVE_OLD_PLAN, deload=[2, 4, 8, 12])
    assert validate_plan(athlete, plan, rules) == []
    assert (plan.weeks[1].days_training, plan.weeks[2].days_training, skeleton.phase_targets[2]) == (155, 130, 90)
    assert week_objective(skeleton, plan, 2)["O1"] == rules.O1.active_weight * (40 + 65 + 1)
    texts = [penalty.text for penalty in penalty_reasons(skeleton, plan, None) if penalty.code == "O1"]
    assert any(text.startswith("week 3 ") and text.endswith(
        "for deloading before V3 asks for it, so that it never costs less than another loading week: how far the "
        "week before ran above this week's target (155 against 90 min), plus one minute (README, O1)")
        for text in texts), texts


def test_the_deload_sentence_gives_o1s_weight_and_names_the_weeks_before_the_plan() -> None:
    """At O1 weight 2 the sentence said "O1 122 more ... (150 against 90 min), plus one minute"
    (61 minutes, the weight unsaid), and of the plan's first week "the week before" (it is
    ``current_weekly_minutes``). Week 1 deloads here too: 130, the minimum week, after 150."""
    athlete = _low_curve_runner(weight=2)
    rules = resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    plan = make_plan(athlete, LOW_CURVE_OLD_PLAN, deload=[0, 2, 4, 8, 12])
    assert validate_plan(athlete, plan, rules) == []
    texts = [penalty.text for penalty in penalty_reasons(skeleton, plan, None) if penalty.code == "O1"]
    first = [text for text in texts if text.startswith("week 1 ")]
    assert first and first[0].endswith(
        "; and O1 122 more (61 min at O1's weight 2) for deloading before V3 asks for it, so that it never costs "
        "less than another loading week: how far the weeks before the plan (volume.current_weekly_minutes) ran "
        "above this week's target (150 against 90 min), plus one minute (README, O1)"), texts


def test_a_plan_climbing_above_a_low_curve_deloads_when_v3_asks() -> None:
    """A 150-minute runner whose curve starts at 90 (``O1: {base_pct: 30}``), below the minimum
    week (130), and climbs to 300 before an A half: the weeks must run above the curve to reach
    the build's targets within V1. An early deload paid its dip against the curve plus one
    minute, less than a loading week above it, and V1's larger-of-two made it cost the ramp
    nothing: the plan deloaded in weeks 2, 4, 8 and 12, counted from 0 as below (130 / 155 / 130 deload / 170 / 135
    deload). Paying also how far the week before ran above the curve, the deloads come after V3's
    three loading weeks."""
    athlete = _low_curve_runner()
    rules = resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    assert skeleton.minimum_week == 130 and skeleton.phase_targets[0] == 90
    plan, _ = solve_skeleton(skeleton, time_limit=10)
    assert plan.status == "optimal" and validate_plan(athlete, plan, rules) == []
    deloads = [number for number, week in enumerate(plan.weeks) if week.deload]
    assert deloads == [3, 7, 11]
    assert all(loading_weeks_before(skeleton, plan, week) == 3 for week in deloads)
    assert sum(week_objective(skeleton, plan, week)["O1"] for week in range(16)) == plan.objective_terms["O1"]
