"""The validator's strength checks (S1-S5): a prescribed plan that breaks one rule is reported
with exactly that code, and every solved plan passes them.

One solved 8-week season (an A 10k in week 8, so the last weeks are in-season and a running
deload falls inside) is shared by the tests and mutated one rule at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cache

import pytest
from plan_builders import START, make_athlete

from periodize.models.athlete import Athlete
from periodize.models.plan import Exercise, Plan, SessionKind, StrengthSession
from periodize.season import build_skeleton
from periodize.solver.solve import solve_athlete
from periodize.strength.phase import StrengthPhase, strength_phase
from periodize.strength.templates import (
    PLYO_PREFIX,
    ExerciseTemplate,
    session_template,
)
from periodize.validate import validate_plan
from periodize.validate.strength import STRENGTH_CHECKS


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
    return [e for e in session.exercises if not e.name.startswith(PLYO_PREFIX)][index]


def test_solved_plan_passes_strength_checks() -> None:
    athlete, plan = solved()
    assert validate_plan(athlete, plan) == []


def break_rir(plan: Plan, athlete: Athlete) -> None:
    lift(first_session(plan, lambda w, s: s.dose == "normal")).reps_in_reserve = "0"


def break_load(plan: Plan, athlete: Athlete) -> None:
    lift(first_session(plan, lambda w, s: s.session == SessionKind.A and s.dose == "normal")).load_change_pct = 7.5


def break_in_season_sets(plan: Plan, athlete: Athlete) -> None:
    skeleton = build_skeleton(athlete)
    session = first_session(plan, lambda w, s: w == 2 and s.dose == "normal" and s.session == SessionKind.A)
    assert strength_phase(skeleton, 2) != StrengthPhase.off_season
    lift(session, 0).sets += 1  # the deadlift 3 -> 4: week 3's set (S2), above the low end in-season


def break_in_season_load(plan: Plan, athlete: Athlete) -> None:
    """Week 2 is in-season and its cycle began in week 1 at the baseline: its main lifts are
    held at 0 %, so the +2.5 % S2 would give week 2 off-season is S3's to report."""
    skeleton = build_skeleton(athlete)
    assert strength_phase(skeleton, 0) == StrengthPhase.off_season != strength_phase(skeleton, 1)
    session = first_session(plan, lambda w, s: w == 1 and s.dose == "normal" and s.session == SessionKind.A)
    assert lift(session, 0).load_change_pct == 0
    lift(session, 0).load_change_pct = 2.5


@cache
def busy_solved() -> tuple[Athlete, Plan]:
    """Six weeks; week 3 a work trip of 60 minutes a day, where A or B (45 minutes) fits only
    beside no run: the plan takes the busy pair there (S4), and A + B elsewhere."""
    athlete = make_athlete(6, sessions=2, current=280, exceptions=[
        {"from": START + timedelta(days=14), "to": START + timedelta(days=20), "minutes": 60, "note": "work trip"}])
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    return athlete, plan


def break_busy_accessory(plan: Plan, athlete: Athlete) -> None:
    """Give the busy week's full session an accessory."""
    session = first_session(plan, lambda w, s: s.session == SessionKind.full)
    session.exercises.append(Exercise(name="Core anti-rotation (Pallof press)", sets=2, reps="8-12/side",
                                      reps_in_reserve="1-3"))


def as_written(templates: Iterable[ExerciseTemplate]) -> list[Exercise]:
    """Exercises as a plan writes them, at the templates' starting sets."""
    return [Exercise(name=t.name, sets=t.starting_sets, reps=t.reps_text, reps_in_reserve="1-3") for t in templates]


def break_plyometrics(plan: Plan, athlete: Athlete) -> None:
    session = first_session(plan, lambda w, s: s.dose == "normal")
    session.exercises.append(Exercise(name=PLYO_PREFIX + "pogo hops", sets=2, reps="10"))


STRENGTH_CASES: list[tuple[str, Callable[[Plan, Athlete], None]]] = [
    ("S1", break_rir), ("S2", break_load), ("S3", break_in_season_sets), ("S3", break_in_season_load),
    ("S4", break_busy_accessory), ("S5", break_plyometrics),
]


