"""The independent plan validator: reads a finished Plan, returns every broken hard rule.

The validator never looks at a solver object. It reads only the :class:`~periodize.models.plan.Plan`
and the season skeleton (:func:`periodize.season.build_skeleton`), the very skeleton the solver
posts its rules over, so the two agree on which day is a race, a taper or a recovery day.

Each hard rule of RULES.md (P1-P14, V1-V9) has one small ``check_*`` function whose docstring
quotes the rule and states the reading used. :data:`CHECKS` maps each code to its function so
that explanations and reports can cite the rule text (``CHECKS["V1"].__doc__``).

Readings shared by every check (the solver uses the same ones):

* Time is in whole minutes. Day ``d`` of the skeleton is ``skeleton.date_of(d)``; week ``w``
  holds days ``7w .. 7w+6``.
* **Training minutes** ``T[w]`` are recomputed from the days: the week's run minutes without the
  minutes of its race days (the skeleton's race days). Week totals written in the plan are not
  trusted; a disagreement is itself reported (P1). Weeks before the plan (negative indices)
  count as ``volume.current_weekly_minutes``.
* A **running day** is any day whose run is not ``rest`` (a race day included).
* Percent and ratio comparisons are made exactly, with integers and fractions
  (``100 * T <= (100 + pct) * ref``); a percentage given as a float is read as the decimal
  number it prints as (``1.3`` is 13/10), so no float rounding decides a boundary case.
* A day the plan does not hold is reported (P1) and read as a rest day by every other check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property

from periodize.models.athlete import Athlete, Priority
from periodize.models.plan import (
    HARD_RUN_TYPES,
    QUALITY_RUN_TYPES,
    STRENGTH_COMPATIBLE_RUNS,
    Day,
    Plan,
    Run,
    RunType,
    SessionKind,
    StrengthSession,
)
from periodize.models.rules import HARD_RULE_CODES, Rules, exact, resolve_rules
from periodize.season import RaceInfo, Skeleton, build_skeleton


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: its code, the day or week (its Monday) it concerns, and what is
    wrong with the numbers."""

    code: str
    date: date | None
    message: str


def _fmt(value: float | int | Fraction) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:g}"


class PlanView:
    """The plan laid over the skeleton: days by day index, training minutes by week index."""

    def __init__(self, athlete: Athlete, plan: Plan, rules: Rules, skeleton: Skeleton) -> None:
        self.athlete = athlete
        self.plan = plan
        self.rules = rules
        self.skeleton = skeleton
        by_index: dict[int, Day] = {}
        for day in plan.days():
            index = skeleton.day_of(day.date)
            if 0 <= index < skeleton.n_days and index not in by_index:
                by_index[index] = day
        self.missing: frozenset[int] = frozenset(set(range(skeleton.n_days)) - set(by_index))
        self.days: tuple[Day, ...] = tuple(
            by_index.get(index) or Day(date=skeleton.date_of(index), run=Run(type=RunType.rest, minutes=0))
            for index in range(skeleton.n_days)
        )
        flags = {week.start: week.deload for week in plan.weeks}
        self.deload: tuple[bool, ...] = tuple(
            flags.get(skeleton.week_start(week), False) for week in range(skeleton.n_weeks)
        )

    # ---- days ---------------------------------------------------------------------------
    def run_type(self, day: int) -> RunType:
        return self.days[day].run.type

    def run_minutes(self, day: int) -> int:
        return self.days[day].run.minutes

    def strength(self, day: int) -> StrengthSession | None:
        return self.days[day].strength

    def is_hard(self, day: int) -> bool:
        return self.run_type(day) in HARD_RUN_TYPES

    def is_race_day(self, day: int) -> bool:
        return day in self.skeleton.race_on_day

    def on(self, day: int) -> date:
        return self.skeleton.date_of(day)

    # ---- weeks --------------------------------------------------------------------------
    @property
    def n_weeks(self) -> int:
        return self.skeleton.n_weeks

    def week_days(self, week: int) -> range:
        return self.skeleton.week_days(week)

    def monday(self, week: int) -> date:
        return self.skeleton.week_start(week)

    @cached_property
    def training(self) -> tuple[int, ...]:
        """T[w]: run minutes of week w without the minutes of its race days."""
        return tuple(
            sum(self.run_minutes(day) for day in self.week_days(week) if not self.is_race_day(day))
            for week in range(self.n_weeks)
        )

    def T(self, week: int) -> int:
        """Training minutes of a week; weeks before the plan are ``current_weekly_minutes``."""
        if week < 0:
            return self.athlete.volume.current_weekly_minutes
        return self.training[week]

    def running_days(self, week: int) -> int:
        return sum(1 for day in self.week_days(week) if self.run_type(day) != RunType.rest)

    def long_days(self, week: int) -> list[int]:
        return [day for day in self.week_days(week) if self.run_type(day) == RunType.long]

    def quality_days(self, week: int) -> list[int]:
        return [day for day in self.week_days(week) if self.run_type(day) in QUALITY_RUN_TYPES]

    def c_race_days(self, week: int) -> list[int]:
        return [
            day for day in self.skeleton.race_days_in_week(week)
            if self.skeleton.race_on_day[day].priority == Priority.C
        ]

    def reference_minutes(self, race: RaceInfo) -> int:
        """V7: R, the most training minutes among the race's reference weeks."""
        weeks = self.skeleton.reference_weeks(race)
        return max((self.T(week) for week in weeks), default=self.T(-1))


