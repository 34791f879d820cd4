"""Races the calendar places where a coach would look twice, and volumes the athlete's own
numbers put out of reach: notes, not errors.

The rules plan around each of these (a race is fixed, its day exempt from P12; a race inside
another's recovery window keeps V8), so the season stays valid. But a runner adding a B half
seven days after another half, or a 10k on a ski-trip day, should hear it said rather than
find it in the plan. ``solve`` prints them before solving (with the other :func:`season_notes`,
as ``batch`` reports them per athlete), and ``whatif`` names the ones a scenario adds. Read from
the skeleton alone, as the rules are.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

from periodize.models.athlete import WEEKDAYS, Priority
from periodize.models.plan import SessionKind
from periodize.season import RaceInfo, Skeleton

if TYPE_CHECKING:
    from periodize.solver.relaxation import ChainCaps


def dated_race(race: RaceInfo) -> str:
    """``Spring Half (B race, sun 2027-03-21)``: a race as the notes and ``explain`` name it."""
    return f"{race.name} ({race.priority} race, {WEEKDAYS[race.date.weekday()]} {race.date})"


def _span(skeleton: Skeleton, first: int, last: int) -> str:
    """A window's dates as the rule defines it, not cut where the plan starts or ends."""
    return f"{skeleton.date_of(first)} to {skeleton.date_of(last)}"


def race_clashes(skeleton: Skeleton) -> list[str]:
    """One line per race that falls in another race's recovery (V8) or an A race's taper (V7),
    on a day with no minutes available, whose own taper starts before the plan does, or whose
    recovery runs past the plan's end (a ``season.end`` set soon after a race: the plan is valid,
    but the days after it still belong to V8's window, and the runner should hear it)."""
    notes: list[str] = []
    last_day = skeleton.n_days - 1
    for race in skeleton.races:
        for other in skeleton.races:
            if other is race:
                continue
            recovery, taper = skeleton.recovery(other), skeleton.taper(other)
            if race.day in recovery:
                span = _span(skeleton, other.day + 1, other.day + other.recovery_days)
                notes.append(f"{dated_race(race)} falls in the recovery after {other.name} (V8, {span})")
            elif race.day in taper:
                span = _span(skeleton, other.day - other.taper_days, other.day - 1)
                notes.append(f"{dated_race(race)} falls in the taper before {other.name} (V7, {span})")
        if skeleton.available[race.day] == 0:
            why = skeleton.exception_notes[race.day] or ("an availability exception" if skeleton.exception_day[race.day]
                                                          else f"availability.{WEEKDAYS[race.date.weekday()]}")
            notes.append(f"{dated_race(race)} falls on a day with 0 minutes available ({why}); a race day is exempt "
                         "from P12, so the race is kept")
        if race.priority == Priority.A and race.day < race.taper_days:
            notes.append(f"{dated_race(race)}: its {race.taper_days}-day taper (V7) starts before the plan's first day "
                         f"{skeleton.start}; the plan holds {race.day} of its days")
        if race.day + race.recovery_days > last_day:
            notes.append(_recovery_cut(skeleton, race, last_day))
    return notes


def _recovery_cut(skeleton: Skeleton, race: RaceInfo, last_day: int) -> str:
    """A race's recovery that runs past the plan's ``last_day``: the days the plan holds, and
    what V8 still asks of the days after."""
    held = last_day - race.day
    after = race.recovery_days - held
    unplanned_strength = max(0, min(skeleton.rules.V8.no_strength_days, race.recovery_days) - held)
    strength = f", and no strength in the first {unplanned_strength}" if unplanned_strength else ""
    return (f"{dated_race(race)}: its {race.recovery_days}-day recovery (V8) runs past the plan's last day "
            f"{skeleton.date_of(last_day)}; the plan holds {held} of its days: keep the {after} days "
            f"after it free of quality, tempo and long runs{strength}")