def test_every_strength_check_has_a_breaking_case() -> None:
    """As for the hard rules: each S code the validator checks has a plan breaking only it."""
    assert {code for code, _ in STRENGTH_CASES} == set(STRENGTH_CHECKS)


@pytest.mark.parametrize(("code", "mutate"), STRENGTH_CASES, ids=["S1", "S2", "S3-sets", "S3-load", "S4", "S5"])
def test_breaking_one_strength_rule_reports_its_code(code: str, mutate: Callable[[Plan, Athlete], None]) -> None:
    # S4's sessions belong to a busy week (P10): the season with a work trip has one.
    athlete, plan = busy_solved() if code == "S4" else solved()
    assert validate_plan(athlete, plan) == []
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


def test_a_deload_that_cuts_under_30_percent_is_s2() -> None:
    """S2's deload cuts 30-40 % of the session's normal sets: one set back on an in-season
    deload Day A (13 -> 8 becomes 9, a 31 % cut) still passes; two (10 of 13, 23 %) had passed
    too, the range rounded outwards and allowing the off-season accessory set in every week."""
    athlete, plan = solved()
    skeleton = build_skeleton(athlete)

    def in_season_deload_a(week: int, session: StrengthSession) -> bool:
        return (session.dose == "deload" and session.session == SessionKind.A
                and strength_phase(skeleton, week) != StrengthPhase.off_season)

    for added, expected in ((1, set()), (2, {"S2"})):
        broken = plan.model_copy(deep=True)
        session = first_session(broken, in_season_deload_a)
        assert sum(e.sets for e in session.exercises if not e.name.startswith(PLYO_PREFIX)) == 8
        for index in range(added):  # a set back on a lift each, none above the template's low end (S3)
            lift(session, index).sets += 1
        assert codes(athlete, broken) == expected


def test_a_load_raised_in_an_in_season_deload_is_s3() -> None:
    """S3 holds the main lifts in-season; a deload week had set what its cycle reached, so +5 %
    there passed."""
    athlete, plan = solved()
    skeleton = build_skeleton(athlete)
    raised = plan.model_copy(deep=True)
    session = first_session(raised, lambda week, session: session.dose == "deload" and session.session == SessionKind.A
                            and strength_phase(skeleton, week) != StrengthPhase.off_season)
    lift(session).load_change_pct = 5.0
    assert codes(athlete, raised) == {"S3"}


def test_a_warm_up_outside_8_to_12_minutes_is_s1() -> None:
    """RULES.md: "every session starts with the 8-12 minute warm-up"; only its presence was
    checked, and a warm-up of "2 min" passed."""
    athlete, plan = solved()
    for duration, expected in (("10 min", set()), ("2 min", {"S1"}), ("8-15 min", {"S1"}), ("jog", {"S1"})):
        edited = plan.model_copy(deep=True)
        session = first_session(edited, lambda _, session: True)
        assert session.warmup is not None
        session.warmup.duration = duration
        assert codes(athlete, edited) == expected, duration


def test_a_single_reps_in_reserve_inside_the_range_is_kept() -> None:
    """"2" is within S1's 1-3 reps in reserve; it had been reported as S1. "0" is not."""
    athlete, plan = solved()
    for text, expected in (("2", set()), ("0", {"S1"}), ("1-3-5", {"S1"})):
        edited = plan.model_copy(deep=True)
        lift(first_session(edited, lambda _, session: True)).reps_in_reserve = text
        assert codes(athlete, edited) == expected, text


def light_session_before(plan: Plan, race: date) -> StrengthSession:
    """The session in the 14 days before ``race`` (P11's one light session)."""
    return next(day.strength for week in plan.weeks for day in week.days
                if day.strength is not None and race - timedelta(days=14) <= day.date < race)


