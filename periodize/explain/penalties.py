"""Why the plan pays each soft penalty: where it is paid and what in the athlete file or the
calendar makes it so.

Reasons come from the same places the rules read (the skeleton's windows, the availability and
its exceptions, the preferences), so a coach can act on them: "O7 in week 16: recovery after
City Marathon (V8) allows no long run" points at the race, "O3 on 2027-02-08: ..., quality stays
on tue, thu (preferences)" at the preference that forces it.

A reason names a cause only where the rules make it one. The calendar is read per kind of
term: running terms (O1, O7, the long-run day) cite the windows that limit runs (V7's taper,
V8's recovery, exceptions; for O1's volume not a B race's mini taper nor a C race) and strength
terms (O6) those that limit strength (P11's window, V8's first days, race days, days without
the minutes). A window is a cause only where it leaves no room: no day for a long run, no open
day for a missing session (P11's one light session counted), and a ramp rule at its limit
comes before a week's windows. Where the calendar leaves room and the plan still pays, the
line says it is a trade-off with other terms, the week's windows as context. Three fact-checks
re-solved the blamed weeks (the term weighted up, V1 and V2 loosened): O6 had been put down to
a B race's week whose sessions then fit, O1 and O7 to P11 (a strength rule), O7 to a C race
whose week held a Thursday long run, O1 to a window where V1 was at its limit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from periodize.calendar_notes import dated_race
from periodize.explain.binding import (
    days_off_preference,
    due_deload_week,
    o1_target,
    ramp_at_limit,
    week_objective,
)
from periodize.explain.sentences import exception_text
from periodize.models.athlete import WEEKDAYS, Priority
from periodize.models.plan import (
    QUALITY_RUN_TYPES,
    Day,
    Plan,
    RunType,
    SessionKind,
)
from periodize.season import RaceInfo, Skeleton
from periodize.solver.rules.group import OTHER_RULES, miss_reason, missed_sessions
from periodize.solver.variables import UNIT
from periodize.validate.placement import room_for_a_and_b, strength_bar
from periodize.validate.view import PlanView
from periodize.validate.volume import (
    v1_limit,
    v1_reference,
    v2_chronic_mean,
    v2_limit,
)

TRADE_OFF = "a trade-off with other terms"
#: What a trade-off may also be in a plan not proven optimal: the optimum may not pay the term.
UNPROVEN = "or slack the search left (the plan is not proven optimal)"
#: What the day-level terms' lines are about (``tradeoffs`` measures the trade-offs of each).
NO_LONG_RUN = "no long run"
SESSIONS_MISSING = "strength sessions missing"
LONG_OFF_DAY = "long run not on"
BUSY_PAIR = "busy-week sessions (full, short) instead of A + B"
#: A week holding one session only, of the busy pair: "busy-week sessions (full, short) instead
#: of A + B" had been said of a taper week whose one session was a full.
BUSY_ALONE = "a busy-week {kind} session instead of A or B, the week's only one,"


@dataclass(frozen=True)
class Penalty:
    """A soft rule paid in some weeks, with the reason in words."""

    code: str
    weeks: tuple[int, ...]  # 1-based
    text: str

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "weeks": list(self.weeks), "text": self.text}


def _race_week(skeleton: Skeleton, week: int, c_races: bool) -> list[str]:
    return [f"race week of {dated_race(race)}"
            for race in skeleton.races if race.week == week and (race.priority != Priority.C or c_races)]


def _taper_reason(skeleton: Skeleton, race: RaceInfo, week: int) -> str:
    """An A race's taper in a week: a taper week (its Monday inside the taper, V7's weekly
    rules apply), or the week the taper starts in, which the table labels by its phase (peak,
    say) and whose taper days only leave it outside the normal weeks: "taper before Goal 10k"
    had been said of a week labelled peak."""
    if week in skeleton.taper_weeks(race):  # not taper_week_of: where two tapers overlap it holds the later race
        return f"taper before {race.name} (V7)"
    first = skeleton.date_of(skeleton.taper(race).first)
    return f"taper before {race.name} from {WEEKDAYS[first.weekday()]} {first} (V7; not yet a taper week)"


def _touches(skeleton: Skeleton, days: Iterable[int], week: int) -> bool:
    return any(skeleton.week_of_day(day) == week for day in days)


def run_reasons(skeleton: Skeleton, week: int, *, c_races: bool = False, mini_tapers: bool = True) -> list[str]:
    """What in the calendar limits a week's running: a race, V8's recovery, V7's taper of an A
    race and (with ``mini_tapers``) the mini taper of a B race (any of their days in the week),
    an exception. A C race and its recovery count only with ``c_races``: they take days, not
    the week's volume. Every one that applies, in that order."""
    counted = [race for race in skeleton.races if race.priority != Priority.C or c_races]
    reasons = _race_week(skeleton, week, c_races)
    reasons += [f"recovery after {race.name} (V8)" for race in counted
                if _touches(skeleton, skeleton.recovery(race).days(), week)]
    reasons += [_taper_reason(skeleton, race, week) for race in skeleton.races_with(Priority.A)
                if _touches(skeleton, skeleton.taper(race).days(), week)]
    reasons += [f"mini taper before {race.name} (V7)" for race in skeleton.races_with(Priority.B)
                if mini_tapers and _touches(skeleton, skeleton.mini_taper(race).days(), week)]
    exception = exception_text(skeleton, skeleton.week_days(week))
    return reasons + ([exception] if exception else [])


