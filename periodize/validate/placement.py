"""The placement and recovery rules (P1-P14), one ``check_*`` per rule: each docstring quotes
the rule and states the reading used (the solver posts the same reading,
:mod:`periodize.solver.rules.placement`)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from periodize.models.athlete import Priority
from periodize.models.plan import (
    STRENGTH_COMPATIBLE_RUNS,
    RunType,
    SessionKind,
    StrengthSession,
)
from periodize.validate.strength import deload_sets
from periodize.validate.view import PlanView, Violation


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
            out.append(Violation("P1", week.start, f"week {index + 1} starts {week.start}, not {sk.week_start(index)} (P1)"))
        dates = [day.date for day in week.days]
        try:
            expected: list[date] | None = [week.start + timedelta(days=offset) for offset in range(7)]
        except OverflowError:  # a week starting in the calendar's last days: no Sunday follows
            expected = None
        if dates != expected:
            out.append(Violation("P1", week.start, f"week of {week.start}: days are not its Monday to Sunday in order (P1)"))
        run_total = sum(day.run.minutes for day in week.days)
        training_total = week.days_training
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
    allowed). Only normal weeks must hold one, where one of their days can
    (``skeleton.long_run_required``; README, P3 readings).
    """
    out: list[Violation] = []
    for week in range(view.n_weeks):
        longs = view.long_days(week)
        monday = view.monday(week)
        if len(longs) > 1:
            out.append(Violation("P3", monday, f"week of {monday}: {len(longs)} long runs, at most 1 (P3)"))
        if not longs and view.skeleton.long_run_required(week):
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

    Reading: count = quality and tempo days + C race days of the week.
    ``<= skeleton.quality_upper_bound(week)`` always (``P4.max_sessions``, or the week's C
    races where they alone are more: README, P4 readings); ``>= P4.min_sessions`` where
    ``skeleton.quality_lower_bound_applies(week)``, or fewer where the athlete's days hold fewer
    beside the long run (``skeleton.quality_sessions_required``, README, P4 readings). A quality
    or tempo day inside a recovery window is reported by V8, not here.
    """
    out: list[Violation] = []
    for week in range(view.n_weeks):
        count = len(view.quality_days(week)) + len(view.c_race_days(week))
        monday, most = view.monday(week), view.skeleton.quality_upper_bound(week)
        if count > most:
            out.append(Violation("P4", monday,
                                 f"week of {monday}: {count} quality/tempo sessions (C races included), "
                                 f"more than {most} (P4)"))
        least = view.skeleton.quality_sessions_required
        if view.skeleton.quality_lower_bound_applies(week) and count < least:
            out.append(Violation("P4", monday,
                                 f"week of {monday}: {count} quality/tempo sessions (C races included), "
                                 f"fewer than {least} (P4)"))
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

    Reading: at 2 a normal week holds exactly {A, B}, or {full, short} where its runs leave no
    room for A and B (S4's busy week, :func:`room_for_a_and_b`); any other week a subset of
    one of those pairs (never A with full, never two of a kind). At 1 a normal week holds
    exactly one `full`, other weeks at most one `full`. At 0 there is no strength at all. One
    session a day at most is structural (a Day holds one session). A normal week whose days
    hold fewer sessions (``Skeleton.p10_sessions``, README P10 readings) holds exactly those:
    one `full`, or none.
    """
    out: list[Violation] = []
    for week in range(view.n_weeks):
        allowed = _session_sets(view.skeleton.p10_sessions(week))
        held = held_sessions(view, week)
        normal = view.skeleton.normal_weeks[week]
        ok = any(held == pattern for pattern in allowed) if normal else any(held <= pattern for pattern in allowed)
        if ok and normal and held == BUSY_PAIR:
            if room := room_for_a_and_b(view, week):
                out.append(Violation("P10", view.monday(week),
                                     f"week of {view.monday(week)}: full + short in a normal week whose runs leave room "
                                     f"for A on {view.on(room[0]):%a %Y-%m-%d} and B on {view.on(room[1]):%a %Y-%m-%d}; "
                                     f"only a busy week (S4) replaces A + B (P10)"))
            continue
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