def test_p11_reads_a_prescribed_sessions_lightness_from_its_sets_not_its_dose_label() -> None:
    """A Day A of a normal dose's sets labelled deload had passed P11 (only S2 said so), and
    the plan's own deload sets labelled normal had been reported under P11."""
    athlete, plan = solved()
    race = athlete.races[0].date
    assert light_session_before(plan, race).dose == "deload"
    full_sets = plan.model_copy(deep=True)
    normal = first_session(plan, lambda _, session: session.dose == "normal" and session.session == SessionKind.A)
    light_session_before(full_sets, race).exercises = [exercise.model_copy() for exercise in normal.exercises]
    # The deload label on a normal dose's sets is S2's as well; P11 must see the 13 sets.
    assert codes(athlete, full_sets) == {"P11", "S2"}
    assert any(v.code == "P11" and "A with 13 sets" in v.message and "is not light (P11)" in v.message
               for v in validate_plan(athlete, full_sets))
    relabelled = plan.model_copy(deep=True)
    light_session_before(relabelled, race).dose = "normal"
    assert codes(athlete, relabelled) == {"S2"}


def test_sessions_without_exercises_are_placement_only() -> None:
    athlete, plan = solved()
    bare = plan.model_copy(deep=True)
    for week in bare.weeks:
        for day in week.days:
            if day.strength is not None:
                day.strength.exercises = []
    assert validate_plan(athlete, bare) == []


def test_a_session_missing_its_template_lifts_or_listing_one_twice_is_s1() -> None:
    """A Day A of the warm-up and a Pallof press passed: only the exercises present were
    checked against the template."""
    athlete, plan = solved()
    broken = plan.model_copy(deep=True)
    session = first_session(broken, lambda w, s: s.session == SessionKind.A and s.dose == "normal")
    session.exercises = [e for e in session.exercises if e.name.startswith("Core")]
    found = validate_plan(athlete, broken)
    assert [v.code for v in found] == ["S1"]
    assert found[0].message == ("A session lacks Trap-bar deadlift or barbell deadlift, Split squat, Calf raise "
                                "(straight knee), Hamstring curl (machine or Nordic variation) (S1)")
    twice = plan.model_copy(deep=True)
    session = first_session(twice, lambda w, s: s.session == SessionKind.B and s.dose == "normal")
    session.exercises.append(session.exercises[-1].model_copy())
    assert [v.message for v in validate_plan(athlete, twice)] == [
        f"B session lists {session.exercises[-1].name} more than once (S1)"]


@cache
def base_solved() -> tuple[Athlete, Plan]:
    """A 7-week base season without races (all off-season): V3 at five loading weeks, so the
    strength cycle deloads on its own in week 4 (index 3) while the running deload comes in
    index 5. Cycle by index: 1, 2, 3, deload, 1, running deload, 1."""
    athlete = make_athlete(7, sessions=2, current=280, rules={"V3": {"max_loading_weeks": 5}})
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    return athlete, plan


def week_session(plan: Plan, week: int, kind: SessionKind) -> StrengthSession:
    return next(d.strength for d in plan.weeks[week].days if d.strength is not None and d.strength.session == kind)


def test_the_base_season_keeps_the_strength_cycle() -> None:
    athlete, plan = base_solved()
    assert validate_plan(athlete, plan) == []
    doses = [{d.strength.dose for d in w.days if d.strength} for w in plan.weeks]
    assert doses == [{"normal"}, {"normal"}, {"normal"}, {"deload"}, {"normal"}, {"deload"}, {"normal"}]
    assert [w.deload for w in plan.weeks] == [False] * 5 + [True, False]


def test_only_one_primary_lift_takes_one_set_above_its_range() -> None:
    """S2 week 3 adds one set to one primary lift; every lift one set above its range passed."""
    athlete, plan = base_solved()
    assert lift(week_session(plan, 2, SessionKind.A), 0).sets == 4  # cycle 1's week 3 set: the deadlift 3 -> 4
    allowed = plan.model_copy(deep=True)
    lift(week_session(allowed, 2, SessionKind.A), 0).sets = 5  # a week 1 at the range's top would lead here
    for week in (0, 1):
        lift(week_session(allowed, week, SessionKind.A), 0).sets = 4
    assert validate_plan(athlete, allowed) == []
    accessory = plan.model_copy(deep=True)
    lift(week_session(accessory, 2, SessionKind.A), 3).sets = 4  # the hamstring curl, 2-3
    assert [v.message for v in validate_plan(athlete, accessory)] == [
        "Hamstring curl (machine or Nordic variation): 4 sets, range 2-3 (S2)"]
    both_b = plan.model_copy(deep=True)  # Day B has one primary lift; two over on one A: see above
    lift(week_session(both_b, 2, SessionKind.A), 0).sets = 3  # week 3's set moves to the front squat
    session = week_session(both_b, 2, SessionKind.B)
    lift(session, 0).sets, lift(session, 2).sets = 4, 4  # front squat 3-4, Romanian deadlift 3
    assert [v.message for v in validate_plan(athlete, both_b)] == ["Romanian deadlift: 4 sets, range 3-3 (S2)"]
    two = plan.model_copy(deep=True)
    lift(week_session(two, 2, SessionKind.A), 0).sets = 6
    assert [v.message for v in validate_plan(athlete, two)] == [
        "Trap-bar deadlift or barbell deadlift: 6 sets, range 3-4 (+1 on one primary lift in week 3) (S2)"]