def strength_reasons(skeleton: Skeleton, week: int, *, minutes: int = 0) -> list[str]:
    """What in the calendar limits a week's strength: P11's window before an A race (one light
    session in its 14 days, none in the last 7), V8's first days after a race, an exception.
    With ``minutes``, a window only where it takes a day of the week with that many minutes: a
    weekend runner's busy pair had been put down to V8's first days after a Monday race, on a
    Tuesday and Wednesday of 0 minutes."""
    def takes(days: Iterable[int]) -> bool:
        return _touches(skeleton, (day for day in days if skeleton.available[day] >= minutes), week)

    reasons = [f"the {skeleton.rules.P11.light_window_days} days before {race.name} (P11)"
               for race in skeleton.races_with(Priority.A) if takes(skeleton.pre_race(race).days())]
    reasons += [f"the first {len(days)} days after {race.name} (V8)" for race in skeleton.races
                if takes(days := skeleton.no_strength_after(race).days())]
    exception = exception_text(skeleton, skeleton.week_days(week))
    return reasons + ([exception] if exception else [])


def _group(code: str, weeks: list[int], what: str, reason_of: Callable[[int], str],
           count_of: Callable[[int], int] | None = None) -> list[Penalty]:
    """One penalty line per distinct reason, weeks listed (and, with ``count_of``, how many
    times the term is paid in them)."""
    by_reason: dict[str, list[int]] = {}
    for week in weeks:
        by_reason.setdefault(reason_of(week), []).append(week)
    lines = []
    for reason, found in by_reason.items():
        times = sum(count_of(w) for w in found) if count_of else 0
        counted = f" ({times} time{'s' if times > 1 else ''})" if times else ""
        lines.append(Penalty(code, tuple(w + 1 for w in found), f"{what}{counted} in week{'s' if len(found) > 1 else ''} "
                                                                  f"{', '.join(str(w + 1) for w in found)}: {reason}"))
    return lines


def _joined(reasons: list[str], otherwise: str = TRADE_OFF) -> str:
    """The reasons, each once, in order; ``otherwise`` where there is none."""
    return "; ".join(dict.fromkeys(reasons)) if reasons else otherwise


def penalty_reasons(skeleton: Skeleton, plan: Plan, week: int | None = None) -> list[Penalty]:
    """Each soft rule the plan pays, where, and why (``week`` is 1-based, None for all)."""
    weeks = list(range(len(plan.weeks))) if week is None else [week - 1]
    view = PlanView(skeleton.athlete, plan, skeleton.rules, skeleton)
    paid = {w: week_objective(skeleton, plan, w) for w in weeks}
    found: list[Penalty] = []
    found += _o7(skeleton, plan, weeks)
    found += _o6(skeleton, plan, view, weeks)
    found += _o3(skeleton, plan, week)
    found += _o4(skeleton, plan, weeks)
    found += _o2(skeleton, weeks, paid)
    found += _o1(skeleton, plan, view, weeks, paid)
    return found


def as_unproven(penalty: Penalty) -> Penalty:
    """A trade-off line of a plan not proven optimal, saying the term may be slack the search
    left: "a trade-off with other terms" had been said of long runs off Sunday in a plan of
    790 whose optimum (700) holds every long run on Sunday."""
    return replace(penalty, text=penalty.text.replace(TRADE_OFF, f"{TRADE_OFF}, {UNPROVEN}"))


def _o7(skeleton: Skeleton, plan: Plan, weeks: list[int]) -> list[Penalty]:
    if not skeleton.rules.O7.active_weight:
        return []
    without_long = [w for w in weeks if not skeleton.has_race(w, Priority.A, Priority.B)
                    and not any(d.run.type == RunType.long for d in plan.weeks[w].days)]
    return _group("O7", without_long, NO_LONG_RUN, lambda w: _no_long_reason(skeleton, w))


