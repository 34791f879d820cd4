"""The volume and progression rules (V1-V9), one ``check_*`` per rule, and the limits
explanations quote (``v1_limit``, ``v2_limit``, ``v5_reference``): each docstring quotes the rule
and states the reading used (the solver posts the same reading,
:mod:`periodize.solver.rules.volume`)."""

from __future__ import annotations

from fractions import Fraction

from periodize.models.athlete import Priority
from periodize.models.plan import (
    QUALITY_RUN_TYPES,
    RunType,
)
from periodize.models.rules import exact
from periodize.validate.view import PlanView, Violation


def _fmt(value: float | Fraction) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:g}"


def v1_reference(view: PlanView, week: int) -> int:
    """V1's reference: the larger of the two previous weeks' training minutes."""
    return max(view.T(week - 1), view.T(week - 2))


def v1_growth(view: PlanView, week: int) -> Fraction:
    """V1's own limit before its floor: ``max_increase_pct`` over :func:`v1_reference`."""
    return (100 + exact(view.rules.V1.max_increase_pct)) * v1_reference(view, week) / 100


def v1_limit(view: PlanView, week: int) -> Fraction:
    """The most training minutes V1 allows a week (see :func:`check_v1`), exactly."""
    return max(v1_growth(view, week), Fraction(view.skeleton.volume_floor(week)))


def check_v1(view: PlanView) -> list[Violation]:
    """V1: A week's training minutes exceed the larger of the two previous weeks' by at most
    this share (weeks before the plan count as `current_weekly_minutes`; never capped below the
    minimum week).

    Reading: ``T[w] <= max((1 + pct/100) * max(T[w-1], T[w-2]), volume_floor(w))``, the
    minimum week or, in a taper week keeping its quality session, the least it must hold
    (``Skeleton.volume_floor``, README).
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


def v2_growth(view: PlanView, week: int) -> Fraction | None:
    """V2's own limit before its floor: ``max_ratio`` times :func:`v2_chronic_mean` (None where
    V2 is not checked)."""
    mean = v2_chronic_mean(view, week)
    return None if mean is None else exact(view.rules.V2.max_ratio) * mean


def v2_limit(view: PlanView, week: int) -> Fraction | None:
    """The most training minutes V2 allows a week (see :func:`check_v2`), exactly; None where
    V2 is not checked."""
    growth = v2_growth(view, week)
    return None if growth is None else max(growth, Fraction(view.skeleton.volume_floor(week)))


def check_v2(view: PlanView) -> list[Violation]:
    """V2: Acute:chronic ratio: a week's training minutes at most this multiple of the mean of
    the four weeks before; checked from the fifth week; never capped below the minimum week.

    Reading: from plan week index 4, ``T[w] <= max(ratio * mean(T[w-4..w-1]),
    volume_floor(w))`` (as V1's).
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
        share = exact(view.rules.V4.share_pct(days))
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
    Every taper week: ``T <= max(R, skeleton.v7_week_floor(week))``, the fewest minutes the
    other hard rules leave the week (a collision read for feasibility, README). Race week
    (``skeleton.v7_floor_week``; none for a race Monday to Thursday): ``T >= race_week_min_pct
    % of R`` (where an exception takes time from the week or the two before,
    ``skeleton.v7_race_week_waived``, or ``T >= skeleton.v7_week_floor(week)``, the shortest
    easy run times P6's runs beside the race days); race week, and the week before for a race
    Monday to Thursday (``skeleton.v7_cut_weeks``): ``T <= max(race_week_max_pct % of R,
    skeleton.v7_week_floor(week))``, which in the week before counts its taper quality session.
    Weeks where ``skeleton.taper_quality_required(week)`` hold a quality, tempo or C race. A and
    B races: no hard day on ``skeleton.v7_easy_days(race)``, the ``b_race_easy_days`` days
    before it (the race day itself is not among them; A races by the README's reading, where
    ``skeleton.v7_sharpening_days(race)`` allows a quality or tempo session).
    """
    params = view.rules.V7
    sk = view.skeleton
    out: list[Violation] = []
    for race in sk.races_with(Priority.A):
        reference = view.reference_minutes(race)
        for week in sk.taper_weeks(race):
            monday, total = view.monday(week), view.T(week)
            floor = sk.v7_week_floor(week)  # the least the week must hold (README, V7 readings)
            if total > max(reference, floor):
                out.append(Violation("V7", monday,
                                     f"week of {monday}: taper week of {total} training minutes exceeds the reference "
                                     f"week's {reference} before A race {race.name!r}"
                                     f"{f' and the {floor} the week must hold' if floor > reference else ''} (V7)"))
            if sk.taper_quality_required(week) and not view.quality_days(week) and not view.c_race_days(week):
                out.append(Violation("V7", monday,
                                     f"week of {monday}: taper week before A race {race.name!r} without a quality "
                                     f"or tempo session (V7)"))
        floored = sk.v7_floor_week(race)
        low, high = exact(params.race_week_min_pct), exact(params.race_week_max_pct)
        for week in sk.v7_cut_weeks(race):
            if week >= sk.n_weeks:
                continue
            monday, total = view.monday(week), view.T(week)
            what = "race week" if week == race.week else f"last week before {race.name!r} (a {race.date:%A} race)"
            floor = sk.v7_week_floor(week)
            # Where an exception takes time from the week or the two before, the 40 % asks at
            # most the floor (README, V7 reading): such race weeks had no plan.
            waived = sk.v7_race_week_waived(week) and total >= floor
            if week == floored and 100 * total < low * reference and not waived:
                out.append(Violation("V7", monday,
                                     f"week of {monday}: {what} of {total} training minutes is below {_fmt(low)} % of "
                                     f"the reference week's {reference} (V7)"))
            elif 100 * total > high * reference and total > floor:
                out.append(Violation("V7", monday,
                                     f"week of {monday}: {what} of {total} training minutes is above "
                                     f"max({_fmt(high)} % of the reference week's {reference}, {floor}) (V7)"))
    for race in sk.races:
        sharpening = sk.v7_sharpening_days(race)  # a quality session may run there, no long run
        for day in sk.v7_easy_days(race):  # before A and B races (README, V7 readings)
            if view.is_hard(day) and not (day in sharpening and view.run_type(day) in QUALITY_RUN_TYPES):
                out.append(Violation("V7", view.on(day),
                                     f"{view.on(day)}: {view.run_type(day).value} {race.day - day} days before "
                                     f"{race.priority.value} race {race.name!r}; no hard day in the "
                                     f"{params.b_race_easy_days} days before (V7)"))
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