def test_off_season_week_2_takes_the_load_step_and_week_3_the_set() -> None:
    """S2's lower ends: "week 2 main lifts +2.5-5 % load", "week 3 one more set on one primary
    lift". Only the upper ends had been checked, so an off-season cycle of three baseline weeks
    passed; a week 1 at the top of its range and a week 3 that adds nothing passed too."""
    athlete, plan = base_solved()
    deadlift = "Trap-bar deadlift or barbell deadlift"
    flat = plan.model_copy(deep=True)
    for session in (week_session(flat, 1, SessionKind.A), week_session(flat, 1, SessionKind.B)):
        for exercise in session.exercises:
            exercise.load_change_pct = 0.0
    found = validate_plan(athlete, flat)
    assert {v.code for v in found} == {"S2"} and any(
        v.message.startswith(f"{deadlift}: load change +0 % in week 2 of the strength cycle, off-season") for v in found)
    unset = plan.model_copy(deep=True)
    lift(week_session(unset, 2, SessionKind.A), 0).sets = 3  # week 3's deadlift set taken away
    assert [(v.code, v.message.split(",")[0]) for v in validate_plan(athlete, unset)] == [
        ("S2", "no primary lift holds one more set than in week 1 in week 3 of the strength cycle")]
    topped = plan.model_copy(deep=True)  # week 1 at 4 (the range's top), week 3 at 4: nothing added
    lift(week_session(topped, 0, SessionKind.A), 0).sets = 4
    lift(week_session(topped, 1, SessionKind.A), 0).sets = 4
    assert [v.code for v in validate_plan(athlete, topped)] == ["S2"]


def test_the_cycles_first_two_weeks_hold_their_dose() -> None:
    """S2 week 1 is the baseline (no load change) and week 2 leaves the sets unchanged; the
    load and set bounds that hold in any week let a +5 % baseline and week 3's set in week 2
    pass. Week 1 is the plan's first strength week and the first after a deload."""
    athlete, plan = base_solved()
    deadlift = "Trap-bar deadlift or barbell deadlift"
    for week in (0, 4):  # the plan's first strength week; the first after the strength deload
        loaded = plan.model_copy(deep=True)
        lift(week_session(loaded, week, SessionKind.A), 0).load_change_pct = 5
        assert [v.message for v in validate_plan(athlete, loaded)] == [
            f"{deadlift}: load change +5 % in week 1 of the strength cycle (baseline) (S2)"]
    above = plan.model_copy(deep=True)
    lift(week_session(above, 0, SessionKind.A), 0).sets = 5
    assert [v.message for v in validate_plan(athlete, above)] == [
        f"{deadlift}: 5 sets, above its range in week 1 of the strength cycle; week 3 adds a set (S2)"]
    early_set = plan.model_copy(deep=True)
    session = week_session(early_set, 1, SessionKind.A)
    assert lift(session, 0).load_change_pct == 2.5  # week 2's step is in place
    lift(session, 0).sets = 4  # in the deadlift's range (3-4), but week 3's set
    assert [v.message for v in validate_plan(athlete, early_set)] == [
        f"{deadlift} (A) 4 sets, 3 in week 1: week 2 of the strength cycle keeps the sets (S2)"]
    two_lifts = plan.model_copy(deep=True)
    lift(week_session(two_lifts, 2, SessionKind.B), 0).sets = 4  # the front squat too, beside the deadlift
    assert [v.message for v in validate_plan(athlete, two_lifts)] == [
        (f"{deadlift} (A) 4 sets, 3 in week 1, Front squat or goblet squat (B) 4 sets, 3 in week 1: "
         "week 3 of the strength cycle adds one set to one primary lift (S2)")]