Check = Callable[[PlanView], list[Violation]]


# ---- placement and recovery (P) ----------------------------------------------------------
def check_p1(view: PlanView) -> list[Violation]:
    """P1: Each day has exactly one run type; race days are fixed to `race` on the race date.

    Reading: also the plan's own consistency. The plan must hold each skeleton day exactly once
    and no other day, each plan week must be a skeleton week (its Monday, its seven days), and
    a week's ``run_minutes``/``training_minutes`` must equal the sums of its days (races
    included / excluded). A race day's run is ``race`` with the race's minutes; a ``race`` run
    on any other day is a violation too.
    """
    sk = view.skeleton
    out: list[Violation] = []
    seen: Counter[date] = Counter(day.date for day in view.plan.days())
    first, last = sk.date_of(0), sk.date_of(sk.n_days - 1)
    for when, count in sorted(seen.items()):
        if count > 1:
            out.append(Violation("P1", when, f"{when}: the plan holds this day {count} times (P1)"))
        if not first <= when <= last:
            out.append(Violation("P1", when, f"{when}: outside the season {first}..{last} (P1)"))
    for index in sorted(view.missing):
        out.append(Violation("P1", view.on(index), f"{view.on(index)}: the plan has no entry for this day (P1)"))
    if len(view.plan.weeks) != sk.n_weeks:
        out.append(Violation("P1", None, f"the plan has {len(view.plan.weeks)} weeks, the season {sk.n_weeks} (P1)"))
    for index, week in enumerate(view.plan.weeks):
        if index < sk.n_weeks and week.start != sk.week_start(index):
            out.append(Violation("P1", week.start, f"week {index} starts {week.start}, not {sk.week_start(index)} (P1)"))
        dates = [day.date for day in week.days]
        try:
            expected: list[date] | None = [week.start + timedelta(days=offset) for offset in range(7)]
        except OverflowError:  # a week starting in the calendar's last days: no Sunday follows
            expected = None
        if dates != expected:
            out.append(Violation("P1", week.start, f"week of {week.start}: days are not its Monday to Sunday in order (P1)"))
        run_total = sum(day.run.minutes for day in week.days)
        training_total = sum(day.run.minutes for day in week.days if day.run.type != RunType.race)
        if week.run_minutes != run_total:
            out.append(Violation("P1", week.start,
                                 f"week of {week.start}: run_minutes {week.run_minutes} but its days sum to {run_total} (P1)"))
        if week.training_minutes != training_total:
            out.append(Violation("P1", week.start,
                                 f"week of {week.start}: training_minutes {week.training_minutes} "
                                 f"but its non-race days sum to {training_total} (P1)"))
    for day in range(sk.n_days):
        run = view.days[day].run
        race = sk.race_on_day.get(day)
        if race is not None and run.type != RunType.race:
            out.append(Violation("P1", view.on(day), f"{view.on(day)}: race day of {race.name!r} holds {run.type.value}, not race (P1)"))
        elif race is not None and run.minutes != race.minutes:
            out.append(Violation("P1", view.on(day),
                                 f"{view.on(day)}: race {race.name!r} has {run.minutes} minutes, not its {race.minutes} (P1)"))
        elif race is None and run.type == RunType.race:
            out.append(Violation("P1", view.on(day), f"{view.on(day)}: a race run on a day with no race (P1)"))
    return out


def check_p2(view: PlanView) -> list[Violation]:
    """P2: No two hard days in a row (hard: quality, tempo, long or race).

    Reading: over the whole season, across week boundaries too. Reported on the second day.
    """
    out: list[Violation] = []
    for day in range(1, view.skeleton.n_days):
        if view.is_hard(day - 1) and view.is_hard(day):
            out.append(Violation("P2", view.on(day),
                                 f"{view.on(day)}: {view.run_type(day).value} follows "
                                 f"{view.run_type(day - 1).value} on {view.on(day - 1)}; two hard days in a row (P2)"))
    return out


def check_p3(view: PlanView) -> list[Violation]:
    """P3: At most one `long` run per week, the week's longest non-race run; a normal week has
    exactly one.

    Reading: every `long` run of a week is >= every other non-race run of that week (ties are
    allowed). Only normal weeks (``skeleton.normal_weeks``) must hold one.
    """
    out: list[Violation] = []
    for week in range(view.n_weeks):
        longs = view.long_days(week)
        monday = view.monday(week)
        if len(longs) > 1:
            out.append(Violation("P3", monday, f"week of {monday}: {len(longs)} long runs, at most 1 (P3)"))
        if not longs and view.skeleton.normal_weeks[week]:
            out.append(Violation("P3", monday, f"week of {monday}: a normal week without a long run (P3)"))
        others = [
            day for day in view.week_days(week)
            if view.run_type(day) not in (RunType.long, RunType.race, RunType.rest)
        ]
        for long_day in longs:
            for day in others:
                if view.run_minutes(day) > view.run_minutes(long_day):
                    out.append(Violation("P3", view.on(long_day),
                                         f"{view.on(long_day)}: long run of {view.run_minutes(long_day)} min is shorter "
                                         f"than the {view.run_type(day).value} run of {view.run_minutes(day)} on {view.on(day)} (P3)"))
    return out