#: S4's busy-week pair.
BUSY_PAIR = Counter({SessionKind.full: 1, SessionKind.short: 1})


def held_sessions(view: PlanView, week: int) -> Counter[SessionKind]:
    """The strength sessions a week of the plan holds, by kind."""
    return Counter(session.session for day in view.week_days(week) if (session := view.strength(day)) is not None)


def busy_weeks_with_room(view: PlanView) -> list[int]:
    """Normal weeks holding the busy pair where their runs leave room for A and B: P10's
    violations of S4's busy week (the solver's check of its first pass, ``solve_skeleton``)."""
    return [week for week in range(view.n_weeks) if view.skeleton.normal_weeks[week]
            and held_sessions(view, week) == BUSY_PAIR and room_for_a_and_b(view, week) is not None]


def strength_bar(view: PlanView, day: int, minutes: int) -> str | None:
    """The rule that keeps a session of ``minutes`` off ``day`` beside the plan's run, the first
    of: a quality, tempo, long or race run that day (P7), the day before a long run or a race
    (P8), too few of the day's minutes left beside its run (P12); None where it has room.
    (explain names the same bars where it says why a week holds no A or B.)"""
    if view.run_type(day) not in STRENGTH_COMPATIBLE_RUNS:
        return "P7"
    if day + 1 < view.skeleton.n_days and view.run_type(day + 1) in (RunType.long, RunType.race):
        return "P8"
    if view.skeleton.available[day] - view.run_minutes(day) < minutes:
        return "P12"
    return None


def room_for_a_and_b(view: PlanView, week: int) -> tuple[int, int] | None:
    """Days (A's, B's) of ``week`` where A and B could stand beside the plan's runs, or None:
    two days two or more apart (P9), each with an easy, recovery or rest run (P7), no long run
    or race the next day (P8), room for the session's planned minutes beside its run (P12),
    and not next to the other session on a neighbouring week's edge day (P9).

    Reading of S4's "a week whose available minutes cannot hold A and B beside its runs": no
    such days. The minutes alone (P12) would call a week with a rest Sunday not busy where that
    Sunday is the day before a Monday long run, and a runner whose only roomy days are a long
    run's and the day after it could have no plan at all."""
    days = view.week_days(week)

    def holds(day: int, kind: SessionKind) -> bool:
        other = SessionKind.B if kind == SessionKind.A else SessionKind.A
        neighbours = [n for n in (day - 1, day + 1) if n not in days and 0 <= n < view.skeleton.n_days]
        return (strength_bar(view, day, view.rules.P14.planned_minutes(kind)) is None
                and not any((session := view.strength(n)) is not None and session.session == other for n in neighbours))

    return next(((a, b) for a in days if holds(a, SessionKind.A)
                 for b in days if abs(a - b) >= 2 and holds(b, SessionKind.B)), None)


def check_p11(view: PlanView) -> list[Violation]:
    """P11: No strength in the last N days before an A race; at most one light session in the
    14 days before it.

    Reading: no session in ``skeleton.no_strength_before(race)``; in ``skeleton.pre_race(race)``
    at most one session, and it is light (:func:`_not_light`): `short`, or at deload dose. The
    dose is the plan's word only in a placement-only plan (no session prescribed); where the
    plan prescribes, it is read from the sets: at most a deload's (S2). A Day A of full sets
    labelled deload had passed P11 (S2 reported the label), and a deload's sets labelled
    normal had been reported here.
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
            heavy = _not_light(view, session, day) if session is not None and day not in banned else None
            if heavy:
                out.append(Violation("P11", view.on(day), f"{view.on(day)}: {heavy} before A race {race.name!r} is not light (P11)"))
    return out


def _not_light(view: PlanView, session: StrengthSession, day: int) -> str | None:
    """How a session is not light, in words; None where it is (RULES.md: a `short` session, or
    any session at deload dose)."""
    if not session.exercises:  # placement only: the dose is the plan's word
        return None if session.is_light else f"{session.session.value} at {session.dose} dose"
    if session.session == SessionKind.short:
        return None
    held, baseline, _, most = deload_sets(view, session, day)
    if held <= most:
        return None
    return f"{session.session.value} with {held} sets (a deload keeps at most {most} of its {baseline})"


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