def test_a_fourth_strength_week_deloads_unless_the_running_deload_follows() -> None:
    """S2 week 4 deloads. A fourth week of load is allowed only right before a running deload
    (V3), so that the two deloads coincide; here the running deload is two weeks later."""
    athlete, plan = base_solved()
    broken = plan.model_copy(deep=True)
    for day in broken.weeks[3].days:
        if day.strength is not None:  # week 4 at week 2's dose
            day.strength = week_session(plan, 1, day.strength.session).model_copy(deep=True)
    found = validate_plan(athlete, broken)
    assert {v.code for v in found} == {"S2"}
    assert [(v.date, v.message) for v in found] == [
        (first_strength_day(broken, 3), "strength week 4 since the last deload; week 4 of the cycle deloads (S2)"),
        (first_strength_day(broken, 4), "strength week 5 since the last deload; week 4 of the cycle deloads (S2)"),
    ]


def first_strength_day(plan: Plan, week: int) -> date:
    return next(d.date for d in plan.weeks[week].days if d.strength is not None)


def test_an_unprescribed_session_in_a_prescribed_plan_is_s1() -> None:
    """A plan prescribes every session or none: a Day A labelled deload with no exercises, 10
    days before the A race, was P11's light session on its label alone."""
    athlete, plan = solved()
    broken = plan.model_copy(deep=True)
    session = first_session(broken, lambda w, s: s.dose == "deload")
    session.exercises = []
    found = validate_plan(athlete, broken)
    assert [v.code for v in found] == ["S1"]
    assert found[0].message.endswith("session holds no exercises, where the plan prescribes its other sessions (S1)")


def test_a_session_without_its_warm_up_is_s1() -> None:
    """RULES.md: every session starts with the 8-12 minute warm-up, the session's ``warmup``."""
    athlete, plan = base_solved()
    broken = plan.model_copy(deep=True)
    week_session(broken, 1, SessionKind.A).warmup = None
    found = validate_plan(athlete, broken)
    assert [(v.code, v.message) for v in found] == [("S1", "A session does not start with the warm-up (S1)")]


def test_a_plan_written_with_the_warm_up_among_its_exercises_still_reads_and_validates() -> None:
    """Plans before 2026-11-28 wrote the warm-up as the first exercise ("Warm-up: <steps>", 1
    set of "8-12 min"); read, it moves to the session's ``warmup``, and the plan validates."""
    athlete, plan = base_solved()
    data = plan.model_dump(mode="json")
    for week in data["weeks"]:
        for day in week["days"]:
            session = day["strength"]
            if session is not None:
                warmup = session.pop("warmup")
                session["exercises"].insert(0, {"name": "Warm-up: " + "; ".join(warmup["steps"]), "sets": 1,
                                                "reps": warmup["duration"], "load_change_pct": 0.0,
                                                "reps_in_reserve": None})
    legacy = Plan.model_validate(data)
    assert legacy == plan
    assert validate_plan(athlete, legacy) == []


def test_a_normal_dose_session_keeps_its_templates_sets() -> None:
    """Only a deload cuts sets: a normal Day A of one set a lift passed (the range's top was
    checked, never its low end)."""
    athlete, plan = base_solved()
    thin = plan.model_copy(deep=True)
    session = week_session(thin, 1, SessionKind.A)
    for exercise in session.exercises:
        exercise.sets = 1
    found = validate_plan(athlete, thin)
    assert {v.code for v in found} == {"S2"}
    assert ("Trap-bar deadlift or barbell deadlift: 1 set at normal dose, below the template's 3; "
            "only a deload cuts sets (S2)") in [v.message for v in found]
    assert len(found) == 5  # each of Day A's five lifts