def check_p4(view: PlanView) -> list[Violation]:
    """P4: `quality`+`tempo` sessions per week within bounds (a C race counts as one); the lower
    bound does not apply to an A-race week, a week touched by recovery (V8), or an exception
    week; none inside a recovery window.

    Reading: count = quality and tempo days + C race days of the week. ``<= P4.max_sessions``
    always; ``>= P4.min_sessions`` where ``skeleton.quality_lower_bound_applies(week)``. A
    quality or tempo day inside a recovery window is reported by V8, not here.
    """
    params = view.rules.P4
    out: list[Violation] = []
    for week in range(view.n_weeks):
        count = len(view.quality_days(week)) + len(view.c_race_days(week))
        monday = view.monday(week)
        if count > params.max_sessions:
            out.append(Violation("P4", monday,
                                 f"week of {monday}: {count} quality/tempo sessions (C races included), "
                                 f"more than {params.max_sessions} (P4)"))
        if view.skeleton.quality_lower_bound_applies(week) and count < params.min_sessions:
            out.append(Violation("P4", monday,
                                 f"week of {monday}: {count} quality/tempo sessions (C races included), "
                                 f"fewer than {params.min_sessions} (P4)"))
    return out


def check_p5(view: PlanView) -> list[Violation]:
    """P5: At least this many `rest` days per week.

    Reading: a race day is not a rest day.
    """
    need = view.rules.P5.min_rest_days
    out: list[Violation] = []
    for week in range(view.n_weeks):
        rest = sum(1 for day in view.week_days(week) if view.run_type(day) == RunType.rest)
        if rest < need:
            out.append(Violation("P5", view.monday(week), f"week of {view.monday(week)}: {rest} rest day{'' if rest == 1 else 's'}, fewer than {need} (P5)"))
    return out


def check_p6(view: PlanView) -> list[Violation]:
    """P6: Running days per week within the athlete's `runs_per_week`; in an exception week the
    minimum is capped by the days with at least 20 minutes.

    Reading: a running day is any day that is not `rest`, race days included. The minimum is
    ``skeleton.min_running_days(week)``, the maximum ``runs_per_week.max``.
    """
    high = view.athlete.runs_per_week.max
    out: list[Violation] = []
    for week in range(view.n_weeks):
        low = view.skeleton.min_running_days(week)
        count = view.running_days(week)
        monday = view.monday(week)
        if count < low:
            out.append(Violation("P6", monday, f"week of {monday}: {count} running days, fewer than {low} (P6)"))
        if count > high:
            out.append(Violation("P6", monday, f"week of {monday}: {count} running days, more than {high} (P6)"))
    return out


def check_p7(view: PlanView) -> list[Violation]:
    """P7: Strength only on days whose run is `easy`, `recovery` or `rest`."""
    out: list[Violation] = []
    for day in range(view.skeleton.n_days):
        session = view.strength(day)
        if session is not None and view.run_type(day) not in STRENGTH_COMPATIBLE_RUNS:
            out.append(Violation("P7", view.on(day),
                                 f"{view.on(day)}: strength {session.session.value} on a {view.run_type(day).value} day (P7)"))
    return out


def check_p8(view: PlanView) -> list[Violation]:
    """P8: No strength session on the day before a `long` run or a race.

    Reading: a race is a skeleton race day (or any day whose run is `race`).
    """
    out: list[Violation] = []
    for day in range(view.skeleton.n_days - 1):
        session = view.strength(day)
        after = day + 1
        if session is None:
            continue
        if view.run_type(after) == RunType.long or view.is_race_day(after) or view.run_type(after) == RunType.race:
            what = "a race" if view.is_race_day(after) or view.run_type(after) == RunType.race else "a long run"
            out.append(Violation("P8", view.on(day),
                                 f"{view.on(day)}: strength {session.session.value} the day before {what} on {view.on(after)} (P8)"))
    return out


def check_p9(view: PlanView) -> list[Violation]:
    """P9: `A` and `B` of one week are not on consecutive days (at least 48 h apart).

    Reading (the safe one): an `A` and a `B` session on consecutive days is a violation
    anywhere, across a week boundary too, since 48 h apart cannot hold for consecutive days.
    """
    pair = {SessionKind.A, SessionKind.B}
    out: list[Violation] = []
    for day in range(1, view.skeleton.n_days):
        first, second = view.strength(day - 1), view.strength(day)
        if first is not None and second is not None and {first.session, second.session} == pair:
            out.append(Violation("P9", view.on(day),
                                 f"{view.on(day)}: {second.session.value} the day after "
                                 f"{first.session.value} on {view.on(day - 1)}; less than 48 h apart (P9)"))
    return out