def _no_long_reason(skeleton: Skeleton, week: int) -> str:
    """The week's windows where they bar a long run on every day of it, else a trade-off with
    them as context: a C race's week was blamed where a Thursday long run fit."""
    windows = run_reasons(skeleton, week, c_races=True)
    bars = {day: long_run_bar(skeleton, day) for day in skeleton.week_days(week)}
    if all(bars.values()):
        return _joined(windows, f"no day of the week can hold a long run: {_bars_text(skeleton, bars)}")
    return f"{TRADE_OFF} (this week: {_joined(windows)})" if windows else f"no window or exception: {TRADE_OFF}"


def _bars_text(skeleton: Skeleton, bars: dict[int, str]) -> str:
    """Each day's bar on a long run, the days short of its minutes said once: a week whose
    Sunday was the only roomy day, next to a Monday race (P2), had read "no day of the week can
    hold a long run" with nothing of the race that closed it."""
    long_min = skeleton.rules.P14.long_min
    short = {day for day in bars if not _race_long_run_bar(skeleton, day) and not exception_text(skeleton, [day])
             and skeleton.available[day] < long_min}
    named = [f"{skeleton.date_of(day):%a %Y-%m-%d} {bar}" for day, bar in bars.items() if day not in short]
    if short:
        named.append(f"{'the other days have' if named else 'every day has'} less than the shortest long run, "
                     f"{long_min} min")
    return "; ".join(named)


def _o6(skeleton: Skeleton, plan: Plan, view: PlanView, weeks: list[int]) -> list[Penalty]:
    rules, per_week = skeleton.rules, skeleton.athlete.strength.sessions_per_week
    if not (rules.O6.enabled and per_week):
        return []
    held = {w: [d.strength.session for d in plan.weeks[w].days if d.strength] for w in weeks}
    short = [w for w in weeks if not skeleton.normal_weeks[w] and len(held[w]) < per_week]
    found = _group("O6", short, SESSIONS_MISSING, lambda w: _missing_reason(skeleton, view, w))
    if rules.O6.busy_week_weight and per_week == 2:
        busy = [w for w in weeks if not skeleton.is_exception_week(w) and skeleton.p10_sessions(w) == 2
                and any(s in (SessionKind.full, SessionKind.short) for s in held[w])]
        pairs = [w for w in busy if len(held[w]) > 1]
        found += _group("O6", pairs, BUSY_PAIR, lambda w: _busy_reason(skeleton, view, w))
        for kind in (SessionKind.full, SessionKind.short):
            lone = [w for w in busy if held[w] == [kind]]
            found += _group("O6", lone, BUSY_ALONE.format(kind=kind.value), lambda w: _lone_busy_reason(skeleton, view, w))
    return found


def _open_days(skeleton: Skeleton, week: int, minutes: int) -> list[int]:
    """Days of a week the calendar leaves open to a strength session of ``minutes``: not a race
    day nor the day before one (P7, P8), outside V8's first days and P11's last days before an
    A race, with the minutes available."""
    closed: set[int] = set()
    for race in skeleton.races:
        closed.update((race.day - 1, race.day, *skeleton.no_strength_after(race).days()))
        closed.update(skeleton.no_strength_before(race).days())
    return [day for day in skeleton.week_days(week) if day not in closed and skeleton.available[day] >= minutes]


def _beside_runs(view: PlanView, days: Iterable[int], minutes: int) -> list[int]:
    """The days with room for a session of ``minutes`` beside the runs as planned."""
    return [day for day in days if strength_bar(view, day, minutes) is None]


def _no_room(view: PlanView, days: Iterable[int], minutes: int) -> str:
    """What keeps a session of ``minutes`` off the days without room, counted by rule: "the
    calendar leaves 6 days open ..., none of them beside an easy run, a recovery run or rest"
    had been said of six days of easy runs with no minutes left beside them."""
    counts: dict[str, int] = {}
    for day in days:
        if (code := strength_bar(view, day, minutes)) is not None:
            counts[code] = counts.get(code, 0) + 1
    words = {"P7": "with a quality, tempo or long run (P7)", "P8": "the day before a long run or a race (P8)",
             "P12": f"with under {minutes} min left beside the day's run (P12)"}
    return ", ".join(f"{counts[code]} {words[code]}" for code in ("P7", "P8", "P12") if code in counts)


def _the_others(beside: list[int]) -> str:
    """How the days without room are introduced: after those with room, or alone."""
    return "the others: " if beside else ""