@cache
def layoff_solved() -> tuple[Athlete, Plan]:
    """9 weeks with a two-week holiday (indices 2-3) and a running deload in index 6."""
    holiday = START + timedelta(days=14)
    athlete = make_athlete(9, sessions=2, current=280, exceptions=[
        {"from": holiday, "to": holiday + timedelta(days=13), "minutes": 0, "note": "holiday"}])
    plan = solve_athlete(athlete, time_limit=20)
    assert plan.status in ("optimal", "feasible")
    return athlete, plan


def test_a_layoff_of_two_weeks_restarts_the_strength_cycle() -> None:
    """G4: "missing one week is fine". After two weeks without strength (a holiday here) the
    prescription starts the cycle again at week 1, from a reassessed baseline, where it had
    resumed at +2.5 % after 19 days without lifting. RULES.md does not speak of layoffs, so the
    validator takes the cycle going on as well."""
    athlete, plan = layoff_solved()
    assert validate_plan(athlete, plan) == []
    assert [any(d.strength for d in w.days) for w in plan.weeks[:5]] == [True, True, False, False, True]
    assert lift(week_session(plan, 1, SessionKind.A), 0).load_change_pct == 2.5
    assert lift(week_session(plan, 4, SessionKind.A), 0).load_change_pct == 0  # week 1 again
    resumed = plan.model_copy(deep=True)
    for day in resumed.weeks[4].days:
        if day.strength is not None:  # the old cycle's week 2 dose, carried on as its week 3
            day.strength = week_session(plan, 1, day.strength.session).model_copy(deep=True)
    # carried on, it is week 3, which adds its set (S2), and so is the week after it, held on to
    # meet the running deload of index 6
    assert [(v.code, v.date) for v in validate_plan(athlete, resumed)] == [
        ("S2", resumed.weeks[4].start + timedelta(days=1)), ("S2", resumed.weeks[5].start + timedelta(days=1))]
    for week in (4, 5):
        lift(week_session(resumed, week, SessionKind.A), 0).sets += 1
    assert validate_plan(athlete, resumed) == []


def test_a_strength_deload_right_before_the_running_deload_is_s2() -> None:
    """S2: "the strength deload coincides with the running deload where both exist"; two deload
    weeks in a row passed (the fourth week's extension was allowed, never asked for)."""
    athlete, plan = layoff_solved()
    assert plan.weeks[6].deload and not plan.weeks[5].deload
    early = plan.model_copy(deep=True)
    for day in early.weeks[5].days:
        if day.strength is not None:
            day.strength = week_session(plan, 6, day.strength.session).model_copy(deep=True)
    assert [(v.code, v.message) for v in validate_plan(athlete, early)] == [
        ("S2", "a strength deload the week before the running deload; S2 has the two coincide (S2)")]


def test_week_2_is_checked_against_the_templates_where_week_1_lacked_the_session() -> None:
    """Week 1 of full + short (a busy week) left A and B of weeks 2 and 3 unchecked: a front
    squat at week 3's set in week 2 passed. Without week 1's sets, the template's are the
    reference."""
    athlete, plan = base_solved()
    busy = plan.model_copy(deep=True)
    for day in busy.weeks[0].days:
        if day.strength is not None:
            kind, minutes = (SessionKind.full, 40) if day.strength.session == SessionKind.A else (SessionKind.short, 20)
            day.strength.session, day.strength.minutes = kind, minutes
            day.strength.exercises = as_written(session_template(kind).exercises)
    # Week 1's runs leave room for A and B, so its busy pair is P10's (S4's busy week); the
    # sets are S2's all the same.
    assert {v.code for v in validate_plan(athlete, busy)} == {"P10"}
    lift(week_session(busy, 1, SessionKind.B), 0).sets = 4
    assert [v.message for v in validate_plan(athlete, busy) if v.code != "P10"] == [
        "Front squat or goblet squat (B) 4 sets, 3 to start: week 2 of the strength cycle keeps the sets (S2)"]