def season_notes(skeleton: Skeleton) -> list[str]:
    """Notes on how the file was read where a runner may not expect it (RULES.md, not errors):
    a season starting after a Monday is planned from that Monday, and one ending before a
    Sunday to that Sunday, whole weeks; races placed where a coach would look twice
    (:func:`race_clashes`: in another race's recovery, on a day without minutes); an exception
    outside the plan's weeks changes nothing (a mistyped year, most likely); plyometrics asked
    for at fewer than two sessions a week are never written; volumes no week can hold
    (:func:`volume_notes`) and current volumes below the rules' floors (:func:`restart_notes`);
    strength sessions planned shorter than their content; P10's sessions and P4's quality
    sessions held below what the athlete asked by the README's readings
    (:func:`sessions_held_notes`, :func:`quality_floor_notes`). ``solve`` prints each as ``note: ...`` before solving, ``batch`` gives them per athlete in its report
    and summary."""
    athlete = skeleton.athlete
    first, last = skeleton.start, skeleton.date_of(skeleton.n_days - 1)
    notes = []
    before_start = range((athlete.season.start - first).days)
    if any(skeleton.available[day] for day in before_start):  # days already at 0 need no note
        notes.append(f"the plan starts on Monday {first}, the Monday of season.start {athlete.season.start} "
                     "(RULES.md: plans are whole weeks, Monday to Sunday); to keep the days before it free, add an "
                     f"exception with minutes: 0 from {first} to {athlete.season.start - timedelta(days=1)}")
    end = athlete.season.end
    if end is not None and any(skeleton.available[day] for day in range(skeleton.day_of(end) + 1, skeleton.n_days)):
        notes.append(f"the plan ends on Sunday {last}, the Sunday of season.end {end} (RULES.md: plans are "
                     "whole weeks, Monday to Sunday); to keep the days after it free, add an exception with "
                     f"minutes: 0 from {end + timedelta(days=1)} to {last}")
    notes += race_clashes(skeleton)
    for index, exception in enumerate(athlete.exceptions):
        if exception.to < first or exception.from_ > last:
            notes.append(f"exceptions[{index}] ({exception.from_} to {exception.to}) is outside the plan's weeks "
                         f"({first} to {last}) and changes nothing")
    # late: the CLI imports this module at start-up, before any athlete is read
    from periodize.strength.prescribe import PLYO_SESSIONS

    sessions = athlete.strength.sessions_per_week
    notes += sessions_held_notes(skeleton)
    if athlete.strength.plyometrics and sessions == 0:
        notes.append("strength.plyometrics is on, but sessions_per_week is 0: the plan holds no strength "
                     "session to put them in")
    elif athlete.strength.plyometrics and sessions < len(PLYO_SESSIONS):
        notes.append(f"strength.plyometrics is on, but plyometrics go into A and B sessions only (the minimal "
                     f"full session keeps to the lifts, S4); at sessions_per_week {sessions} the plan holds none")
    return (notes + volume_notes(skeleton) + restart_notes(skeleton) + session_length_notes(skeleton)
            + no_intensity_notes(skeleton) + quality_floor_notes(skeleton))


def no_intensity_notes(skeleton: Skeleton) -> list[str]:
    """What the athlete's 0 waives (``Skeleton.allows_quality``): P4's minimum and V7's taper
    session, said where the rules would have asked them, so that a file asking for both (V6 at 0
    beside ``P4: {min_sessions: 2}``) hears which number the plan kept."""
    if skeleton.allows_quality:
        return []
    rules = skeleton.rules
    cause = "rules.P4.max_sessions is 0" if rules.P4.max_sessions == 0 else "rules.V6.max_share_pct is 0"
    waived = [f"P4's min_sessions {rules.P4.min_sessions}"] if rules.P4.min_sessions else []
    if any(skeleton.v7_asks_taper_session(week) for week in range(skeleton.n_weeks)):
        waived.append("V7's quality session in each taper week")
    if not waived:
        return []
    return [f"{cause}, so the plan holds no quality or tempo session: {' and '.join(waived)} "
            f"{'is' if len(waived) == 1 else 'are'} waived"]