def _session_sets(per_week: int) -> list[Counter[SessionKind]]:
    """The strength weeks P10 allows for a normal week (S4: full + short replaces A + B)."""
    if per_week >= 2:
        return [Counter({SessionKind.A: 1, SessionKind.B: 1}), Counter({SessionKind.full: 1, SessionKind.short: 1})]
    if per_week == 1:
        return [Counter({SessionKind.full: 1})]
    return [Counter()]


def check_p10(view: PlanView) -> list[Violation]:
    """P10: A normal week holds exactly the athlete's `sessions_per_week`: one `A` and one `B` at
    2, one `full` at 1 (a busy week may use `full` + `short` instead of A + B, S4). Any other
    week holds at most that many, as P11, V8 and S4 allow.

    Reading: at 2 a normal week holds exactly {A, B} or {full, short}; any other week a subset
    of one of those pairs (never A with full, never two of a kind). At 1 a normal week holds
    exactly one `full`, other weeks at most one `full`. At 0 there is no strength at all. One
    session a day at most is structural (a Day holds one session).
    """
    allowed = _session_sets(view.athlete.strength.sessions_per_week)
    out: list[Violation] = []
    for week in range(view.n_weeks):
        held: Counter[SessionKind] = Counter(
            session.session for day in view.week_days(week) if (session := view.strength(day)) is not None
        )
        normal = view.skeleton.normal_weeks[week]
        ok = any(held == pattern for pattern in allowed) if normal else any(held <= pattern for pattern in allowed)
        if not ok:
            monday = view.monday(week)
            names = ", ".join(sorted(kind.value for kind in held.elements())) or "none"
            wanted = " or ".join(
                "{" + ", ".join(sorted(kind.value for kind in pattern.elements())) + "}" for pattern in allowed
            )
            scope = "exactly" if normal else "a subset of"
            kind = "normal week" if normal else "week"
            out.append(Violation("P10", monday,
                                 f"week of {monday}: strength sessions {{{names}}}; a {kind} holds {scope} {wanted} (P10)"))
    return out


def check_p11(view: PlanView) -> list[Violation]:
    """P11: No strength in the last N days before an A race; at most one light session in the
    14 days before it.

    Reading: no session in ``skeleton.no_strength_before(race)``; in ``skeleton.pre_race(race)``
    at most one session, and it is light (``StrengthSession.is_light``: `short`, or deload dose).
    The dose is the plan's word only in a placement-only plan (no session prescribed); where
    the plan prescribes, every session holds its exercises (S1) and a deload's sets are S2's
    to check, so a Day A labelled deload with no exercises is reported there.
    """
    out: list[Violation] = []
    for race in view.skeleton.races_with(Priority.A):
        banned = view.skeleton.no_strength_before(race)
        for day in banned.days():
            if (session := view.strength(day)) is not None:
                out.append(Violation("P11", view.on(day),
                                     f"{view.on(day)}: strength {session.session.value} {race.day - day} days before "
                                     f"A race {race.name!r}; none in the last {len(banned.days())} (P11)"))
        window = view.skeleton.pre_race(race)
        held = [day for day in window.days() if view.strength(day) is not None]
        if len(held) > 1:
            out.append(Violation("P11", view.on(held[1]),
                                 f"{len(held)} strength sessions in the {len(window.days())} days before A race "
                                 f"{race.name!r} ({view.on(held[0])} .. {view.on(held[-1])}); at most 1 (P11)"))
        for day in held:
            session = view.strength(day)
            if session is not None and not session.is_light and day not in banned:
                out.append(Violation("P11", view.on(day),
                                     f"{view.on(day)}: {session.session.value} at {session.dose} dose before A race "
                                     f"{race.name!r} is not light (P11)"))
    return out


def check_p12(view: PlanView) -> list[Violation]:
    """P12: A day's run minutes plus strength minutes (warm-up included) fit the day's available
    minutes; an exception sets every day in its range. A race day is exempt: the race is fixed.
    A day with 0 minutes holds no run and no strength.

    Reading: availability is ``skeleton.available[day]`` (exceptions applied).
    """
    out: list[Violation] = []
    for day in range(view.skeleton.n_days):
        if view.is_race_day(day):
            continue
        available = view.skeleton.available[day]
        session = view.strength(day)
        used = view.run_minutes(day) + (session.minutes if session is not None else 0)
        if available == 0 and (view.run_type(day) != RunType.rest or session is not None or used > 0):
            out.append(Violation("P12", view.on(day),
                                 f"{view.on(day)}: 0 minutes available but the day holds "
                                 f"{view.run_type(day).value}{' and strength' if session else ''} (P12)"))
        elif used > available:
            out.append(Violation("P12", view.on(day),
                                 f"{view.on(day)}: {used} minutes of run and strength exceed the {available} available (P12)"))
    return out