def _count(count: int) -> str:
    return "none" if count == 0 else str(count)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def _missing_kinds(skeleton: Skeleton, held: set[SessionKind]) -> list[SessionKind]:
    """The sessions a week lacks against P10's pair: the rest of the pair it holds a part of,
    or (holding none) the pair that takes the least time."""
    if skeleton.athlete.strength.sessions_per_week == 1:
        return [] if held else [SessionKind.full]
    for pair in ({SessionKind.A, SessionKind.B}, {SessionKind.full, SessionKind.short}):
        if held & pair:
            return sorted(pair - held)
    return [SessionKind.full, SessionKind.short]


def _missing_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """Why a week that is not a normal week (P10 lets it hold fewer) holds fewer sessions: the
    calendar where it leaves no day for a missing session (P11's window allowing its one light
    session), else a trade-off, with the room the calendar leaves. P11 was named wherever its
    window touched the week, also where the sessions fit on the days before it."""
    held = {session.session for day in skeleton.week_days(week) if (session := view.strength(day)) is not None}
    missing = _missing_kinds(skeleton, held)
    planned = skeleton.rules.P14.planned_minutes
    longest = max(missing, key=lambda kind: planned(kind.value))
    windows = [set(skeleton.pre_race(race).days()) for race in skeleton.races_with(Priority.A)]

    def free(minutes: int) -> list[int]:
        """Open days without a session, outside P11's windows, and one day inside a window
        that holds no session yet (its one light session)."""
        days = [day for day in _open_days(skeleton, week, minutes) if view.strength(day) is None]
        outside = [day for day in days if not any(day in window for window in windows)]
        light = [day for day in days if any(day in window and not any(view.strength(d) for d in window)
                                            for window in windows)]
        return outside + light[:1]

    open_days = free(planned(longest.value))
    context = _joined(run_reasons(skeleton, week, c_races=True) + strength_reasons(skeleton, week), "no window or exception")
    room = free(min(planned(kind.value) for kind in missing))
    if not open_days or len(room) < len(missing):
        return f"{context}: the calendar leaves no room for {_what_is_missing(held, missing, bool(room))}"
    minutes = planned(longest.value)
    beside = _beside_runs(view, open_days, minutes)
    blocked = _no_room(view, open_days, minutes)
    return (f"not a normal week ({context}), so P10 allows fewer sessions: {TRADE_OFF}; the calendar leaves "
            f"{_days(len(open_days))} open to {longest.value}, {_count(len(beside))} of them with room beside the "
            f"runs as planned{f' ({_the_others(beside)}{blocked})' if blocked else ''}")


def _what_is_missing(held: set[SessionKind], missing: list[SessionKind], room_for_one: bool) -> str:
    """``B beside the sessions held``; in a week holding none, what P10's shortest way needs
    (``_missing_kinds``): "no room for full and short beside the sessions held" had read as a
    mistake to a coach whose athlete's pair is A + B, in a week that held nothing."""
    kinds = " and ".join(kind.value for kind in missing)
    if held:
        return f"{kinds} beside the sessions held"
    if len(missing) == 1:
        return f"a {kinds} session"
    if not room_for_one:
        return "any strength session"
    return f"two sessions, not even the shortest pair ({' + '.join(kind.value for kind in missing)})"


def _busy_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """S4: the busy pair belongs to a week whose time cannot hold A and B beside its runs, on
    days the calendar leaves open and two days apart (P9)."""
    ab = skeleton.rules.P14.planned_minutes("A")
    open_days = _open_days(skeleton, week, ab)
    if not _two_apart(open_days):  # whatever the runs: "as planned" had sent a coach moving runs in vain
        windows = _joined(strength_reasons(skeleton, week, minutes=ab), "")
        return (f"the calendar leaves no two days 48 h apart (P9) with {ab} min for A and for B"
                f"{f' ({windows})' if windows else ''}, so the busy pair (S4)")
    room = _beside_runs(view, open_days, ab)
    if not _two_apart(room):
        return (f"A and B ({ab} min each, 48 h apart, P9) do not both fit beside the week's runs as planned "
                f"(of the {_days(len(open_days))} open to them, {len(room)} with room, {_no_room(view, open_days, ab)}) (S4)")
    if skeleton.normal_weeks[week] and room_for_a_and_b(view, week) is None:
        # P9 across the week's edges: a hand-edited plan's busy pair had read as a trade-off.
        return (f"A and B ({ab} min each) fit beside the week's runs as planned on {_days(len(room))}, but every "
                f"way of placing them puts A or B next to the other on a neighbouring week's edge day (P9), so "
                f"the busy pair (S4)")
    budget = _budget(skeleton)
    if budget is not None and view.T(week) + 2 * ab > budget >= view.T(week) + _strength_minutes(view, week):
        return f"{TRADE_OFF}: A + B would take the week over its budget of {budget} min (O2)"
    return f"{TRADE_OFF}: A and B would fit beside its runs as planned, on {_days(len(room))}"


