"""One valid hand-built plan per situation, and for every hard rule P1-P14, V1-V9 a copy that
breaks only that rule: the validator must report exactly that code.

Week strings are Monday to Sunday (see ``tests/plan_builders.py``). Default athlete: an
intermediate runner, 4-6 runs a week, 300 current weekly minutes, long run 90, peak 450,
120 minutes available every day, no strength. Its base week ``BASE`` has 300 training minutes,
one quality session, one long run of 90 (30 % of 300, V4 with 5 running days).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from plan_builders import START, make_athlete, make_plan, with_weeks

from periodize.models.plan import Day, Plan, Run, RunType
from periodize.models.rules import HARD_RULE_CODES
from periodize.season import build_skeleton
from periodize.validate import CHECKS, Violation, validate_plan, violations_by_code

BASE = "E50 Q50 E50 R E60 R L90"

# ---- athletes ---------------------------------------------------------------------------------
PLAIN: dict[str, Any] = {}
STRENGTH_1: dict[str, Any] = {"sessions": 1}
STRENGTH_2: dict[str, Any] = {"sessions": 2}

HALF_A = {"name": "Spring Half", "date": START + timedelta(days=41), "distance": "half", "priority": "A",
          "expected_minutes": 100}
#: 8 weeks, A half marathon on the Sunday of week 5 (day 41): taper weeks 4-5, reference weeks
#: 1-3 (R = 300), pre-race window days 27-40, no strength days 34-40, recovery days 42-54.
A_RACE: dict[str, Any] = {"weeks": 8, "races": [HALF_A]}
A_RACE_STRENGTH: dict[str, Any] = {**A_RACE, "sessions": 2}
A_RACE_WEEKS = (BASE, BASE, BASE, BASE,
                "E40 Q45 E40 R E40 R L70",   # taper week: T 235 <= R, keeps a quality session
                "E40 Q30 E40 R E30 R X",     # race week: T 140, within 40-60 % of 300; rest before the race
                "Y30 R E40 R E30 R E40",     # recovery: no quality/long, T 140 <= 70 % of 300
                "E30 R E30 R E30 R L60")     # recovery until Saturday; long run on Sunday
A_RACE_STRENGTH_WEEKS = ("E50+A45 Q50 E50+B45 R E60 R L90",) * 4 + (
    "E40+S20 Q45 E40 R E40 R L70",   # one light session in the pre-race window, before its last 7 days
    "E40 Q30 E40 R E30 R X",
    "Y30 R E40 R E30+A45 R E40",     # strength from recovery day 4 on
    "E30+B45 R E30 R E30 R L60",
)

#: 7 weeks, A half marathon on the Monday of week 5 (day 35): taper weeks 3-5, reference weeks
#: 0-2 (R = 300). The race falls Monday to Thursday, so V7's 60 % cap holds week 4, the last
#: week before it, as well as race week, and its 40 % floor holds neither (README, V7
#: readings); recovery days 36-48.
MONDAY_A: dict[str, Any] = {"weeks": 7, "races": [{**HALF_A, "date": START + timedelta(days=35)}]}
MONDAY_A_WEEKS = (BASE, BASE, BASE,
                  "E40 Q45 E40 R E40 R L70",   # taper week: T 235 <= R, keeps a quality session
                  "E40 Q30 E40 R E30 R R",     # the week before: T 140 <= 60 % of 300; no hard day Sat, Sun
                  "X R E40 R E30 R E40",       # race week: T 110, under 40 %: no floor after the race
                  "E30 R E30 R E30 R E30")     # recovery: T 120 <= 70 % of 300

#: 4 weeks, B 10k on the Sunday of week 2 (day 20): recovery days 21-23.
B_RACE: dict[str, Any] = {"weeks": 4, "races": [
    {"name": "Club 10k", "date": START + timedelta(days=20), "distance": "10k", "priority": "B", "expected_minutes": 50}]}
B_RACE_WEEKS = (BASE, BASE, "E60 Q50 E50 E40 R R X", "Y30 R E40 R E40 R L70")

#: A C race on the Tuesday of week 1 (recovery Wednesday, Thursday); P4 capped at one session.
C_RACE: dict[str, Any] = {"rules": {"P4": {"max_sessions": 1}}, "races": [
    {"name": "Parkrun", "date": START + timedelta(days=8), "distance": "5k", "priority": "C", "expected_minutes": 25}]}
C_RACE_WEEKS = (BASE, "E55 X E60 R E60 R L75")

#: 5 weeks; weeks 1 and 3 are availability exceptions (60 min a day), not normal weeks.
EXCEPTIONS: dict[str, Any] = {"weeks": 5, "exceptions": [
    {"from": START + timedelta(days=7), "to": START + timedelta(days=13), "minutes": 60, "note": "trip"},
    {"from": START + timedelta(days=21), "to": START + timedelta(days=27), "minutes": 60, "note": "trip"}]}
EXCEPTION_WEEKS = (BASE, "E30 E30 R E30 R E30 R", BASE, "E30 E30 R E30 R E30 R", "E50 Q50 E45 R E45 R L80")

#: 4 weeks, three loading weeks, then a deload week at 70 % of the week before.
DELOAD_WEEKS = (BASE, BASE, BASE, "E40 Q40 R R E60 R L70")


# ---- plan-level mutations (what week strings cannot express) --------------------------------
def _edit_week(index: int, **fields: Any) -> Callable[[Plan], Plan]:
    def edit(plan: Plan) -> Plan:
        plan = plan.model_copy(deep=True)
        week = plan.weeks[index]
        for name, delta in fields.items():
            setattr(week, name, getattr(week, name) + delta)
        return plan
    return edit


def _drop_day(week: int, offset: int) -> Callable[[Plan], Plan]:
    def edit(plan: Plan) -> Plan:
        plan = plan.model_copy(deep=True)
        del plan.weeks[week].days[offset]
        return plan
    return edit


def _duplicate_day(week: int, offset: int) -> Callable[[Plan], Plan]:
    def edit(plan: Plan) -> Plan:
        plan = plan.model_copy(deep=True)
        days = plan.weeks[week].days
        days.insert(offset, days[offset].model_copy(deep=True))
        return plan
    return edit


def _extra_day_after_season(plan: Plan) -> Plan:
    plan = plan.model_copy(deep=True)
    last = plan.weeks[-1]
    last.days.append(Day(date=last.days[-1].date + timedelta(days=1), run=Run(type=RunType.rest, minutes=0)))
    return plan


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    athlete: dict[str, Any]
    weeks: tuple[str, ...]
    change: dict[int, str] | Callable[[Plan], Plan] = field(default_factory=dict)
    deload: tuple[int, ...] = ()
    changed_deload: tuple[int, ...] | None = None
    #: Where a rule has several clauses, words every violation found must hold: the clause the
    #: case breaks (a validator that lost that clause and reported another had passed).
    clause: str = ""

    def valid_plan(self) -> Plan:
        return make_plan(make_athlete(**self.athlete), self.weeks, self.deload)

    def broken_plan(self) -> Plan:
        if callable(self.change):
            return self.change(self.valid_plan())
        deload = self.deload if self.changed_deload is None else self.changed_deload
        return make_plan(make_athlete(**self.athlete), with_weeks(self.weeks, self.change), deload)


#: 4 weeks, B 10k on the Sunday of week 2, one strength session a week (none in the first 3 days
#: of its recovery, V8).
B_RACE_STRENGTH: dict[str, Any] = {**B_RACE, "sessions": 1}
B_RACE_STRENGTH_WEEKS = ("E50+F40 Q50 E50 R E60 R L90",) * 2 + ("E60 Q50 E50 E40 R R X", "Y30 R E40 R E40+F40 R L70")
#: 4 weeks, four loading weeks allowed (V3), long runs 90, 60, 60 and 75: V5's reference for
#: the last is the longest of the two weeks before (60), not the 90 three weeks back.
V5_WEEKS = ("E50 Q50 E50 R E60 R L90", "E60 Q50 E60 E60 R R L60", "E60 Q50 E60 E60 R R L60", "E55 Q50 E55 E60 R R L75")
V5_ATHLETE: dict[str, Any] = {"weeks": 4, "rules": {"V3": {"max_loading_weeks": 4}}}
#: 4 weeks, weeks 1-2 an exception (60 min a day): 300, 210, 210, 220. V1 reads the larger of
#: the two weeks before (210), not the 300 three weeks back.
V1_ATHLETE: dict[str, Any] = {"weeks": 4, "exceptions": [
    {"from": START + timedelta(days=7), "to": START + timedelta(days=20), "minutes": 60, "note": "trip"}]}
V1_WEEKS = ("E50 Q50 E50 R E60 R L90", "E40 Q40 E40 R E30 R L60", "E40 Q40 E40 R E30 R L60", "E40 Q40 E40 R E40 R L60")
#: The V4 cap and V6 share loosened, so that a run over P14's easy or tempo maximum breaks only P14.
LOOSE_SHARES: dict[str, Any] = {"rules": {"V4": {"max_minutes": 180}, "V6": {"max_share_pct": 40}}, "runs": (3, 6)}

TWO = (BASE, BASE)
TWO_STRENGTH_2 = ("E50+A45 Q50 E50 R L90 R E60+B45", "E50 Q50 E50+A45 R E60+B45 R L90")
TWO_STRENGTH_1 = ("E50+F40 Q50 E50 R E60 R L90",) * 2

CASES = [
    # P1: the plan itself is consistent, and race days are races
    Case("P1-training-total", "P1", PLAIN, TWO, _edit_week(0, training_minutes=10)),
    Case("P1-run-total", "P1", PLAIN, TWO, _edit_week(1, run_minutes=-5)),
    Case("P1-missing-day", "P1", PLAIN, TWO, _drop_day(1, 3)),
    Case("P1-duplicate-day", "P1", PLAIN, TWO, _duplicate_day(0, 3)),
    Case("P1-day-outside-season", "P1", PLAIN, TWO, _extra_day_after_season),
    Case("P1-race-day-not-race", "P1", A_RACE, A_RACE_WEEKS, {5: "E40 Q30 E40 R E30 R E30"}),
    Case("P1-race-minutes", "P1", A_RACE, A_RACE_WEEKS, {5: "E40 Q30 E40 R E30 R X90"}),
    Case("P1-race-on-other-day", "P1", A_RACE, A_RACE_WEEKS, {4: "E40 Q45 E40 X40 R R L70"}),
    # P2: hard days in a row, inside a week and across weeks
    Case("P2-in-week", "P2", PLAIN, TWO, {0: "E50 E50 E50 R R Q60 L90"}),
    Case("P2-across-weeks", "P2", PLAIN, TWO, {1: "Q50 E50 E50 R E60 R L90"}),
    # P3: one long run, the longest, exactly one in a normal week
    Case("P3-two-longs", "P3", PLAIN, TWO, {0: "E50 Q50 R L60 R E50 L90"}),
    Case("P3-long-not-longest", "P3", PLAIN, TWO, {1: "E50 Q50 E50 R E90 R L60"}),
    Case("P3-normal-week-no-long", "P3", PLAIN, TWO, {0: "E50 Q50 E50 R E60 R E90"}),
    # P4: quality sessions per week (a C race counts as one)
    Case("P4-none", "P4", PLAIN, TWO, {0: "E50 E50 E50 R E60 R L90"}),
    Case("P4-too-many", "P4", {"rules": {"P4": {"max_sessions": 1}}}, TWO, {0: "E50 Q30 E50 Q30 E50 R L90"}),
    Case("P4-c-race-counts", "P4", C_RACE, C_RACE_WEEKS, {1: "E55 X E60 R Q60 R L75"}),
    # P5, P6: rest days, running days
    Case("P5-no-rest", "P5", {"runs": (4, 7)}, TWO, {0: "E40 Q50 E40 E20 E30 E30 L90"}),
    # a race day is no rest day
    Case("P5-race-week-no-rest", "P5", {**B_RACE, "runs": (4, 7)}, B_RACE_WEEKS, {2: "E60 Q50 E50 E40 E20 Y20 X"}),
    Case("P6-too-few", "P6", PLAIN, TWO, {0: "E90 Q60 R R R R L90"}),
    Case("P6-too-many", "P6", {"runs": (4, 5)}, TWO, {0: "E40 Q50 E40 R E40 E40 L90"}),
    # P7, P8: strength placement
    Case("P7-strength-on-quality", "P7", STRENGTH_1, TWO_STRENGTH_1, {0: "E50 Q50+F40 E50 R E60 R L90"}),
    Case("P8-strength-before-long", "P8", STRENGTH_1, TWO_STRENGTH_1, {0: "E50 Q50 E50 R E60 R+F40 L90"}),
    Case("P8-strength-before-race", "P8", B_RACE_STRENGTH, B_RACE_STRENGTH_WEEKS, {2: "E60 Q50 E50 E40 R R+F40 X"},
         clause="the day before a race"),
    # P9: A and B on consecutive days, inside a week and across weeks
    Case("P9-in-week", "P9", STRENGTH_2, TWO_STRENGTH_2, {1: "E50 Q50 E50+A45 R+B45 E60 R L90"}),
    Case("P9-across-weeks", "P9", STRENGTH_2, TWO_STRENGTH_2, {1: "E50+A45 Q50 E50+B45 R E60 R L90"}),
    # P10: the week's sessions
    Case("P10-missing-B", "P10", STRENGTH_2, TWO_STRENGTH_2, {1: "E50 Q50 E50+A45 R E60 R L90"}),
    Case("P10-A-with-short", "P10", STRENGTH_2, TWO_STRENGTH_2, {1: "E50 Q50 E50+A45 R E60+S20 R L90"}),
    Case("P10-A-twice", "P10", STRENGTH_2, TWO_STRENGTH_2, {1: "E50 Q50 E50+A45 R E60+A45 R L90"}),
    Case("P10-one-a-week-not-full", "P10", STRENGTH_1, TWO_STRENGTH_1, {0: "E50+A45 Q50 E50 R E60 R L90"}),
    Case("P10-strength-off", "P10", PLAIN, TWO, {0: "E50+F40 Q50 E50 R E60 R L90"}),
    Case("P10-other-week-mixed-pair", "P10", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS,
         {7: "E30+B45 R E30 R E30+F40 R L60"}),
    # P11: strength before an A race
    Case("P11-two-in-window", "P11", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS, {4: "E40+S20 Q45 E40+F40 R E40 R L70"}),
    Case("P11-two-light-in-window", "P11", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS,
         {4: "E40+S20 Q45 E40+F40d R E40 R L70"}, clause="at most 1 (P11)"),
    Case("P11-heavy-in-window", "P11", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS, {4: "E40+A45 Q45 E40 R E40 R L70"}),
    Case("P11-last-seven-days", "P11", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS,
         {4: "E40 Q45 E40 R E40 R L70", 5: "E40+S20 Q30 E40 R E30 R X"}),
    # P12: availability
    Case("P12-over-available", "P12", {"availability": {"mon": 50, "thu": 0}}, TWO, {0: "E55 Q50 E45 R E60 R L90"}),
    Case("P12-run-on-zero-day", "P12", {"availability": {"mon": 50, "thu": 0}}, TWO, {0: "E50 Q50 E50 E30 E30 R L90"}),
    Case("P12-strength-over-available", "P12", {**STRENGTH_1, "availability": {"mon": 90}}, TWO_STRENGTH_1,
         {1: "E50+F45 Q50 E50 R E60 R L90"}),
    # P13: the day before an A or B race
    Case("P13-long-easy-before-B", "P13", B_RACE, B_RACE_WEEKS, {2: "E60 Q50 E50 R R E40 X"}),
    Case("P13-easy-before-A", "P13", A_RACE, A_RACE_WEEKS, {5: "E40 Q30 E40 R R E35 X"}),
    # P14: session lengths
    Case("P14-quality-short", "P14", PLAIN, TWO, {0: "E75 Q25 E50 R E60 R L90"}),
    Case("P14-recovery-long", "P14", PLAIN, TWO, {0: "E50 Q50 Y40 R E70 R L90"}),
    Case("P14-rest-with-minutes", "P14", PLAIN, TWO, {0: "E50 Q50 E40 R10 E60 R L90"}),
    Case("P14-long-short", "P14", PLAIN, TWO, {1: "E50 Q50 E50 E50 R E45 L55"}),
    Case("P14-strength-short", "P14", STRENGTH_2, TWO_STRENGTH_2, {1: "E50 Q50 E50+A30 R E60+B45 R L90"}),
    Case("P14-easy-long", "P14", LOOSE_SHARES, TWO, {0: "E95 Q50 R R E55 R L100"}, clause="easy of 95 min"),
    Case("P14-tempo-short", "P14", PLAIN, TWO, {0: "E50 Q50 E50 T25 R E35 L90"}, clause="tempo of 25 min"),
    Case("P14-tempo-long", "P14", LOOSE_SHARES, TWO, {0: "E40 T95 R R E65 R L100"}, clause="tempo of 95 min"),
    # V1: week on week growth
    Case("V1-growth", "V1", PLAIN, TWO, {1: "E60 Q50 E60 R E70 R L100"}),
    Case("V1-two-weeks-back", "V1", V1_ATHLETE, V1_WEEKS, {3: "E50 Q50 E50 R E50 R L70"}, clause="exceed 1.1 x 210"),
    # V2: acute:chronic, from the fifth week (V1 allows 300 after 120, 300; V2 caps at 273)
    Case("V2-acute-chronic", "V2", EXCEPTIONS, EXCEPTION_WEEKS, {4: BASE}),
    # V3: loading weeks and deload weeks
    Case("V3-four-loading-weeks", "V3", {"weeks": 4}, DELOAD_WEEKS, {}, deload=(3,), changed_deload=()),
    Case("V3-deload-too-deep", "V3", {"weeks": 4}, DELOAD_WEEKS, {3: "E30 Q30 R R E30 R L60"}, deload=(3,)),
    Case("V3-deload-too-light", "V3", {"weeks": 4}, DELOAD_WEEKS, {3: BASE}, deload=(3,)),
    Case("V3-deload-not-normal-week", "V3", EXCEPTIONS, EXCEPTION_WEEKS, {}, changed_deload=(1,)),
    # V4: long run share and cap
    Case("V4-share", "V4", PLAIN, TWO, {0: "E50 Q50 E40 R E60 R L100"}),
    Case("V4-cap", "V4", {"runs": (3, 6), "rules": {"V4": {"max_minutes": 95}}}, TWO, {0: "E60 Q60 R R E80 R L100"}),
    # V5: long run growth over its reference
    Case("V5-over-current-long", "V5", {"long": 70}, ("E55 Q50 E50 R E60 R L85",) * 2, {0: "E50 Q50 E50 R E60 R L90"}),
    Case("V5-no-current-long-uses-shortest", "V5", {"long": None}, ("E55 Q50 E60 R E60 R L75",) * 2,
         {0: "E50 Q50 E60 R E60 R L80"}),
    Case("V5-over-previous-weeks", "V5", {"weeks": 3},  # reference 60, not current_long_run 90
         ("E60 Q50 E60 E60 R R L60", "E60 Q50 E60 E60 R R L60", "E55 Q50 E50 R E60 R L75"),
         {2: "E50 Q50 E50 R E60 R L80"}),
    Case("V5-two-weeks-back", "V5", V5_ATHLETE, V5_WEEKS, {3: "E50 Q50 E50 E60 R R L80"}, clause="exceeds 60 + 15"),
    # V6: quality share
    Case("V6-quality-share", "V6", PLAIN, TWO, {0: "E50 Q80 E50 R E30 R L90"}),
    # V7: taper, race week, B-race easy days
    Case("V7-taper-week-over-reference", "V7", A_RACE, A_RACE_WEEKS, {4: "E50 Q50 E50 R E70 R L90"}),
    Case("V7-race-week-too-low", "V7", A_RACE, A_RACE_WEEKS, {5: "E35 E30 R E35 R R X"}),
    Case("V7-race-week-too-high", "V7", A_RACE, A_RACE_WEEKS, {5: "E50 Q40 E50 R E60 R X"}),
    Case("V7-taper-week-without-quality", "V7", {**A_RACE, "rules": {"P4": {"min_sessions": 0}}}, A_RACE_WEEKS,
         {4: "E40 E45 E40 R E40 R L70"}),
    Case("V7-hard-day-before-B", "V7", B_RACE, B_RACE_WEEKS, {2: "E60 E50 E50 R Q40 R X"}),
    # A races too (README, V7 readings): a quality session on the Friday before a Sunday A half.
    Case("V7-hard-day-before-A", "V7", A_RACE, A_RACE_WEEKS, {5: "E40 E30 E40 R Q30 R X"}),
    Case("V7-week-before-a-monday-race-above-the-cap", "V7", MONDAY_A, MONDAY_A_WEEKS, {4: "E50 Q40 E50 R E50 R R"}),
    Case("V7-week-of-a-monday-race-above-the-cap", "V7", MONDAY_A, MONDAY_A_WEEKS, {5: "X R E60 R E60 R E70"}),
    Case("V7-long-run-two-days-before-a-monday-race", "V7", MONDAY_A, MONDAY_A_WEEKS, {4: "E40 Q30 E30 R E30 L60 R"}),
    # V8: recovery after races
    Case("V8-quality-in-recovery", "V8", A_RACE, A_RACE_WEEKS, {6: "Y30 Q30 E40 R E30 R E40"}),
    Case("V8-long-in-recovery", "V8", A_RACE, A_RACE_WEEKS, {6: "Y30 R E40 R E30 R L60"}),
    Case("V8-quality-after-C-race", "V8", {**C_RACE, "rules": {}}, C_RACE_WEEKS, {1: "E55 X E60 Q40 E40 R L75"}),
    Case("V8-week-over-cap", "V8", A_RACE, A_RACE_WEEKS, {6: "E40 R E40 R E40 E50 E50"}),
    Case("V8-strength-early-in-recovery", "V8", A_RACE_STRENGTH, A_RACE_STRENGTH_WEEKS, {6: "Y30+S20 R E40 R E30 R E40"}),
    # V9: peak weekly minutes
    Case("V9-over-peak", "V9", {"peak": 300}, TWO, {1: "E60 Q50 E50 R E60 R L90"}),
]


def codes(violations: list[Violation]) -> set[str]:
    return {violation.code for violation in violations}


def _validate(case: Case, plan: Plan) -> list[Violation]:
    return validate_plan(make_athlete(**case.athlete), plan)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_base_plan_is_valid(case: Case) -> None:
    assert _validate(case, case.valid_plan()) == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_mutation_breaks_only_its_rule(case: Case) -> None:
    found = _validate(case, case.broken_plan())
    assert codes(found) == {case.code}, [violation.message for violation in found]
    assert all(f"({case.code})" in violation.message and case.clause in violation.message for violation in found)


def test_every_hard_rule_has_a_breaking_case() -> None:
    assert {case.code for case in CASES} == set(HARD_RULE_CODES)


def test_registry_holds_one_documented_check_per_hard_rule() -> None:
    assert tuple(CHECKS) == HARD_RULE_CODES
    for code, check in CHECKS.items():
        assert check.__doc__ is not None and check.__doc__.startswith(f"{code}:"), code


# ---- readings and numbers worth pinning down ---------------------------------------------------
def test_no_floor_holds_the_weeks_around_a_monday_a_race() -> None:
    """README, V7 readings: for a race early in its week neither the week before (120 of a
    300-minute reference week, 40 %) nor race week (110, 37 %) is held at 40 %."""
    athlete = make_athlete(**MONDAY_A)
    weeks = with_weeks(MONDAY_A_WEEKS, {4: "E30 Q30 E30 R E30 R R"})
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []


def test_light_session_at_deload_dose_is_allowed_before_an_A_race() -> None:
    athlete = make_athlete(**A_RACE_STRENGTH)
    weeks = with_weeks(A_RACE_STRENGTH_WEEKS, {4: "E40+A45d Q45 E40 R E40 R L70"})
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []


def test_busy_pair_full_and_short_is_a_valid_normal_week_only_without_room_for_a_and_b() -> None:
    """S4's busy week: a week whose runs leave no two days for A and B (P7, P8, P9, P12 at
    their planned 45 minutes). At 120 minutes a day the same week has room (Wednesday and
    Monday): the busy pair there had passed, a hard rule read as a preference."""
    tight = make_athlete(**STRENGTH_2, availability={"mon": 100, "tue": 120, "wed": 90, "thu": 40, "fri": 100,
                                                     "sat": 40, "sun": 120})
    weeks = ("E50+A45 Q50 E50 R L90 R E60+B45", "E60 Q50 E50+F40 R E60+S20 R L90")
    assert validate_plan(tight, make_plan(tight, weeks)) == []
    roomy = make_athlete(**STRENGTH_2)
    found = validate_plan(roomy, make_plan(roomy, weeks))
    assert [(v.code, v.date) for v in found] == [("P10", START + timedelta(days=7))]
    # Not A on Monday: the Sunday before holds B (P9 across the weeks).
    assert "room for A on Wed 2027-01-13 and B on Mon 2027-01-11" in found[0].message


def test_c_race_replaces_the_quality_session() -> None:
    """The base C-race week holds no quality session: the C race counts for P4."""
    athlete = make_athlete(**C_RACE)
    assert validate_plan(athlete, make_plan(athlete, C_RACE_WEEKS)) == []


def test_v1_reads_the_athlete_override() -> None:
    broken = with_weeks(TWO, {1: "E60 Q50 E60 R E70 R L100"})  # 340 after 300: +13 %
    assert codes(validate_plan(make_athlete(), make_plan(make_athlete(), broken))) == {"V1"}
    loose = make_athlete(rules={"V1": {"max_increase_pct": 15}})
    assert validate_plan(loose, make_plan(loose, broken)) == []


def test_v1_boundary_is_exact() -> None:
    """330 = 1.1 x 300 exactly is allowed; 331 is not (no float rounding at the boundary)."""
    athlete = make_athlete()
    at_cap = make_plan(athlete, with_weeks(TWO, {0: "E60 Q50 E61 R E60 R L99"}))
    over = make_plan(athlete, with_weeks(TWO, {0: "E61 Q50 E61 R E60 R L99"}))
    assert validate_plan(athlete, at_cap) == []
    assert codes(validate_plan(athlete, over)) == {"V1"}


def test_v1_never_caps_below_the_minimum_week() -> None:
    athlete = make_athlete(current=60)  # 1.1 x 60 = 66, but the minimum week is 130
    plan = make_plan(athlete, ["E20 Q30 E20 R R R L60", "E20 Q30 E20 R R R L60"])
    assert validate_plan(athlete, plan) == []


def test_masters_athlete_gets_two_loading_weeks() -> None:
    athlete = make_athlete(4, age=55)
    found = validate_plan(athlete, make_plan(athlete, DELOAD_WEEKS, deload=(3,)))
    assert violations_by_code(found) == {"V3": 1}
    assert found[0].date == START + timedelta(days=14)


def test_deload_at_minimum_week_when_the_range_is_below_it() -> None:
    """Previous week 150: 80 % is 120, below the minimum week of 130, so a 130 deload is fine."""
    athlete = make_athlete(4, current=150, long=60)
    week = "E30 Q30 E30 R R R L60"  # 150
    deload = "E20 Q30 E20 R R R L60"  # 130, 87 % of 150
    plan = make_plan(athlete, [week, week, week, deload], deload=(3,))
    assert validate_plan(athlete, plan) == []


def test_violations_are_sorted_and_counted() -> None:
    athlete = make_athlete()
    plan = make_plan(athlete, ["E50 E50 E50 R E60 R L90", "Q50 E50 E50 R E60 R E90"])
    found = validate_plan(athlete, plan)
    assert [(violation.date, violation.code) for violation in found] == [
        (date(2027, 1, 4), "P4"), (date(2027, 1, 11), "P2"), (date(2027, 1, 11), "P3")]
    assert violations_by_code(found) == {"P2": 1, "P3": 1, "P4": 1}


def test_messages_state_the_numbers() -> None:
    athlete = make_athlete()
    found = validate_plan(athlete, make_plan(athlete, with_weeks(TWO, {1: "E60 Q50 E60 R E70 R L100"})))
    assert [violation.message for violation in found] == [
        "week of 2027-01-11: 340 training minutes exceed 1.1 x 300 (V1)"]


def test_a_week_out_of_place_is_named_by_its_number_from_1() -> None:
    """Weeks are counted from 1 in every command (show --week, explain, conflicts); validate
    had said "week 0 starts ..." of the first."""
    athlete = make_athlete()
    plan = make_plan(athlete, TWO).model_copy(deep=True)
    plan.weeks[0].start += timedelta(days=1)
    messages = [v.message for v in validate_plan(athlete, plan) if "starts" in v.message]
    assert messages == ["week 1 starts 2027-01-05, not 2027-01-04 (P1)"]


def test_a_plan_without_weeks_is_one_p1_line() -> None:
    """An empty plan printed 166 lines (a P1 for every day missing, a P3 for every normal
    week): one line says it all."""
    athlete = make_athlete(4)
    found = validate_plan(athlete, Plan(athlete="Test Runner", status="optimal"))
    assert [(v.code, v.message) for v in found] == [("P1", "the plan has no weeks, the season has 4: no day is planned (P1)")]


def test_v7_in_an_exception_race_week_asks_at_most_the_easy_runs_p6_requires() -> None:
    """Race week (week 6) in a 20-minute exception: V7's 40 % of the reference week (120 of
    300) is waived down to the easy runs P6 still requires (three of 20 minutes beside the race:
    60); below that V7 is broken, and outside an exception the 40 % holds."""
    monday = START + timedelta(days=35)
    travel = {**A_RACE, "exceptions": [{"from": monday, "to": monday + timedelta(days=5), "minutes": 20}]}
    athlete = make_athlete(**travel)
    enough = with_weeks(A_RACE_WEEKS, {5: "E20 R E20 R E20 R X"})
    assert validate_plan(athlete, make_plan(athlete, enough)) == []
    too_little = with_weeks(A_RACE_WEEKS, {5: "E20 R E20 R R R X"})
    assert codes(validate_plan(athlete, make_plan(athlete, too_little))) == {"V7", "P6"}
    plain = make_athlete(**A_RACE)
    floor = ["week of 2027-02-08: race week of 60 training minutes is below 40 % of the reference week's 300 (V7)"]
    assert [v.message for v in validate_plan(plain, make_plan(plain, enough))] == floor
    race_day_only = make_athlete(**{**A_RACE, "exceptions": [{"from": monday + timedelta(days=6),
                                                              "to": monday + timedelta(days=6), "minutes": 0}]})
    # it takes no training time
    assert [v.message for v in validate_plan(race_day_only, make_plan(race_day_only, enough))] == floor


def test_v7_after_reference_weeks_of_0_minutes_caps_the_taper_at_what_its_runs_take() -> None:
    """README, V7 readings: three reference weeks in a 0-minute exception (an injury break)
    make the reference 0, while P6 still asks for runs and V7 for the taper's quality session:
    read as written, no plan existed. The cap is then the least the week must hold
    (``Skeleton.v7_week_floor``): 120 in the taper week (a 30-minute quality session under V6's
    25 %), 60 in race week (three 20-minute runs beside the race); above it V7 is broken."""
    monday = START + timedelta(days=7)
    athlete = make_athlete(**{**A_RACE, "exceptions": [
        {"from": monday, "to": monday + timedelta(days=20), "minutes": 0, "note": "injury"}]})
    rest = "R R R R R R R"
    weeks = [BASE, rest, rest, rest, "E30 Q30 E30 R E30 R R", "E20 R E20 R E20 R X",
             "Y30 R E40 R E30 R E30", "E20 R E30 R E20 R L60"]
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    over = with_weeks(weeks, {4: "E35 Q30 E30 R E30 R R"})
    assert [v.message for v in validate_plan(athlete, make_plan(athlete, over))] == [
        "week of 2027-02-01: taper week of 125 training minutes exceeds the reference week's 0 before A race "
        "'Spring Half' and the 120 the week must hold (V7)"]


def test_v1_lets_a_beginners_taper_week_hold_its_quality_session() -> None:
    """README, V1 readings: a beginner's taper week keeps a quality session (V7), 30 minutes,
    which V6 allows only in a week of 120. After weeks of 95 and 100, V1's 110 % (110) and its
    floor at the minimum week (85) had made every such week a V1 violation. The floor is the
    least the week must hold (``Skeleton.volume_floor``): 120 passes, 125 breaks V1 (and V7's
    taper cap, floored the same way, over a reference week of 100)."""
    athlete = make_athlete(6, level="beginner", runs=(3, 4), current=90, peak=160, long=45, races=[
        {"name": "First Half", "date": START + timedelta(days=26), "distance": "half", "priority": "A"}])
    weeks = ["E25 R E25 R R R L45", "E25 R E30 R R R L45", "E30 R Q30 R E30 R E30", "E20 R E20 R R X R",
             "E25 R E20 R E20 R R", "E20 R E20 R R R L45"]
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    over = with_weeks(weeks, {2: "E35 R Q30 R E30 R E30"})
    assert codes(validate_plan(athlete, make_plan(athlete, over))) == {"V1", "V7"}


def test_p4_a_week_whose_c_races_pass_the_cap_holds_no_other_quality_session() -> None:
    """README, P4 readings: with P4 at most 1 and two C races in a week (a Tuesday and a Sunday
    parkrun), the races alone broke P4 and no plan existed. The cap is then the week's C
    races: the week passes without a quality session and breaks P4 with one."""
    athlete = make_athlete(**{**C_RACE, "races": [*C_RACE["races"], {
        "name": "Sunday parkrun", "date": START + timedelta(days=13), "distance": "5k", "priority": "C",
        "expected_minutes": 25}]})
    weeks = (BASE, "E55 X E60 R E60 E30 X")
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    found = validate_plan(athlete, make_plan(athlete, with_weeks(weeks, {1: "E55 X E60 R Q40 E30 X"})))
    assert [v.message for v in found] == [
        "week of 2027-01-11: 3 quality/tempo sessions (C races included), more than 2 (P4)"]


def test_p4_asks_a_weekend_runner_no_quality_session_beside_the_long_run() -> None:
    """README, P4 readings: Saturday and Sunday only, so a quality session would sit beside
    the long run (P2): the week passes without one. With a Wednesday that holds one, the same
    weeks break P4."""
    weekend = {"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 120, "sun": 150}
    weeks = ("R R R R R L80 E80", "R R R R R L85 E85")
    athlete = make_athlete(runs=(2, 2), current=150, peak=240, long=75, availability=weekend)
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    midweek = make_athlete(runs=(2, 3), current=150, peak=240, long=75, availability={**weekend, "wed": 60})
    found = validate_plan(midweek, make_plan(midweek, weeks))
    assert [v.message for v in found] == [
        f"week of {monday}: 0 quality/tempo sessions (C races included), fewer than 1 (P4)"
        for monday in ("2027-01-04", "2027-01-11")]


def test_p4_and_v7_ask_no_quality_of_an_athlete_whose_v6_share_is_0() -> None:
    """README, "No intensity asked for": V6 at 0 % allows no quality minutes, so P4's minimum
    is waived: weeks without a quality session pass, and one with a session breaks V6."""
    weeks = ("E50 R E50 R E50 R L90", "E55 R E55 R E55 R L95")
    athlete = make_athlete(rules={"V6": {"max_share_pct": 0}})
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    assert [v.code for v in validate_plan(make_athlete(), make_plan(make_athlete(), weeks))] == ["P4", "P4"]
    found = validate_plan(athlete, make_plan(athlete, with_weeks(weeks, {1: "E55 R Q40 R E55 R L95"})))
    assert [v.code for v in found] == ["V6"]


def test_p10_a_weekend_runner_holds_the_one_session_the_days_hold() -> None:
    """README, P10 readings: Saturday and Sunday only and 2 sessions a week: the days hold one
    full session beside the long run (P7, P8), so a normal week holds exactly that; none, or
    the pair that would need a third day, breaks P10."""
    weekend = {"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 120, "sun": 150}
    athlete = make_athlete(2, runs=(2, 2), current=150, peak=240, long=75, sessions=2, availability=weekend)
    weeks = ["R R R R R L80 E80+F40", "R R R R R L80 E80+F40"]
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    found = validate_plan(athlete, make_plan(athlete, with_weeks(weeks, {1: "R R R R R L80 E80"})))
    assert [(v.code, v.date) for v in found] == [("P10", START + timedelta(days=7))]


def test_v7_a_race_week_whose_days_hold_less_than_its_floor_asks_only_the_runs_p6_requires() -> None:
    """README, V7 readings: a weekend runner's race week trains only on the race's eve, which
    P13 holds to 30 minutes, while 40 % of any reference week (a long run of 60 and a run of 20)
    asks 32. The floor then asks P6's runs: 30 minutes pass. With a Wednesday of 60 minutes the
    week can hold the 40 %, and the same plan breaks V7 (not P4: two runs a week leave V4's and
    V6's shares no room for a quality session beside the long run, README P4 readings)."""
    weekend = {"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 120, "sun": 150}
    races = [{"name": "Goal 10k", "date": START + timedelta(days=34), "distance": "10k", "priority": "A"}]
    weeks = ["R R R R R L80 E80"] * 3 + ["R R R R R L60 E50", "R R R R R Y30 X"]
    athlete = make_athlete(5, runs=(2, 2), current=150, peak=240, long=75, availability=weekend, races=races)
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    midweek = make_athlete(5, runs=(2, 2), current=150, peak=240, long=75, availability={**weekend, "wed": 60},
                           races=races)
    assert codes(validate_plan(midweek, make_plan(midweek, weeks))) == {"V7"}


def test_v7_after_two_busy_weeks_asks_race_week_only_for_the_easy_runs_p6_requires() -> None:
    """README, V7 readings: a 20-minute exception over the two weeks before race week (weeks 3
    and 4) holds them at 80, so V1 caps race week far below 40 % of the reference week (300);
    there the 40 % asks only P6's runs (three of 20 minutes beside the race: 60). With the
    exception in week 4 alone, week 3's 300 leaves V1 room, and the 40 % holds."""
    busy = "E20 R E20 R E20 R E20"
    weeks = [BASE, BASE, BASE, busy, busy, "E20 R E20 R E20 R X", "Y30 R E40 R E30 R E30", "E20 R E30 R E20 R L60"]
    trip = {"from": START + timedelta(days=21), "to": START + timedelta(days=34), "minutes": 20}
    athlete = make_athlete(**{**A_RACE, "exceptions": [trip]})
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    one_week = make_athlete(**{**A_RACE, "exceptions": [{**trip, "from": START + timedelta(days=28)}]})
    found = validate_plan(one_week, make_plan(one_week, with_weeks(weeks, {3: BASE})))
    assert [v.message for v in found] == [
        "week of 2027-02-08: race week of 60 training minutes is below 40 % of the reference week's 300 (V7)"]


def test_p3_a_normal_week_no_day_of_which_can_hold_a_long_run_goes_without() -> None:
    """README, P3 readings: 45 minutes Monday to Saturday and a long Sunday, and a C 10k on the
    next Monday: P2 keeps that Sunday off hard runs and no other day holds P14's 60 minutes, so
    the week before the race (a normal week) goes without a long run, at O7's cost. A week
    whose Sunday is free keeps P3."""
    avail = {"mon": 45, "tue": 45, "wed": 45, "thu": 45, "fri": 45, "sat": 45, "sun": 120}
    athlete = make_athlete(3, current=240, peak=400, availability=avail, races=[
        {"name": "Holiday 10k", "date": START + timedelta(days=14), "distance": "10k", "priority": "C",
         "expected_minutes": 50}])
    skeleton = build_skeleton(athlete)
    assert skeleton.normal_weeks[:2] == (True, True) and [skeleton.long_run_required(w) for w in (0, 1)] == [True, False]
    weeks = ["E45 R Q45 R E45 R L90", "E45 R Q45 R E45 R E90", "X R E30 R E45 R L60"]
    assert validate_plan(athlete, make_plan(athlete, weeks)) == []
    found = validate_plan(athlete, make_plan(athlete, with_weeks(weeks, {0: "E45 R Q45 R E45 R E90"})))
    assert [v.message for v in found] == ["week of 2027-01-04: a normal week without a long run (P3)"]