def check_p13(view: PlanView) -> list[Violation]:
    """P13: The day before an A or B race is `rest`, or `easy`/`recovery` of at most 30 min.

    Reading: the 30 is ``P13.max_easy_minutes``.
    """
    limit = view.rules.P13.max_easy_minutes
    out: list[Violation] = []
    for race in view.skeleton.races_with(Priority.A, Priority.B):
        day = race.day - 1
        if day < 0:
            continue
        kind, minutes = view.run_type(day), view.run_minutes(day)
        if kind == RunType.rest:
            continue
        if kind in (RunType.easy, RunType.recovery) and minutes <= limit:
            continue
        out.append(Violation("P13", view.on(day),
                             f"{view.on(day)}: {kind.value} {minutes} min the day before {race.priority.value} race "
                             f"{race.name!r}; rest or easy/recovery of at most {limit} (P13)"))
    return out


def check_p14(view: PlanView) -> list[Violation]:
    """P14: Session lengths: `easy` 20-90 min, `recovery` 20-35, `quality` and `tempo` 30-90,
    `long` from 60 (beginner 45) up to V4's cap; strength with warm-up: `A`/`B` 40-60, `full`
    35-45, `short` 15-25.

    Reading: a `rest` day has 0 run minutes. Race days are exempt (their minutes are the race's,
    P1). The long run's upper end is V4's cap and is reported by V4 only.
    """
    p14 = view.rules.P14
    ranges: dict[RunType, tuple[int, int | None]] = {
        RunType.rest: (0, 0),
        RunType.easy: (p14.easy_min, p14.easy_max),
        RunType.recovery: (p14.recovery_min, p14.recovery_max),
        RunType.quality: (p14.quality_min, p14.quality_max),
        RunType.tempo: (p14.tempo_min, p14.tempo_max),
        RunType.long: (p14.long_min, None),
    }
    strength_ranges = {
        SessionKind.A: (p14.ab_min, p14.ab_max),
        SessionKind.B: (p14.ab_min, p14.ab_max),
        SessionKind.full: (p14.full_min, p14.full_max),
        SessionKind.short: (p14.short_min, p14.short_max),
    }
    out: list[Violation] = []
    for day in range(view.skeleton.n_days):
        kind, minutes = view.run_type(day), view.run_minutes(day)
        if not view.is_race_day(day) and kind in ranges:
            low, high = ranges[kind]
            if minutes < low or (high is not None and minutes > high):
                if kind == RunType.rest:
                    span = "a rest day has 0"
                elif high is None:
                    span = f"below {low}"
                else:
                    span = f"outside {low}-{high}"
                out.append(Violation("P14", view.on(day), f"{view.on(day)}: {kind.value} of {minutes} min, {span} (P14)"))
        session = view.strength(day)
        if session is not None:
            low, high = strength_ranges[session.session]
            if not low <= session.minutes <= high:
                out.append(Violation("P14", view.on(day),
                                     f"{view.on(day)}: strength {session.session.value} of {session.minutes} min, "
                                     f"outside {low}-{high} (P14)"))
    return out


# ---- volume and progression (V) ----------------------------------------------------------
def v1_reference(view: PlanView, week: int) -> int:
    """V1's reference: the larger of the two previous weeks' training minutes."""
    return max(view.T(week - 1), view.T(week - 2))


def v1_limit(view: PlanView, week: int) -> Fraction:
    """The most training minutes V1 allows a week (see :func:`check_v1`), exactly."""
    pct = exact(view.rules.V1.max_increase_pct)
    return max((100 + pct) * v1_reference(view, week) / 100, Fraction(view.skeleton.minimum_week))


def check_v1(view: PlanView) -> list[Violation]:
    """V1: A week's training minutes exceed the larger of the two previous weeks' by at most
    this share (weeks before the plan count as `current_weekly_minutes`; never capped below the
    minimum week).

    Reading: ``T[w] <= max((1 + pct/100) * max(T[w-1], T[w-2]), minimum_week)``.
    """
    pct = exact(view.rules.V1.max_increase_pct)
    out: list[Violation] = []
    for week in range(view.n_weeks):
        total = view.T(week)
        if total > v1_limit(view, week):
            out.append(Violation("V1", view.monday(week),
                                 f"week of {view.monday(week)}: {total} training minutes exceed "
                                 f"{_fmt(1 + pct / 100)} x {v1_reference(view, week)} (V1)"))
    return out


def v2_chronic_mean(view: PlanView, week: int) -> Fraction | None:
    """V2's chronic load: the mean training minutes of the four weeks before (None before the
    fifth week, where V2 is not checked)."""
    chronic_weeks = view.rules.V2.chronic_weeks
    if week < chronic_weeks:
        return None
    return Fraction(sum(view.T(earlier) for earlier in range(week - chronic_weeks, week)), chronic_weeks)


def v2_limit(view: PlanView, week: int) -> Fraction | None:
    """The most training minutes V2 allows a week (see :func:`check_v2`), exactly; None where
    V2 is not checked."""
    mean = v2_chronic_mean(view, week)
    if mean is None:
        return None
    return max(exact(view.rules.V2.max_ratio) * mean, Fraction(view.skeleton.minimum_week))