def sessions_held_notes(skeleton: Skeleton) -> list[str]:
    """P10's count held below ``sessions_per_week`` in normal weeks (``Skeleton.p10_sessions``,
    README P10 readings), said with the rules that hold it and the weeks, so that a weekend
    runner hears why the plan lifts once a week."""
    weeks = skeleton.weeks_holding_fewer_sessions
    if not weeks:
        return []
    asked = skeleton.athlete.strength.sessions_per_week
    by_count: dict[int, list[int]] = {}
    for week in weeks:
        by_count.setdefault(skeleton.p10_sessions(week), []).append(week)
    # The fewest weeks named first; the most, where they are all the other normal weeks, as such.
    groups = sorted(by_count.items(), key=lambda item: (len(item[1]), item[0]))
    everyone = len(weeks) == sum(skeleton.normal_weeks)

    def scope(index: int, named: list[int]) -> str:
        if everyone and index == len(groups) - 1:
            return "in every normal week" if len(groups) == 1 else "in every other normal week"
        return f"in week{'s' if len(named) > 1 else ''} {', '.join(str(week + 1) for week in named)}"

    held = " and ".join(f"{count} {scope(index, named)}" for index, (count, named) in enumerate(groups))
    return [f"strength.sessions_per_week {asked} is held at {held}: the days with minutes hold no more beside "
            "a normal week's runs (P7 keeps strength off the long run's day and any quality day, P8 off the day "
            "before the long run or a race); at 1 the session is full (S4)"]


def quality_floor_notes(skeleton: Skeleton) -> list[str]:
    """P4's lower bound held below ``min_sessions`` by the README's P4 readings
    (``Skeleton.quality_sessions_required``): said, with the reason, so that a runner of two
    runs a week hears why the plan's normal weeks hold no quality session."""
    rules, held = skeleton.rules, skeleton.quality_sessions_required
    if not skeleton.allows_quality or held >= rules.P4.min_sessions:
        return []
    if not any(skeleton.normal_weeks):  # P4's lower bound is read where P3 asks a long run beside it
        return []
    runs = skeleton.athlete.runs_per_week.max
    if held < skeleton.quality_sessions_by_days:
        most = skeleton.runs_a_week_hold
        limit = (f"runs_per_week.max {runs}" if most == runs
                 else f"{most} days with minutes for a run (runs_per_week.max {runs})")
        why = (f"with {limit}, no normal week can hold a long run (P3) and "
               f"{skeleton.quality_sessions_by_days} quality or tempo {_sessions(skeleton.quality_sessions_by_days)} "
               f"within V4's share for the long run and V6's {rules.V6.max_share_pct:g} % for quality")
    else:
        why = ("the days with minutes for one, beside the long run (P3), no two hard days in a row (P2) and "
               f"within runs_per_week.max {runs}, hold {'none' if held == 0 else held}")
    return [f"P4's min_sessions {rules.P4.min_sessions} is held at {held} in the weeks it applies: {why}"]


def _sessions(count: int) -> str:
    return "session" if count == 1 else "sessions"


def volume_notes(skeleton: Skeleton) -> list[str]:
    """Volumes the athlete's own numbers put out of reach: a ``peak_weekly_minutes`` above what
    any week of the season can hold, and a ``current_weekly_minutes`` above what a normal first
    week can hold. The plan is valid either way, but O1's phase curve (a share of the peak)
    and V1's growth (from the current minutes) then aim at weeks no plan holds, and a runner
    reading 6,000 points of O1, or a first week 165 minutes below last week's, should hear
    why: which limit holds the week (``_week_limit``) and by how much. The week's limits are
    the volume relaxation's (``relaxation.chain_caps``), every one a hard rule's."""
    # late: the CLI imports this module at start-up, before any athlete is read
    from periodize.solver.relaxation import chain_caps, most_training_units

    caps = chain_caps(skeleton)
    most = most_training_units(skeleton, caps)
    volume, notes = skeleton.athlete.volume, []
    # At least 0: a week whose available minutes do not hold P10's strength holds no run.
    held = [(max(units * 5, 0), week) for week, units in enumerate(most) if units is not None]
    if held and max(held)[0] < volume.peak_weekly_minutes:
        minutes, week = max(held)
        notes.append(f"volume.peak_weekly_minutes {volume.peak_weekly_minutes} is more than any week of the season can "
                     f"hold: at most {minutes} training minutes ({_week_limit(skeleton, week, caps)}); O1's phase "
                     "curve aims at shares of the peak, so the plan pays O1 in the weeks it cannot reach")
    first = most[0] if most else None
    if (first is not None and 5 * first < volume.current_weekly_minutes and skeleton.normal_weeks[0]
            and not skeleton.is_exception_week(0)):
        notes.append(f"volume.current_weekly_minutes {volume.current_weekly_minutes} is more than the plan's first "
                     f"week can hold: at most {max(5 * first, 0)} training minutes ({_week_limit(skeleton, 0, caps)})")
    return notes


