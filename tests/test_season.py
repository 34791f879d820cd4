"""Season skeleton facts that rules read: here, V8's recovery length and a race's minutes at
their rounding edges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from periodize.models.athlete import Athlete, Level, Race
from periodize.season import build_skeleton, miles_raced, race_minutes, round_half_up
from periodize.solver.solve import solve_athlete
from periodize.validate import validate_plan
from tests.plan_builders import START, make_athlete

#: A race distance of exactly 2.5 miles (KM_PER_MILE = 1.609).
TWO_AND_A_HALF_MILES_KM = 4.0225


@pytest.mark.parametrize(("value", "expected"), [(2.5, 3), (4.5, 5), (3.49, 3), (3.5, 4), (0.0, 0)])
def test_halves_round_up_not_to_even(value: float, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(("km", "miles"), [(5, 3), (10, 6), (21.0975, 13), (42.195, 26), (TWO_AND_A_HALF_MILES_KM, 3)])
def test_miles_raced(km: float, miles: int) -> None:
    assert miles_raced(km) == miles


@pytest.mark.parametrize(("km", "level", "minutes"), [(6, Level.advanced, 29), (10, Level.intermediate, 58),
                                                    (10, Level.advanced, 48), (5, Level.beginner, 35)])
def test_race_minutes_round_halves_up_as_miles_do(km: float, level: Level, minutes: int) -> None:
    """6 km at 4.75 min/km is 28.5 minutes: 29, where round() gave the even 28."""
    race = Race.model_validate({"name": "Race", "date": START, "distance": km, "priority": "C"})
    assert race_minutes(race, level) == minutes


def recovery_window_days(km: float, priority: str, rules: dict | None = None) -> int:
    race_day = START + timedelta(days=13)
    athlete = make_athlete(4, races=[{"name": "Race", "date": race_day, "distance": km, "priority": priority}],
                           rules=rules)
    skeleton = build_skeleton(athlete)
    [race] = skeleton.races
    window = skeleton.recovery(race)
    return window.last - window.first + 1


def test_a_race_of_two_and_a_half_miles_recovers_three_days_not_two() -> None:
    """V8 "one day per mile raced": a tie between 2 and 3 days takes the longer, safer one
    (Python's round() would give 2)."""
    assert recovery_window_days(TWO_AND_A_HALF_MILES_KM, "A") == 3


def test_a_half_day_share_of_an_override_rounds_up() -> None:
    """days_per_mile 1.5 on a 5k (3 miles) is 4.5 days: 5, not round()'s 4."""
    assert recovery_window_days(5, "A", {"V8": {"days_per_mile": 1.5}}) == 5


def test_b_race_is_half_the_a_days_rounded_up() -> None:
    assert recovery_window_days(TWO_AND_A_HALF_MILES_KM, "B") == 2  # ceil(3 / 2)
    assert recovery_window_days(21.0975, "B") == 7  # ceil(13 / 2)


def athlete_without_end(races: list[dict]) -> Athlete:
    data = make_athlete(4, races=races).model_dump(mode="json", by_alias=True, exclude_none=True)
    del data["season"]["end"]
    return Athlete.model_validate(data)


def test_the_season_ends_after_the_longest_running_recovery_not_only_the_last_races() -> None:
    """A C 10k two days after an A half (its recovery 2 days) had ended the season in the
    half's week, six days into its 13-day recovery; the season now plans all of it."""
    half_day = START + timedelta(days=13)  # a Sunday
    half = {"name": "Goal Half", "date": half_day, "distance": "half", "priority": "A"}
    ten_k = {"name": "Parkrun 10k", "date": half_day + timedelta(days=2), "distance": "10k", "priority": "C"}
    skeleton = build_skeleton(athlete_without_end([half, ten_k]))
    half_race = next(race for race in skeleton.races if race.name == "Goal Half")
    recovery = skeleton.recovery(half_race)
    assert recovery.last - recovery.first + 1 == 13 and recovery.last < skeleton.n_days
    assert skeleton.n_days == 7 * 4  # the half's recovery ends in week 4
    alone = build_skeleton(athlete_without_end([half]))
    assert alone.n_days == skeleton.n_days


def test_the_minimum_week_is_on_the_five_minute_grid() -> None:
    """V6 at 7 % lets a 30-minute quality session into a week of 429 minutes or more, which no
    plan can hold (training minutes come in 5-minute steps). The minimum week was 429, so V1's
    and V3's floors capped weeks at 429 while every normal week needed 430, and the season had
    no plan; at 430 it solves, and the validator agrees."""
    athlete = make_athlete(8, current=430, peak=600, rules={"V6": {"max_share_pct": 7}})
    skeleton = build_skeleton(athlete)
    assert skeleton.v6_week_for_quality(1) == 429 and skeleton.minimum_week == 430
    plan = solve_athlete(athlete, time_limit=5)
    assert plan.status == "optimal" and validate_plan(athlete, plan) == []
    assert any(week.deload and week.training_minutes == 430 for week in plan.weeks)  # V3's floor, held


def test_the_minimum_week_counts_the_long_run_as_the_weeks_longest() -> None:
    """A quality session set longer than the shortest long run: P3 makes the long run at least
    75 too, so a normal week holds at least 75 + 75 + 2 x 20 = 190 minutes (V4's 40 % of it asks
    188). RULES.md's formula gave 175, V3's deload was capped there, below any normal week, and
    the season had no plan (rules-override fuzz)."""
    athlete = make_athlete(10, runs=(4, 5), current=180, peak=200, rules={"P14": {"quality_min": 75, "tempo_min": 75},
                                                                         "V6": {"max_share_pct": 50}})
    assert build_skeleton(athlete).minimum_week == 190
    assert build_skeleton(make_athlete(10, runs=(4, 5))).minimum_week == 60 + 30 + 2 * 20  # the formula's, at the defaults
    plan = solve_athlete(athlete, time_limit=5)
    assert plan.status in ("optimal", "feasible") and validate_plan(athlete, plan) == []


WEEKDAYS_OFF = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 0)