def check_v2(view: PlanView) -> list[Violation]:
    """V2: Acute:chronic ratio: a week's training minutes at most this multiple of the mean of
    the four weeks before; checked from the fifth week; never capped below the minimum week.

    Reading: from plan week index 4, ``T[w] <= max(ratio * mean(T[w-4..w-1]), minimum_week)``.
    """
    out: list[Violation] = []
    for week in range(view.n_weeks):
        limit, mean = v2_limit(view, week), v2_chronic_mean(view, week)
        if limit is not None and mean is not None and view.T(week) > limit:
            out.append(Violation("V2", view.monday(week),
                                 f"week of {view.monday(week)}: {view.T(week)} training minutes exceed "
                                 f"{_fmt(exact(view.rules.V2.max_ratio))} x the "
                                 f"{view.rules.V2.chronic_weeks}-week mean {_fmt(mean)} (V2)"))
    return out


def check_v3(view: PlanView) -> list[Violation]:
    """V3: At most this many loading weeks in a row, then a deload week with training minutes at
    60-80 % of the previous week (where the minimum week is above that range, the deload week is
    the minimum week). Weeks that are not normal weeks are not loading weeks and restart the
    count.

    Reading: a loading week is a normal week whose plan week is not flagged ``deload``. A deload
    week and a non-normal week both restart the count. A week flagged ``deload`` must be a
    normal week, and its T is at least ``deload_min_pct`` % of the previous week's T (week 0:
    ``current_weekly_minutes``) and at most ``deload_max_pct`` % of it, or at most the minimum
    week where the minimum week is above ``deload_max_pct`` % of the previous week.
    """
    params = view.rules.V3
    low, high = exact(params.deload_min_pct), exact(params.deload_max_pct)
    floor = view.skeleton.minimum_week
    out: list[Violation] = []
    run = 0
    for week in range(view.n_weeks):
        monday = view.monday(week)
        normal = view.skeleton.normal_weeks[week]
        if view.deload[week]:
            run = 0
            if not normal:
                out.append(Violation("V3", monday, f"week of {monday}: flagged deload but not a normal week (V3)"))
                continue
            previous, total = view.T(week - 1), view.T(week)
            if 100 * total < low * previous:
                out.append(Violation("V3", monday,
                                     f"week of {monday}: deload week of {total} training minutes is below "
                                     f"{_fmt(low)} % of the previous week's {previous} (V3)"))
            elif 100 * total > high * previous and not (100 * floor > high * previous and total <= floor):
                out.append(Violation("V3", monday,
                                     f"week of {monday}: deload week of {total} training minutes is above "
                                     f"{_fmt(high)} % of the previous week's {previous} (V3)"))
        elif normal:
            run += 1
            if run > params.max_loading_weeks:
                out.append(Violation("V3", monday,
                                     f"week of {monday}: loading week {run} in a row, at most "
                                     f"{params.max_loading_weeks} before a deload (V3)"))
        else:
            run = 0
    return out


def _long_share_pct(view: PlanView, running_days: int) -> Fraction:
    params = view.rules.V4
    if running_days <= 3:
        return exact(params.share_pct_3_or_fewer)
    if running_days == 4:
        return exact(params.share_pct_4)
    return exact(params.share_pct_5_or_more)


def check_v4(view: PlanView) -> list[Violation]:
    """V4: The long run is at most this share of the week's training minutes, by running days:
    50 % with 3 or fewer, 40 % with 4, 30 % with 5 or more (never below the shortest long run);
    and at most this many minutes.

    Reading: running days include race days. ``long <= max(share * T, P14.long_min)`` and
    ``long <= V4.max_minutes``.
    """
    cap = view.rules.V4.max_minutes
    shortest = view.rules.P14.long_min
    out: list[Violation] = []
    for week in range(view.n_weeks):
        days = view.running_days(week)
        share = _long_share_pct(view, days)
        total = view.T(week)
        for day in view.long_days(week):
            minutes = view.run_minutes(day)
            if 100 * minutes > share * total and minutes > shortest:
                out.append(Violation("V4", view.on(day),
                                     f"{view.on(day)}: long run of {minutes} min exceeds {_fmt(share)} % of the week's "
                                     f"{total} training minutes ({days} running days) (V4)"))
            if minutes > cap:
                out.append(Violation("V4", view.on(day), f"{view.on(day)}: long run of {minutes} min exceeds {cap} (V4)"))
    return out


def v5_reference(view: PlanView, week: int) -> tuple[int, str]:
    """V5's reference for a week's long run, and where it comes from: the longest `long` run
    of the two previous weeks, else the most recent earlier `long` run, else
    `current_long_run_minutes`, else (no such minutes given) the shortest long run. Only plan
    weeks count as previous weeks."""
    recent = [view.run_minutes(day) for earlier in (week - 1, week - 2) if earlier >= 0
              for day in view.long_days(earlier)]
    if recent:
        return max(recent), "the longest long run of the two previous weeks"
    before = [day for earlier in range(week - 2) for day in view.long_days(earlier)]
    if before:
        return view.run_minutes(before[-1]), f"the long run of {view.on(before[-1])}"
    if view.athlete.volume.current_long_run_minutes is not None:
        return view.athlete.volume.current_long_run_minutes, "current_long_run_minutes"
    return view.rules.P14.long_min, "the shortest long run"