def restart_notes(skeleton: Skeleton) -> list[str]:
    """Current volumes further below what the rules let a normal week or a long run hold than V1
    and V5 let them grow (where the floors, not the growth rules, set the first weeks): a runner
    coming back from injury (40 minutes a week, a 20-minute long run) got a first week of 120
    minutes with a 60-minute long run, three times last week's, and no word of why; V1 and V5
    never cap below the minimum week and the shortest long run (RULES.md)."""
    volume, rules, notes = skeleton.athlete.volume, skeleton.rules, []
    grown = volume.current_weekly_minutes * (100 + rules.V1.max_increase_pct) / 100
    if grown < skeleton.minimum_week:
        # V1's floor is every week's (a first week holding a C race too), not only a normal week's.
        notes.append(f"volume.current_weekly_minutes {volume.current_weekly_minutes} is below the minimum week, "
                     f"{skeleton.minimum_week} training minutes (the fewest RULES.md allows a normal week), which V1 "
                     f"never caps a week below, so the first weeks may grow more than V1's "
                     f"{rules.V1.max_increase_pct:g} % over last week's")
    long_run = volume.current_long_run_minutes
    if long_run is not None and long_run + rules.V5.max_increase_minutes < rules.P14.long_min:
        notes.append(f"volume.current_long_run_minutes {long_run} is below the shortest long run, {rules.P14.long_min} "
                     f"minutes (P14), by more than V5's {rules.V5.max_increase_minutes}: the plan's long runs start "
                     f"at {rules.P14.long_min} (V5 never caps one below it)")
    return notes


def _week_limit(skeleton: Skeleton, week: int, caps: ChainCaps) -> str:
    """What holds week ``week`` at its most training minutes, in the athlete's terms: its
    available minutes less P10's fewest strength minutes, or its runs at P14's and V4's
    lengths, the long run as far as V5 lets it grow since the plan began."""
    from periodize.solver.relaxation import (
        long_run_share_caps,
        longest_beside_long_units,
        longest_long_run_units,
        runs_with_room,
    )

    capacity, time_cap = caps["capacities"][week], caps["time_caps"][week]
    if time_cap is not None and (capacity is None or time_cap < capacity):
        strength = skeleton.minimum_strength_minutes(week)
        less = f", less {strength} minutes of strength sessions (P10)" if strength else ""
        return f"the week's available minutes{less}"
    rules, most_runs = skeleton.rules, skeleton.athlete.runs_per_week.max
    runs = runs_with_room(skeleton, week)
    longest, beside = 5 * longest_long_run_units(skeleton, week), 5 * longest_beside_long_units(skeleton)
    start = ("current_long_run_minutes" if skeleton.athlete.volume.current_long_run_minutes is not None
             else "the shortest long run")
    grown = ("V4" if longest >= rules.V4.max_minutes
             else f"V5: {rules.V5.max_increase_minutes} minutes a week over {start}")
    if runs == 0:
        return "no day of the week has minutes for a run beside P5's rest days"
    counted = (f"runs_per_week.max {runs} {'run' if runs == 1 else 'runs'}" if runs == most_runs
               else f"{runs} {'run' if runs == 1 else 'runs'}: the days with minutes to run, P5's rest days and "
                    f"runs_per_week.max {most_runs}")
    v4 = rules.V4
    if long_run_share_caps(skeleton, week):  # the long run's share of the week holds it lower still
        share = (f"at most {v4.share_pct_3_or_fewer:g} % of the week's training minutes with 3 running days or fewer, "
                 f"{v4.share_pct_4:g} % with 4, {v4.share_pct_5_or_more:g} % with 5 or more, never below the shortest "
                 f"long run, {rules.P14.long_min} minutes (V4)")
        if runs == 1 and skeleton.normal_weeks[week]:
            return f"{counted}: the week's long run (P3), {share}, within its day's available minutes"
        if runs == 1:  # P3 asks no long run outside normal weeks: the run may be another, longer
            return (f"{counted}: a long run, {share}, or another run of at most {beside} minutes (P14), within its day's "
                    "available minutes")
        return (f"{counted}: one long run of at most {longest} minutes ({grown}) and {share}, the others at most "
                f"{beside} minutes (P14), within each day's available minutes and P5's rest days")
    if runs == 1:
        return (f"{counted}: a long run of at most {longest} minutes ({grown}) or another run of at most {beside} minutes "
                "(P14), within its day's available minutes")
    return (f"{counted}: one long run of at most {longest} minutes ({grown}), the others at most {beside} minutes (P14), "
            "within each day's available minutes and P5's rest days")


