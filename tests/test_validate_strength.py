"""The validator's strength checks (S1-S5): a prescribed plan that breaks one rule is reported
with exactly that code, and every solved plan passes them.

One solved 8-week season (an A 10k in week 8, so the last weeks are in-season and a running
deload falls inside) is shared by the tests and mutated one rule at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache

import pytest
from plan_builders import START, make_athlete

from periodize.models.athlete import Athlete
from periodize.models.plan import Exercise, Plan, SessionKind, StrengthSession
from periodize.season import build_skeleton
from periodize.solver.solve import solve_athlete
from periodize.strength.phase import StrengthPhase, strength_phase
from periodize.strength.templates import PLYO_PREFIX, WARMUP_PREFIX
from periodize.validate import validate_plan


@cache
def solved() -> tuple[Athlete, Plan]:
    race_day = START + timedelta(days=7 * 9 + 6)
    athlete = make_athlete(10, sessions=2, current=280, races=[
        {"name": "Goal 10k", "date": race_day, "distance": "10k", "priority": "A"}])
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    return athlete, plan


def codes(athlete: Athlete, plan: Plan) -> set[str]:
    return {violation.code for violation in validate_plan(athlete, plan)}


def first_session(plan: Plan, where: Callable[[int, StrengthSession], bool]) -> StrengthSession:
    """The first strength session (in a deep copy's plan) for which ``where(week, session)``."""
    for index, week in enumerate(plan.weeks):
        for day in week.days:
            if day.strength is not None and where(index, day.strength):
                return day.strength
    raise AssertionError("no such session in the solved plan")


def lift(session: StrengthSession, index: int = 0) -> Exercise:
    return [e for e in session.exercises if not e.name.startswith((WARMUP_PREFIX, PLYO_PREFIX))][index]


def test_solved_plan_passes_strength_checks() -> None:
    athlete, plan = solved()
    assert validate_plan(athlete, plan) == []


def break_rir(plan: Plan, athlete: Athlete) -> None:
    lift(first_session(plan, lambda w, s: s.dose == "normal")).reps_in_reserve = "0"


def break_load(plan: Plan, athlete: Athlete) -> None:
    lift(first_session(plan, lambda w, s: s.session == SessionKind.A and s.dose == "normal")).load_change_pct = 7.5


def break_in_season_sets(plan: Plan, athlete: Athlete) -> None:
    skeleton = build_skeleton(athlete)
    session = first_session(plan, lambda w, s: s.dose == "normal" and s.session == SessionKind.A
                            and strength_phase(skeleton, w) != StrengthPhase.off_season)
    lift(session, 1).sets += 1  # split squat 3 -> 4: inside S2's one-extra-set, above the low end


def break_busy_accessory(plan: Plan, athlete: Athlete) -> None:
    """Turn a normal week's A + B into the busy pair (full + short, valid for P10), then give
    the full session an accessory."""
    week = next(w for w in plan.weeks if not w.deload and sum(1 for d in w.days if d.strength
                                                              and d.strength.dose == "normal") == 2)
    for day in week.days:
        if day.strength is None:
            continue
        warmup = day.strength.exercises[0]
        if day.strength.session == SessionKind.A:
            day.strength.session, day.strength.minutes = SessionKind.full, 40
            day.strength.exercises = [warmup, Exercise(name="Trap-bar deadlift or barbell deadlift", sets=3,
                                      reps="4-6", reps_in_reserve="1-3"),
                                      Exercise(name="Core anti-rotation (Pallof press)", sets=2, reps="8-12/side",
                                               reps_in_reserve="1-3")]
        else:
            day.strength.session, day.strength.minutes = SessionKind.short, 20
            day.strength.exercises = [warmup]


def break_plyometrics(plan: Plan, athlete: Athlete) -> None:
    session = first_session(plan, lambda w, s: s.dose == "normal")
    session.exercises.append(Exercise(name=PLYO_PREFIX + "pogo hops", sets=2, reps="10"))


@pytest.mark.parametrize(("code", "mutate"), [
    ("S1", break_rir), ("S2", break_load), ("S3", break_in_season_sets), ("S4", break_busy_accessory),
    ("S5", break_plyometrics),
], ids=["S1", "S2", "S3", "S4", "S5"])
def test_breaking_one_strength_rule_reports_its_code(code: str, mutate: Callable[[Plan, Athlete], None]) -> None:
    athlete, plan = solved()
    broken = plan.model_copy(deep=True)
    mutate(broken, athlete)
    assert codes(athlete, broken) == {code}


def test_running_deload_with_a_normal_dose_session_is_s2() -> None:
    athlete, plan = solved()
    broken = plan.model_copy(deep=True)
    deload_weeks = [w for w in broken.weeks if w.deload and any(d.strength for d in w.days)]
    assert deload_weeks, "the 8-week build has a running deload with strength"
    session = next(d.strength for d in deload_weeks[0].days if d.strength)
    session.dose = "normal"
    assert codes(athlete, broken) == {"S2"}


def test_sessions_without_exercises_are_placement_only() -> None:
    athlete, plan = solved()
    bare = plan.model_copy(deep=True)
    for week in bare.weeks:
        for day in week.days:
            if day.strength is not None:
                day.strength.exercises = []
    assert validate_plan(athlete, bare) == []