def _lone_busy_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """Why a week's one session is of the busy pair, not A or B (S4): no open day with A's or
    B's minutes, or none with room beside the runs as planned; else a trade-off."""
    ab = skeleton.rules.P14.planned_minutes("A")
    open_days = _open_days(skeleton, week, ab)
    if not open_days:
        windows = _joined(strength_reasons(skeleton, week), "")
        return f"the calendar leaves no day with {ab} min for A or B{f' ({windows})' if windows else ''} (S4)"
    room = _beside_runs(view, open_days, ab)
    if not room:
        return (f"A or B ({ab} min) fits beside none of the week's runs as planned (of the {_days(len(open_days))} "
                f"open to it, {_no_room(view, open_days, ab)}) (S4)")
    return f"{TRADE_OFF}: A or B would fit beside its runs as planned, on {_days(len(room))}"


def _two_apart(days: list[int]) -> bool:
    """Two of ``days`` at least 48 h apart (P9), for A and B."""
    return bool(days) and max(days) - min(days) >= 2


def _budget(skeleton: Skeleton) -> int | None:
    return skeleton.athlete.volume.weekly_time_budget_minutes if skeleton.rules.O2.active_weight else None


def at_budget(skeleton: Skeleton, view: PlanView, week: int) -> bool:
    """Whether a week's training and strength minutes reach the weekly budget (O2), or come
    within a 5-minute unit of it."""
    budget = _budget(skeleton)
    return budget is not None and view.T(week) + _strength_minutes(view, week) > budget - UNIT


def _strength_minutes(view: PlanView, week: int) -> int:
    return sum(session.minutes for day in view.skeleton.week_days(week) if (session := view.strength(day)) is not None)


def _o3(skeleton: Skeleton, plan: Plan, week: int | None) -> list[Penalty]:
    if not skeleton.rules.O3.active_weight:
        return []
    days = plan.days()
    dates = [day.date for index, day in enumerate(days[:-1])
             if day.strength and days[index + 1].run.type in QUALITY_RUN_TYPES
             and (week is None or skeleton.week_of_day(index) == week - 1)]
    if not dates:
        return []
    prefs = skeleton.athlete.preferences
    # The preference is the reason only where each quality session stayed on a preferred day: a
    # week whose sessions ran wed and sun had read "quality stays on tue, thu" above "quality
    # or tempo off tue, thu (2 times)".
    kept = all(WEEKDAYS[(d + timedelta(days=1)).weekday()] in prefs.quality_days for d in dates)
    because = f"; quality stays on {', '.join(prefs.quality_days)} (preferences, O4)" if prefs.quality_days and kept else ""
    return [Penalty("O3", tuple(sorted({skeleton.week_of_day(skeleton.day_of(d)) + 1 for d in dates})),
                    f"strength the day before a quality session {len(dates)} time{'s' if len(dates) > 1 else ''} "
                    f"({', '.join(d.isoformat() for d in dates)}){because}")]


def _o4(skeleton: Skeleton, plan: Plan, weeks: list[int]) -> list[Penalty]:
    rules, prefs = skeleton.rules, skeleton.athlete.preferences
    found: list[Penalty] = []

    def in_week(reasons: Callable[[int], list[str]]) -> Callable[[int], str]:
        """A trade-off, with the week's windows as context: which day a session takes is the
        plan's choice wherever the preferred days are open (a taper asks for a quality
        session, not for its day)."""
        def reason(week: int) -> str:
            found = reasons(week)
            return f"{TRADE_OFF} (this week: {_joined(found)})" if found else TRADE_OFF
        return reason

    def runs(week: int) -> list[str]:
        return run_reasons(skeleton, week, c_races=True)

    def lifting(week: int) -> list[str]:
        return strength_reasons(skeleton, week)

    if rules.O4.active_weight:
        off = {w: days_off_preference(skeleton, plan.weeks[w]) for w in weeks}
        if prefs.long_run_day:
            moved = [w for w in weeks if off[w]["long"]]
            found += _group("O4", moved, f"{LONG_OFF_DAY} {prefs.long_run_day}",
                            lambda w: _long_day_reason(skeleton, w))
        for kind, what, context in (("quality", f"quality or tempo off {', '.join(prefs.quality_days)}", runs),
                                    ("strength", f"strength off {', '.join(prefs.strength_days)}", lifting),
                                    ("rest", f"a run on a preferred rest day ({', '.join(prefs.rest_days)})", runs)):
            counted = [w for w in weeks if off[w][kind]]
            found += _group("O4", counted, what, in_week(context), functools.partial(_times_off, off, kind))
    if rules.O4.enabled and rules.O4.group_weight:
        # Why each was missed, as the batch summary says it (``miss_reason``): a race day or a
        # recovery window had been called "a trade-off with other terms", and the session not
        # named. Only where no rule or window bars the day is it the plan's trade-off, said
        # with the week's windows (which ``miss_reason`` names only where the day falls).
        why: dict[int, list[str]] = {}
        for session, w in missed_sessions(skeleton, plan):
            if w in weeks:
                reason = miss_reason(skeleton, session, w, plan)
                why.setdefault(w, []).append(f"{session.name} {session.day}, "
                                             f"{in_week(runs)(w) if reason.startswith(OTHER_RULES) else reason}")
        found += _group("O4", sorted(why), "a group session missed", lambda w: "; ".join(why[w]))
    return found