def session_length_notes(skeleton: Skeleton) -> list[str]:
    """Strength sessions planned shorter than their content: P14's ``*_planned`` may be set
    anywhere in its range, and a short session planned at 15 minutes holds 19.5 by the
    prescription's estimate (its starting sets, the 8-minute warm-up). The plan keeps P12 with
    the planned minutes, so the athlete would run over on the day; said, not refused, as the
    estimate's minutes per set are assumptions, not rules."""
    # late, as PLYO_SESSIONS above
    from periodize.solver.variables import strength_kinds
    from periodize.strength.templates import WARMUP_SHORTEST, least_minutes

    p14, equipment = skeleton.rules.P14, skeleton.athlete.strength.equipment
    by_field: dict[str, list[SessionKind]] = {}  # A and B share ab_planned
    for kind in strength_kinds(skeleton.athlete.strength.sessions_per_week):
        by_field.setdefault("ab" if kind in (SessionKind.A, SessionKind.B) else kind.value, []).append(kind)
    notes = []
    for field, kinds in by_field.items():
        planned, needed = p14.planned_minutes(kinds[0]), max(least_minutes(kind, equipment) for kind in kinds)
        if planned < needed:
            named = " or ".join(kinds)
            article = "an" if kinds[0] == SessionKind.A else "a"
            notes.append(f"rules.P14.{field}_planned is {planned} minutes, but {article} {named} session's starting sets and "
                         f"{WARMUP_SHORTEST}-minute warm-up take about {needed:g} minutes by the prescription's estimate "
                         f"({equipment}): the session runs over the time the plan gives it; "
                         f"{math.ceil(needed)} or more fits it")
    return notes + week3_set_notes(skeleton)


def week3_set_notes(skeleton: Skeleton) -> list[str]:
    """S2's week-3 set where no session of a normal week can hold it: the prescription fits a
    session's content to its planned minutes and drops that set last (``prescribe.fitted_session``),
    so with every normal-week session too short for it (a home full session at the default 40
    minutes: 38 of starting sets and warm-up, 40.5 with a goblet-squat set) every cycle's week 3
    went without it, unsaid. Said only where a week is off-season (the set is S3's off-season
    progression) and the starting sets fit (else ``session_length_notes`` says more)."""
    # late, as session_length_notes
    from periodize.solver.variables import strength_kinds
    from periodize.strength.phase import StrengthPhase, strength_phase
    from periodize.strength.templates import least_minutes, week3_set_minutes

    p14, equipment = skeleton.rules.P14, skeleton.athlete.strength.equipment
    kinds = [kind for kind in strength_kinds(skeleton.athlete.strength.sessions_per_week)[:2]
             if kind != SessionKind.short]  # a normal week's kinds (A + B, or full)
    needed = {kind: week3_set_minutes(kind, equipment) for kind in kinds}
    if (not kinds or any(p14.planned_minutes(kind) >= needed[kind] for kind in kinds)
            or any(p14.planned_minutes(kind) < least_minutes(kind, equipment) for kind in kinds)
            or all(strength_phase(skeleton, week) != StrengthPhase.off_season for week in range(skeleton.n_weeks))):
        return []
    field = "ab" if SessionKind.A in kinds else "full"
    named = " or ".join(kinds)
    article = "an" if kinds[0] == SessionKind.A else "a"
    fits = min(needed.values())
    return [f"rules.P14.{field}_planned is {p14.planned_minutes(kinds[0])} minutes: {article} {named} session holds its "
            f"starting sets, but not S2's week-3 set beside them (about {fits:g} minutes by the prescription's "
            f"estimate, {equipment}), so week 3 of each off-season strength cycle goes without it; "
            f"{math.ceil(fits)} or more fits it"]


__all__ = ["dated_race", "no_intensity_notes", "quality_floor_notes", "race_clashes", "restart_notes", "season_notes",
           "session_length_notes", "sessions_held_notes", "volume_notes", "week3_set_notes"]