@pytest.mark.parametrize(("days", "runs", "held"), [
    ({"sat": 120, "sun": 150}, 2, 0),  # a weekend runner: the long run beside any other hard day
    ({"sun": 150, "mon": 60}, 2, 0),  # Sunday's long run sits beside next Monday every week
    ({"mon": 60, "sat": 120, "sun": 150}, 3, 1),  # long Saturday, quality Monday: two days apart
    # Room for two, but two runs a week: one beside the long run by the days, and none by V4's
    # and V6's shares (the long run at least three times the quality run, and at most as long).
    ({"tue": 60, "thu": 60, "sun": 150}, 2, 0),
    ({"tue": 60, "thu": 60, "sun": 150}, 3, 1),  # two quality runs of 30 ask 240 minutes (V6): a long run of 180, over V4's 50 %
    ({"tue": 60, "thu": 60, "sat": 60, "sun": 150}, 4, 2),
    ({"tue": 25, "thu": 60, "sun": 150}, 3, 1),  # 25 minutes hold no 30-minute quality session
])
def test_quality_sessions_the_weekly_days_hold_beside_the_long_run(days: dict[str, int], runs: int, held: int) -> None:
    """README, P4 readings: P4's lower bound is at most what the athlete's week holds beside
    its long run, no two hard days in a row (P2), Sunday beside the next Monday."""
    athlete = make_athlete(4, runs=(2, runs), availability={**WEEKDAYS_OFF, **days},
                           rules={"P4": {"min_sessions": 2, "max_sessions": 2}})
    skeleton = build_skeleton(athlete)
    assert skeleton.quality_sessions_required == held
    assert build_skeleton(make_athlete(4)).quality_sessions_required == 1  # RULES.md's 1 where the week has room


@pytest.mark.parametrize(("runs", "rules", "held"), [
    ((2, 2), {}, 0),  # a long run and a quality run: V4's 50 % and V6's 25 % cannot both hold
    ((2, 3), {}, 1),  # a third run, an easy one, makes the week long enough
    ((2, 2), {"V4": {"share_pct_3_or_fewer": 80}}, 1),  # the shares the athlete set leave room
    ((2, 2), {"V6": {"max_share_pct": 2}}, 1),  # V6 alone too small for a session: refused as before
])
def test_p4_asks_only_the_quality_sessions_v4_and_v6_leave_room_for(runs: tuple[int, int], rules: dict[str, Any],
                                                                      held: int) -> None:
    """README, P4 readings: a runner of two runs a week with 45-minute weekdays (a long run, P3,
    and a quality session, P4) had no plan, as V4's share makes the quality run at least as long
    as the long run and V6's the long run three times the quality run. P4 asks only what the
    shares leave room for; where V6 alone leaves none, the athlete's number, it is kept."""
    days = {"mon": 45, "tue": 45, "wed": 45, "thu": 45, "fri": 45, "sat": 120, "sun": 150}
    athlete = make_athlete(6, runs=runs, current=150, peak=240, long=75, availability=days, rules=rules)
    assert build_skeleton(athlete).quality_sessions_required == held