def _times_off(off: dict[int, dict[str, list[Day]]], kind: str, week: int) -> int:
    return len(off[week][kind])


def long_run_bar(skeleton: Skeleton, day: int) -> str:
    """What bars a long run on ``day`` whatever the plan does, as a predicate ("is race day of
    ..."; "" where nothing does): a race,
    V8's recovery, P13 and V7 before A and B races, P2 beside a race, too few minutes."""
    if race_bar := _race_long_run_bar(skeleton, day):
        return race_bar
    if skeleton.available[day] < skeleton.rules.P14.long_min:
        exception = exception_text(skeleton, [day])
        return f"has {skeleton.available[day]} min, less than the shortest long run{f' ({exception})' if exception else ''}"
    return ""


def _race_long_run_bar(skeleton: Skeleton, day: int) -> str:
    """``long_run_bar``'s bars that come from the race calendar ("" where none does)."""
    for race in skeleton.races:
        if race.day == day:
            return f"is race day of {race.name}"
        if day in skeleton.recovery(race):
            return f"is in the recovery after {race.name} (V8)"
        if race.priority in (Priority.A, Priority.B) and race.day - day == 1:
            return f"is the day before {race.name} (P13)"
        if abs(race.day - day) == 1:
            return f"is next to {race.name}'s day (P2: no two hard days in a row)"
        if race.priority == Priority.B and 0 < race.day - day <= 2:
            return f"is within the 2 days before {race.name} (V7)"
    return ""


def preferred_long_day(skeleton: Skeleton, week: int) -> int:
    """The day of ``week`` the athlete prefers the long run on (``preferences.long_run_day``)."""
    name = skeleton.athlete.preferences.long_run_day
    return next(d for d in skeleton.week_days(week) if WEEKDAYS[skeleton.date_of(d).weekday()] == name)


def _long_day_reason(skeleton: Skeleton, week: int) -> str:
    """Why the long run is not on the preferred day of ``week``: what bars that day, else a
    trade-off."""
    name = skeleton.athlete.preferences.long_run_day
    day = preferred_long_day(skeleton, week)
    bar = long_run_bar(skeleton, day)
    if not bar:
        return TRADE_OFF
    return f"{name} {skeleton.date_of(day)} {bar}"