def test_a_strength_deload_weeks_before_a_running_deload_is_not_s2() -> None:
    """P11's one light session (week 2) and the running deload four weeks later, after a race
    and a holiday: "the week before the running deload" read the next strength week, and this
    plan, which keeps every rule, was S2."""
    from plan_builders import make_plan

    from periodize.strength.prescribe import prescribe

    athlete = make_athlete(8, sessions=2, current=300, long=90, races=[
        {"name": "Goal 5k", "date": START + timedelta(days=20), "distance": "5k", "priority": "A"}],
        exceptions=[{"from": START + timedelta(days=21), "to": START + timedelta(days=34), "minutes": 0,
                     "note": "holiday"}])
    weeks = ["E50+A45 Q50 E50+B45 R E60 R L90", "E50+A45d Q50 E50 R E60 R L90", "E40 Q40 E40 R E40 R X",
             "R R R R R R R", "R R R R R R R", "E20+A45 Q30 R+B45 E20 R R L60",
             "E20+A45 Q30 E20+B45 R R R L60", "E20+A45 Q30 E20+B45 R R R L60"]
    plan = prescribe(build_skeleton(athlete), make_plan(athlete, weeks, deload=[5]))
    assert [v for v in validate_plan(athlete, plan) if v.code == "S2"] == []


def deload_week_like(plan: Plan, week: int, source: int) -> Plan:
    """A copy of ``plan`` whose ``week`` holds ``source``'s (deload-dose) sessions."""
    edited = plan.model_copy(deep=True)
    for day in edited.weeks[week].days:
        if day.strength is not None:
            day.strength = week_session(plan, source, day.strength.session).model_copy(deep=True)
    return edited


def test_a_strength_deload_early_in_the_cycle_without_a_reason_is_s2() -> None:
    """S2: week 4 deloads. A deload in week 2 of the cycle, with no running deload (V3) and no
    pre-race window (P11) to explain it, passed: the order bounded the cycle's length only."""
    athlete, plan = base_solved()
    early = deload_week_like(plan, 1, 3)  # cycle 1's week 2 at week 4's deload dose
    found = validate_plan(athlete, early)
    assert {v.code for v in found} == {"S2"}
    assert (first_strength_day(early, 1), "a strength deload in week 2 of the strength cycle, with no running "
            "deload (V3) or pre-race window (P11) in it; week 4 deloads (S2)") in [(v.date, v.message) for v in found]


def test_a_strength_deload_early_in_the_cycle_at_the_running_deload_is_kept() -> None:
    """The same early deload is S2's "coincides with the running deload" where the week is a
    V3 deload week."""
    athlete, plan = base_solved()
    early = deload_week_like(plan, 1, 3)
    early.weeks[1].deload = True
    assert [v for v in validate_plan(athlete, early) if v.code == "S2" and "deloads (S2)" in v.message
            and v.date == first_strength_day(early, 1)] == []


def test_two_accessory_sets_added_in_one_off_season_session_is_s3() -> None:
    """S3 off-season: "one accessory set added where recovery allows". A Day A with both the
    hamstring curl and the Pallof press one set up (each within its 2-3 range) passed. In the
    cycle's week 1 (in its week 2, S2 keeps week 1's accessory sets)."""
    athlete, plan = base_solved()
    one = plan.model_copy(deep=True)
    session = week_session(one, 0, SessionKind.A)
    accessories = [e for e in lift_list(session) if e.name.startswith(("Hamstring", "Core"))]
    for exercise in accessories:
        exercise.sets = 2
    accessories[0].sets = 3
    assert validate_plan(athlete, one) == []
    both = plan.model_copy(deep=True)
    for exercise in lift_list(week_session(both, 0, SessionKind.A)):
        if exercise.name.startswith(("Hamstring", "Core")):
            exercise.sets = 3
    assert [(v.code, v.message) for v in validate_plan(athlete, both)] == [
        ("S3", "Hamstring curl (machine or Nordic variation), Core anti-rotation (Pallof press): one set each "
               "above the low end off-season; S3 adds one accessory set (S3)")]


def lift_list(session: StrengthSession) -> list[Exercise]:
    return [e for e in session.exercises if not e.name.startswith(PLYO_PREFIX)]