def check_v5(view: PlanView) -> list[Violation]:
    """V5: The long run grows by at most this many minutes over the reference
    (:func:`v5_reference`); never below the shortest long run.

    Reading: ``long <= max(reference + max_increase_minutes, P14.long_min)``. Where the athlete
    gives no ``current_long_run_minutes`` and no earlier long run exists, the reference is
    ``P14.long_min`` (the shortest long run).
    """
    step = view.rules.V5.max_increase_minutes
    shortest = view.rules.P14.long_min
    out: list[Violation] = []
    for week in range(view.n_weeks):
        reference, source = v5_reference(view, week)
        limit = max(reference + step, shortest)
        for day in view.long_days(week):
            minutes = view.run_minutes(day)
            if minutes > limit:
                out.append(Violation("V5", view.on(day),
                                     f"{view.on(day)}: long run of {minutes} min exceeds {reference} + {step} "
                                     f"({source}) (V5)"))
    return out


def check_v6(view: PlanView) -> list[Violation]:
    """V6: `quality`+`tempo` minutes are at most this share of the week's training minutes.

    Reading: ``100 * (quality + tempo minutes) <= max_share_pct * T``; race minutes are not
    quality minutes.
    """
    pct = exact(view.rules.V6.max_share_pct)
    out: list[Violation] = []
    for week in range(view.n_weeks):
        hard = sum(view.run_minutes(day) for day in view.quality_days(week))
        total = view.T(week)
        if 100 * hard > pct * total:
            out.append(Violation("V6", view.monday(week),
                                 f"week of {view.monday(week)}: {hard} quality/tempo minutes exceed {_fmt(pct)} % of "
                                 f"{total} training minutes (V6)"))
    return out


def check_v7(view: PlanView) -> list[Violation]:
    """V7: Taper before an A race (days by distance). No taper week exceeds the reference week,
    and race week's training minutes are 40-60 % of it, or the shortest easy run times the runs
    P6 requires that week where that is more. Each taper week before race week keeps one
    `quality` or `tempo` session (or a C race), unless a recovery window (V8) or an availability
    exception touches it. B races: no hard day in the 2 days before.

    Reading: taper weeks are ``skeleton.taper_weeks(race)``; R is the most training minutes over
    ``skeleton.reference_weeks(race)`` (weeks before the plan: ``current_weekly_minutes``).
    Every taper week: T <= R. Race week: ``T >= race_week_min_pct % of R`` and
    ``T <= max(race_week_max_pct % of R, P14.easy_min * (min_running_days - race days that
    week))``. Weeks where ``skeleton.taper_quality_required(week)`` hold a quality, tempo or C
    race. B race: no hard day in the ``b_race_easy_days`` days before it (the race day itself
    is not among them).
    """
    params = view.rules.V7
    sk = view.skeleton
    out: list[Violation] = []
    for race in sk.races_with(Priority.A):
        reference = view.reference_minutes(race)
        for week in sk.taper_weeks(race):
            monday, total = view.monday(week), view.T(week)
            if total > reference:
                out.append(Violation("V7", monday,
                                     f"week of {monday}: taper week of {total} training minutes exceeds the reference "
                                     f"week's {reference} before A race {race.name!r} (V7)"))
            if sk.taper_quality_required(week) and not view.quality_days(week) and not view.c_race_days(week):
                out.append(Violation("V7", monday,
                                     f"week of {monday}: taper week before A race {race.name!r} without a quality "
                                     f"or tempo session (V7)"))
        week = race.week
        monday, total = view.monday(week), view.T(week)
        low, high = exact(params.race_week_min_pct), exact(params.race_week_max_pct)
        easy_floor = view.rules.P14.easy_min * (sk.min_running_days(week) - len(sk.race_days_in_week(week)))
        if 100 * total < low * reference:
            out.append(Violation("V7", monday,
                                 f"week of {monday}: race week of {total} training minutes is below {_fmt(low)} % of "
                                 f"the reference week's {reference} (V7)"))
        elif 100 * total > high * reference and total > easy_floor:
            out.append(Violation("V7", monday,
                                 f"week of {monday}: race week of {total} training minutes is above "
                                 f"max({_fmt(high)} % of the reference week's {reference}, {easy_floor}) (V7)"))
    for race in sk.races_with(Priority.B):
        for day in range(max(race.day - params.b_race_easy_days, 0), race.day):
            if view.is_hard(day):
                out.append(Violation("V7", view.on(day),
                                     f"{view.on(day)}: {view.run_type(day).value} {race.day - day} days before B race "
                                     f"{race.name!r}; no hard day in the {params.b_race_easy_days} days before (V7)"))
    return out


