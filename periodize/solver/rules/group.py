"""Group sessions (batch rosters): the group's run on the group's day, where the athlete's own
rules allow it. Reported under O4 (preferences), priced at ``O4.group_weight`` per missed week.

Two views of one definition, kept side by side so they cannot drift apart:

* :func:`group_term` is the CP-SAT penalty the solver adds to O4: for every group session and
  every week, 1 when that weekday's run is not the session's run type (a race day on that
  weekday is a constant 1: the race is fixed);
* :func:`missed_sessions` finds the same misses in a finished plan, in plain Python, and
  :func:`miss_reason` says why, from the skeleton (the race calendar and availability) and the
  plan only, never from the solver.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from periodize.models.athlete import WEEKDAYS, GroupSession, Priority
from periodize.models.plan import Plan, RunType
from periodize.season import Skeleton
from periodize.solver.context import ModelContext, ratio
from periodize.solver.cpsat import IntExpr


def session_day(session: GroupSession, week: int) -> int:
    """The skeleton day of a group session in a week (plans start on a Monday)."""
    return 7 * week + WEEKDAYS.index(session.day)


def group_weight(skeleton: Skeleton) -> int:
    o4 = skeleton.rules.O4
    return o4.group_weight if o4.enabled else 0


def group_term(ctx: ModelContext) -> IntExpr:
    """O4's group part: ``group_weight`` per (group session, week) whose day does not hold the
    session's run type. A sum of existing literals: no new variables."""
    skeleton = ctx.skeleton
    weight = group_weight(skeleton)
    sessions = skeleton.athlete.group_sessions
    if not weight or not sessions:
        return 0
    missed: list[IntExpr] = []
    for session in sessions:
        wanted = RunType(session.run)
        for week in range(skeleton.n_weeks):
            literals = ctx.variables.run[session_day(session, week)]
            missed.append(1 - literals[wanted] if wanted in literals else 1)
    return weight * sum(missed)


# ---- the finished plan: who missed which session, and why ------------------------------------
def missed_sessions(skeleton: Skeleton, plan: Plan) -> list[tuple[GroupSession, int]]:
    """(session, week) pairs the plan does not join, in session then week order."""
    days = plan.days()
    missed = []
    for session in skeleton.athlete.group_sessions:
        for week in range(skeleton.n_weeks):
            day = session_day(session, week)
            if day >= len(days) or days[day].run.type != RunType(session.run):
                missed.append((session, week))
    return missed


def _session_minimum(skeleton: Skeleton, run: RunType) -> int:
    """P14's shortest session of this run type (the long run's floor by level)."""
    p14 = skeleton.rules.P14
    return {
        RunType.easy: p14.easy_min,
        RunType.recovery: p14.recovery_min,
        RunType.quality: p14.quality_min,
        RunType.tempo: p14.tempo_min,
        RunType.long: p14.long_min,
    }[run]


#: ``miss_reason`` where nothing in the calendar or the rules' numbers bars the day: the plan's
#: choice among its other rules (spacing, volume, rest days).
OTHER_RULES = "other rules"