def test_a_second_load_step_in_week_3_is_s2() -> None:
    """S2: week 2 adds +2.5-5 % on the main lifts, week 3 one set on one primary lift. A
    second step in week 3 (+2.5 % again, +5 % in all) passed, being within one step of the
    baseline."""
    athlete, plan = base_solved()
    deadlift = "Trap-bar deadlift or barbell deadlift"
    assert lift(week_session(plan, 1, SessionKind.A), 0).load_change_pct == 2.5
    raised = plan.model_copy(deep=True)
    lift(week_session(raised, 2, SessionKind.A), 0).load_change_pct = 5
    assert [(v.code, v.message) for v in validate_plan(athlete, raised)] == [
        ("S2", f"{deadlift}: load change +5 % in week 3 of the strength cycle, above the +2.5 % weeks 1 "
               "and 2 reached; week 2 is the load step (S2)")]
    week_2_at_5 = plan.model_copy(deep=True)  # the step at +5 % in week 2, held in week 3
    for week in (1, 2):
        for kind in (SessionKind.A, SessionKind.B):
            for exercise in lift_list(week_session(week_2_at_5, week, kind)):
                if exercise.load_change_pct:
                    exercise.load_change_pct = 5
    assert validate_plan(athlete, week_2_at_5) == []


def test_accessory_sets_added_in_the_cycles_week_2_or_3_are_s2() -> None:
    """S2's week 2 keeps the sets and week 3 adds one to one primary lift: the hamstring curl
    (A) and the lateral hip work (B) each one set up in week 2, or beside week 3's primary set,
    passed, as only primary lifts were compared with week 1. Each is reported on its session's
    day, not the week's first session's."""
    athlete, plan = base_solved()
    for week in (1, 2):
        edited = plan.model_copy(deep=True)
        for kind, name in ((SessionKind.A, "Hamstring"), (SessionKind.B, "Lateral")):
            accessory = next(e for e in lift_list(week_session(edited, week, kind)) if e.name.startswith(name))
            accessory.sets += 1
        found = validate_plan(athlete, edited)
        assert [v.code for v in found] == ["S2", "S2"]  # one a session, on its own day
        days = {kind: next(day.date for day in edited.weeks[week].days if day.strength and day.strength.session == kind)
                for kind in (SessionKind.A, SessionKind.B)}
        assert sorted(v.date for v in found) == sorted(days.values())
        hamstring = next(v for v in found if "Hamstring" in v.message)
        assert hamstring.date == days[SessionKind.A]
        assert hamstring.message == ("Hamstring curl (machine or Nordic variation) (A) 3 sets, 2 in week 1: week "
                                     f"{week + 1} of the strength cycle keeps the accessory sets; week 3 adds a set to "
                                     "one primary lift only (S2)")


def test_a_load_raised_in_an_off_season_deload_is_s2() -> None:
    """A deload week holds the load its cycle reached: +5 % (or +2.5 % where weeks 1 and 2
    reached 0) on the deadlift in an off-season deload passed; in-season it is S3's."""
    athlete, plan = base_solved()
    deload = next(index for index, week in enumerate(plan.weeks)
                  if any(day.strength is not None and day.strength.dose == "deload" for day in week.days))
    edited = plan.model_copy(deep=True)
    lift(week_session(edited, deload, SessionKind.A), 0).load_change_pct = 5
    found = validate_plan(athlete, edited)
    assert [(v.code, v.message) for v in found] == [
        ("S2", "Trap-bar deadlift or barbell deadlift: load change +5 % in a deload week, above the +2.5 % weeks 1 and "
               "2 reached; week 2 is the load step (S2)")]


def test_one_session_cut_to_a_deload_in_a_week_that_lifts_is_s2() -> None:
    """S2 deloads a week (week 4). A week 2 whose Day B alone was cut to a deload's sets passed
    (a week deloads where every session does, and a deload session was held only to a
    deload's sets); only P11's window before an A race holds a light session beside normal ones."""
    athlete, plan = base_solved()
    cut = plan.model_copy(deep=True)
    b_day = next(d for d in cut.weeks[1].days if d.strength is not None and d.strength.session == SessionKind.B)
    b_day.strength = week_session(plan, 3, SessionKind.B).model_copy(deep=True)  # week 4's deload B
    found = validate_plan(athlete, cut)
    assert [(v.code, v.date) for v in found] == [("S2", b_day.date)]
    assert "B session at deload dose in week 2 of the strength cycle" in found[0].message