def check_v8(view: PlanView) -> list[Violation]:
    """V8: Recovery after a race: no `quality`, `tempo` or `long` for a number of days, and no
    strength in the first 3 of them. Every week overlapping an A race's recovery holds at most
    70 % of the training minutes of that race's reference week (V7), or the minimum week where
    that is more.

    Reading: recovery days are ``skeleton.recovery(race)`` for every race; the first
    ``V8.no_strength_days`` of them hold no strength; each week of
    ``skeleton.a_recovery_weeks(race)`` has ``T <= max(week_cap_pct % of R, minimum_week)``.
    """
    params = view.rules.V8
    sk = view.skeleton
    banned = QUALITY_RUN_TYPES | {RunType.long}
    cap_pct = exact(params.week_cap_pct)
    out: list[Violation] = []
    for race in sk.races:
        window, no_strength = sk.recovery(race), sk.no_strength_after(race)
        for day in window.days():
            if view.run_type(day) in banned:
                out.append(Violation("V8", view.on(day),
                                     f"{view.on(day)}: {view.run_type(day).value} on recovery day {day - race.day} "
                                     f"after race {race.name!r} (V8)"))
            session = view.strength(day)
            if session is not None and day in no_strength:
                out.append(Violation("V8", view.on(day),
                                     f"{view.on(day)}: strength {session.session.value} on recovery day {day - race.day} "
                                     f"after race {race.name!r}; none in the first {params.no_strength_days} (V8)"))
        if race.priority != Priority.A:
            continue
        reference = view.reference_minutes(race)
        for week in sk.a_recovery_weeks(race):
            total = view.T(week)
            if 100 * total > cap_pct * reference and total > sk.minimum_week:
                out.append(Violation("V8", view.monday(week),
                                     f"week of {view.monday(week)}: {total} training minutes exceed {_fmt(cap_pct)} % of "
                                     f"the reference week's {reference} after A race {race.name!r} (V8)"))
    return out


def check_v9(view: PlanView) -> list[Violation]:
    """V9: A week's training minutes never exceed the athlete's `peak_weekly_minutes`."""
    peak = view.athlete.volume.peak_weekly_minutes
    return [
        Violation("V9", view.monday(week),
                  f"week of {view.monday(week)}: {view.T(week)} training minutes exceed the peak of {peak} (V9)")
        for week in range(view.n_weeks)
        if view.T(week) > peak
    ]


#: Every hard rule's check, by RULES.md code, in RULES.md order.
CHECKS: dict[str, Check] = {
    "P1": check_p1, "P2": check_p2, "P3": check_p3, "P4": check_p4, "P5": check_p5,
    "P6": check_p6, "P7": check_p7, "P8": check_p8, "P9": check_p9, "P10": check_p10,
    "P11": check_p11, "P12": check_p12, "P13": check_p13, "P14": check_p14,
    "V1": check_v1, "V2": check_v2, "V3": check_v3, "V4": check_v4, "V5": check_v5,
    "V6": check_v6, "V7": check_v7, "V8": check_v8, "V9": check_v9,
}
assert tuple(CHECKS) == HARD_RULE_CODES, "every hard rule has exactly one check"

_ORDER = {code: index for index, code in enumerate((*HARD_RULE_CODES, "S1", "S2", "S3", "S4", "S5"))}


def validate_plan(athlete: Athlete, plan: Plan, rules: Rules | None = None) -> list[Violation]:
    """Check every hard rule (P1-P14, V1-V9) and the strength prescription (S1-S5, where the
    plan carries exercises) on a finished plan; ``[]`` means the plan is valid.

    Reads only the plan and the season skeleton built from ``athlete`` and ``rules`` (resolved
    from the athlete when not given). Violations are sorted by date (plan-wide ones first),
    then by rule code in RULES.md order.
    """
    rules = rules or resolve_rules(athlete)
    skeleton = build_skeleton(athlete, rules)
    if not plan.weeks:  # one line, not a P1 for every day and a P3 for every normal week (166 of them)
        return [Violation("P1", None, f"the plan has no weeks, the season has {skeleton.n_weeks}: no day is planned (P1)")]
    view = PlanView(athlete, plan, rules, skeleton)
    # Imported here: the strength checks build on PlanView and Violation from this module.
    from periodize.validate_strength import STRENGTH_CHECKS

    checks = [*CHECKS.values(), *STRENGTH_CHECKS.values()]
    found = [violation for check in checks for violation in check(view)]
    return sorted(found, key=lambda v: (v.date or date.min, _ORDER.get(v.code, len(_ORDER)), v.message))


def violations_by_code(violations: Iterable[Violation]) -> dict[str, int]:
    """How many violations each rule code has, in RULES.md order."""
    counts = Counter(violation.code for violation in violations)
    return {code: counts[code] for code in sorted(counts, key=lambda code: (_ORDER.get(code, len(_ORDER)), code))}


__all__ = ["CHECKS", "PlanView", "Violation", "validate_plan", "violations_by_code"]