def miss_reason(skeleton: Skeleton, session: GroupSession, week: int, plan: Plan | None = None) -> str:
    """Why a session's day could not (or did not) hold the group's run, in a few words.

    First match wins: the day is a race; the day's minutes are below the session's shortest
    length (P12/P14; an availability exception's note where one sets them); for a hard
    session, the day is one of V7's easy days before an A or B race, in a race's recovery
    window (V8), or next to a race day (P2: no two hard days in a row); it is the day before an
    A or B race and P13's easy run there is shorter than the session; a quality or tempo
    session where the plan's week (given ``plan``) has too few training minutes for the
    shortest one under V6's share; the plan's race week already holds ``runs_per_week.max``
    running days (P6), its race among them; otherwise the athlete's other
    rules (spacing, volume, rest days) placed something else there, with the taper or race
    week the day falls in (``_window_context``).

    The day's own minutes come before the race windows: a Friday of 0 minutes every week was
    put down to a taper in two weeks and a recovery in one. And a B race's window is V7's two
    easy days, not its four-day mini taper, which bars no hard run: a Tuesday quality session
    before a Saturday B race read "mini taper before Club Champs (V7)", where the C race on the
    Wednesday kept it off (P2), which was said of none. An exception's note is said only where
    it leaves too few minutes (a generous week's note had been blamed for a B race's recovery),
    and P13 only where its 30-minute easy run cannot be the session (it had been said of a
    Saturday easy run, which P13 allows, where the race had taken the third of three running
    days, P6). A quality or tempo session the athlete's rules allow none of (P4 or V6 at 0,
    ``Skeleton.allows_quality``) is put down to them before any race's window."""
    day = session_day(session, week)
    run = RunType(session.run)
    hard = run in (RunType.quality, RunType.tempo, RunType.long)
    race = skeleton.race_on_day.get(day)
    if race is not None:
        return f"race day ({race.name})"
    minimum = _session_minimum(skeleton, run)
    if skeleton.available[day] < minimum:  # an exception's note where one sets the day's minutes
        if skeleton.exception_day[day]:
            return skeleton.exception_notes[day] or "availability exception"
        return f"{skeleton.available[day]} min available, {run.value} needs {minimum} (P12/P14)"
    if not skeleton.allows_quality and (none_allowed := _intensity_reason(skeleton, run, minimum, None)):
        return none_allowed  # every week's, before any race's: a race week's miss had been put down to P6
    if hard:
        for race in skeleton.races:
            if day in skeleton.v7_easy_days(race) and not (run != RunType.long and day in skeleton.v7_sharpening_days(race)):
                return f"the {skeleton.rules.V7.b_race_easy_days} easy days before {race.name} (V7)"
            if day in skeleton.recovery(race):
                return f"recovery after {race.name} (V8)"
        for neighbour, side in ((day - 1, "after"), (day + 1, "before")):
            if (next_to := skeleton.race_on_day.get(neighbour)) is not None:
                return f"the day {side} {next_to.name} (P2: no two hard days in a row)"
    following = skeleton.race_on_day.get(day + 1)
    eve_cap = skeleton.rules.P13.max_easy_minutes
    if (following is not None and following.priority in (Priority.A, Priority.B)
            and (run not in (RunType.easy, RunType.recovery) or minimum > eve_cap)):
        return f"the day before {following.name} (P13)"
    # V6's share before P6's days: with a running day freed, a race week held to 95 minutes (V7)
    # still has no room for a 30-minute quality session at 25 %; "the week's 4 running days (P6)"
    # had been said.
    week_minutes = plan.weeks[week].training_minutes if plan is not None and week < len(plan.weeks) else None
    if intensity := _intensity_reason(skeleton, run, minimum, week_minutes):
        return intensity
    if plan is not None and week < len(plan.weeks) and skeleton.race_days_in_week(week):
        most = skeleton.athlete.runs_per_week.max
        if sum(1 for d in plan.weeks[week].days if d.run.type != RunType.rest) >= most:
            return f"the week's {most} running days (runs_per_week.max, P6) are taken, its race among them"
    return f"{OTHER_RULES}{_window_context(skeleton, day, week)}"


def _window_context(skeleton: Skeleton, day: int, week: int) -> str:
    """Where a miss no rule's numbers explain falls: ``, in the taper for Goal 10k`` or ``, in
    the race week of Club Champs``; empty elsewhere. Said as where, not why: a taper or a race week
    bars no day by itself (a taper week keeps a quality session, V7; a B race's four-day mini
    taper bars no hard run), and a taper-week Tuesday track read "taper for X (V7)" where one
    more running day (P6) would have let it in."""
    for race in skeleton.races:
        if day in skeleton.taper(race):
            return f", in the taper for {race.name}"
    for other in skeleton.races:
        if other.week == week and other.priority in (Priority.A, Priority.B):
            return f", in the race week of {other.name}"
    return ""


def _intensity_reason(skeleton: Skeleton, run: RunType, minimum: int, week_minutes: int | None) -> str | None:
    """P4 or V6 where they leave no room for a quality or tempo session that week: "other rules"
    hid them (a beginner's 85-110 minute weeks cannot hold a 30-minute quality session at V6's
    25 %). The numbers are the athlete's rules, as the solver posts them."""
    if run not in (RunType.quality, RunType.tempo):
        return None
    if skeleton.rules.P4.max_sessions == 0:
        return "P4 allows no quality or tempo session"
    percent = skeleton.rules.V6.max_share_pct
    share = ratio(percent)
    if not share:
        return f"V6 allows no quality or tempo minutes ({percent:g} %)"
    if week_minutes is not None and week_minutes * share < minimum:  # P14's lengths are whole 5-minute steps
        return f"week under {math.ceil(minimum / share)} min: a {minimum}-min {run.value} is over V6's {percent:g} % share"
    return None


@dataclass
class SessionMisses:
    """One group session for one athlete: weeks missed of the season, and why."""

    session: str
    day: str
    run: str
    weeks: int
    missed: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, object]:
        """As a batch summary row holds it (``GroupRow``), which words it (``missed_lines``)."""
        return {"session": self.session, "day": self.day, "run": self.run, "weeks": self.weeks,
                "missed": self.missed, "reasons": dict(self.reasons)}


def group_report(skeleton: Skeleton, plan: Plan) -> list[SessionMisses]:
    """Every group session of the athlete with its misses and their reasons (misses first in
    week order, so the counter keeps the order reasons first appear)."""
    report = {id(session): SessionMisses(session.name, session.day, session.run, skeleton.n_weeks)
              for session in skeleton.athlete.group_sessions}
    for session, week in missed_sessions(skeleton, plan):
        entry = report[id(session)]
        entry.missed += 1
        entry.reasons[miss_reason(skeleton, session, week, plan)] += 1
    return list(report.values())


__all__ = ["OTHER_RULES", "SessionMisses", "group_report", "group_term", "miss_reason", "missed_sessions", "session_day"]