def _o2(skeleton: Skeleton, weeks: list[int], paid: dict[int, dict[str, int]]) -> list[Penalty]:
    budget = skeleton.athlete.volume.weekly_time_budget_minutes
    over = [w for w in weeks if paid[w].get("O2")]
    if not over or budget is None:
        return []
    by = ", ".join(str(paid[w]["O2"] // skeleton.rules.O2.active_weight) for w in over)
    return [Penalty("O2", tuple(w + 1 for w in over),
                    f"training and strength over the weekly budget of {budget} min in week{'s' if len(over) > 1 else ''} "
                    f"{', '.join(str(w + 1) for w in over)} (by {by} min): a trade-off with the phase curve (O1) "
                    "and the strength sessions (O6)")]


def _o1(skeleton: Skeleton, plan: Plan, view: PlanView, weeks: list[int],
        paid: dict[int, dict[str, int]]) -> list[Penalty]:
    """The three weeks paying the most O1, each with how far it is from its target and why."""
    weight = skeleton.rules.O1.active_weight
    if not weight:
        return []
    found = []
    for w in sorted(sorted(weeks, key=lambda w: -paid[w].get("O1", 0))[:3]):
        if not paid[w].get("O1"):
            continue
        target = o1_target(skeleton, plan, w)
        gap = plan.weeks[w].days_training - target
        if gap < 0:
            reason = ": " + below_target_reason(skeleton, view, w)
        elif gap > 0:
            reason = ": " + needed_later(view, w)
        else:
            reason = ""
        distance = f"is {abs(gap)} min {'below' if gap < 0 else 'above'}" if gap else "is on"
        found.append(Penalty("O1", (w + 1,), f"week {w + 1} {distance} its {_target_name(skeleton, plan, w)}{reason}"
                                             f"{_hold_text(skeleton, view, w, paid[w]['O1'] - weight * abs(gap))}"))
    return found


def _hold_text(skeleton: Skeleton, view: PlanView, week: int, extra: int) -> str:
    """What a deload week pays beyond its distance from its target (README, O1): a due
    deload's hold (the week before's distance from this week's full target, plus one minute),
    an early deload's (how far the week before ran above that target, plus one minute). The
    points are the minutes times O1's weight, said where it is not 1; before the plan's first
    week, "the week before" is ``current_weekly_minutes``."""
    if extra <= 0:
        return ""
    weight = skeleton.rules.O1.active_weight
    points = f"O1 {extra} more" if weight == 1 else f"O1 {extra} more ({extra // weight} min at O1's weight {weight:g})"
    before = "the week before" if week else "the weeks before the plan (volume.current_weekly_minutes)"
    figures = f"({view.T(week - 1)} against {skeleton.phase_targets[week]} min)"
    if due_deload_week(skeleton, view.plan, week):
        return (f"; and {points}, which every due deload pays so that it never costs less than another "
                f"loading week: {before}'s distance from this week's full target {figures}, plus one minute "
                "(README, O1)")
    if extra == weight:
        return f"; and {points} for deloading before V3 asks for it (README, O1)"
    return (f"; and {points} for deloading before V3 asks for it, so that it never costs less than another "
            f"loading week: how far {before} ran above this week's target {figures}, plus one minute "
            "(README, O1)")


def _target_name(skeleton: Skeleton, plan: Plan, week: int) -> str:
    """"build target 416", "peak deload target 336" (a due deload: V3 asked for it, and O1
    lowers its target) or "peak target 480 (an early deload is measured against the full
    curve)": "deload target" beside the full curve's number read as a mistake."""
    phase, target = plan.weeks[week].phase, o1_target(skeleton, plan, week)
    if not plan.weeks[week].deload:
        return f"{phase} target {target}"
    if due_deload_week(skeleton, plan, week):
        return f"{phase} deload target {target}"
    return f"{phase} target {target} (an early deload is measured against the full curve)"


def below_target_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """Why a week stays below its O1 target: a ramp rule at its limit first (a window in the
    week hid V1 at its limit, 9 of 47 times in a fact-check), then the windows that limit a
    week's volume (``volume_reasons``), then the rest of ``ramp_reason``."""
    return ramp_limit(skeleton, view, week) or _joined(volume_reasons(skeleton, week), "") or ramp_reason(skeleton, view, week)


def volume_reasons(skeleton: Skeleton, week: int) -> list[str]:
    """The windows that limit a week's training minutes: an A or B race's week (its day, P13's
    and V7's days before it), V7's taper, V8's recovery after an A or B race, an exception. A
    B race's mini taper (no volume rule) and C races (trained through) do not."""
    return run_reasons(skeleton, week, mini_tapers=False)


def ramp_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """Why a week with no window or exception stays below its target: the ramp rule at its
    limit there (``ramp_limit``), else a deload, the weekly budget, or none of these."""
    limit = ramp_limit(skeleton, view, week)
    if limit:
        return limit
    if view.deload[week]:
        return ("a deload week, the one V3 asks for" if due_deload_week(skeleton, view.plan, week)
                else "a deload week before V3 asks for one (the plan's choice)")
    if at_budget(skeleton, view, week):
        return f"the weekly budget of {_budget(skeleton)} min, strength included (O2)"
    # A C race is trained through (``volume_reasons`` leaves it out), but its day is the
    # race's: a week whose one long day holds it had been put down to "the week's available
    # time" without a word of the race (160 minutes where the weeks around held 225).
    c_races = [f"{race.name} on {WEEKDAYS[race.date.weekday()]} {race.date}"
               for race in skeleton.races if race.week == week and race.priority == Priority.C]
    taken = (f" (the C race {c_races[0]} takes its day)" if len(c_races) == 1
             else f" (the C races {', '.join(c_races)} take their days)" if c_races else "")
    return f"no ramp rule at its limit here: the week's available time{taken} and session lengths, or {TRADE_OFF}"


def ramp_limit(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """The ramp rule at its limit in a week ("" where none is): V1 from the larger of the two
    weeks before, else V2 from the four weeks' mean, with what shapes the weeks it reads ("the
    ramp rules from the starting volume" for a peak week right after a B race pointed away
    from the race), or either holding the week at its floor (the minimum week, or what a taper
    week's quality session needs, ``Skeleton.volume_floor``)."""
    floor = skeleton.volume_floor(week)
    at_floor = view.T(week) == floor  # both limits are never below the floor
    floor_name = "the minimum week" if floor == skeleton.minimum_week else "the least the taper week must hold"
    if ramp_at_limit(view, week, "V1") or (at_floor and v1_limit(view, week) == floor):
        before = max((week - 1, week - 2), key=view.T)
        source = f"week {before + 1}'s {view.T(before)}" if before >= 0 else f"the starting {view.T(before)}"
        shaped = _joined(volume_reasons(skeleton, before), "") if before >= 0 else ""
        held = f", so {floor_name} ({floor} min)" if at_floor and v1_limit(view, week) == floor else ""
        return (f"V1 allows at most {view.rules.V1.max_increase_pct:g} % above {source} training minutes"
                f"{f' ({shaped})' if shaped else ''}{held}")
    if ramp_at_limit(view, week, "V2") or (at_floor and v2_limit(view, week) == floor):
        chronic = range(week - view.rules.V2.chronic_weeks, week)
        lowest = min(chronic, key=view.T)
        shaped = _joined(volume_reasons(skeleton, lowest), "")
        mean = v2_chronic_mean(view, week)
        return (f"V2 allows at most {view.rules.V2.max_ratio:g} x the mean of weeks {chronic[0] + 1}-{chronic[-1] + 1} "
                f"({float(mean or 0):.0f} min), the lowest week {lowest + 1} at {view.T(lowest)}"
                f"{f' ({shaped})' if shaped else ''}"
                f"{f', so {floor_name}' if at_floor and v2_limit(view, week) == floor else ''}")
    return v7_reference_limit(skeleton, view, week)


def v7_reference_limit(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """V7's race-week floor holding a reference week ("" where it does not): the week is the
    largest of an A race's three weeks before its taper, and no race week its days can hold
    would keep 40 % of it one step (5 minutes) more. A two-runs-a-week runner's peak weeks at
    110, 130 below target, had been put down to "the week's available time ... or a trade-off";
    race week holds one 45-minute run beside the race, and 40 % of 115 asks 46."""
    low = skeleton.rules.V7.race_week_min_pct
    for race in skeleton.races_with(Priority.A):
        floor_week = skeleton.v7_floor_week(race)
        references = [w for w in skeleton.reference_weeks(race) if w >= 0]
        if floor_week is None or week not in references or skeleton.v7_race_week_waived(floor_week):
            continue
        most = skeleton.race_week_most(floor_week)
        if view.T(week) == max(view.T(w) for w in references) and (view.T(week) + UNIT) * low > 100 * most:
            return (f"V7 keeps {race.name}'s race week (week {floor_week + 1}) at {low:g} % of the largest of weeks "
                    f"{references[0] + 1}-{references[-1] + 1} or more, and its days hold at most {most} training "
                    f"minutes beside the race (runs_per_week.max {skeleton.athlete.runs_per_week.max}, the race "
                    "among them; P13 on its eve), so those weeks stay at or below "
                    f"{math.floor(100 * most / low / UNIT) * UNIT} min")
    return ""


def needed_later(view: PlanView, week: int) -> str:
    """Why a week stays above its target: a later week at its V1 or V2 limit that reads this
    week (V1: one of the two weeks before it, the larger; V2: one of the four), else a
    trade-off. A recovery week 140 min above its target was put down to its recovery (V8),
    which only lowers a week; the week after it needed those minutes under V1."""
    n_weeks = len(view.plan.weeks)
    for later in (week + 1, week + 2):
        if later < n_weeks and ramp_at_limit(view, later, "V1") and v1_reference(view, later) == view.T(week) \
                and max((later - 1, later - 2), key=view.T) == week:
            return (f"week {later + 1}'s {view.T(later)} needs it: V1 allows at most "
                    f"{view.rules.V1.max_increase_pct:g} % above the larger of the two weeks before")
    for later in range(week + 1, min(week + 1 + view.rules.V2.chronic_weeks, n_weeks)):
        if ramp_at_limit(view, later, "V2"):
            floor = math.ceil(view.T(later) / view.rules.V2.max_ratio)
            return (f"week {later + 1}'s {view.T(later)} needs it: V2 asks the four weeks before it to average "
                    f"at least {floor} min")
    return TRADE_OFF
