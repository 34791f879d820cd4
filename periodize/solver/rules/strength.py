"""Placement rules for strength sessions: P7-P11 of RULES.md.

The solver places sessions (kind and day); what happens inside a session is the strength
prescription's job. A session inside an A race's pre-race window is written at deload dose
when the plan is extracted, which makes it light (P11).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from periodize.models.athlete import Priority
from periodize.models.plan import RunType, SessionKind
from periodize.solver.context import ModelContext
from periodize.solver.variables import UNIT, strength_kinds


def post_p7(ctx: ModelContext) -> None:
    """P7: strength only on days whose run is `easy`, `recovery` or `rest`. With the day's run
    types summing to one, "no strength beside quality, tempo or long, and at most one session a
    day" is a single at-most-one constraint. Race days have no strength variables at all."""
    v = ctx.variables
    for day in range(ctx.skeleton.n_days):
        sessions = v.strength_literals(day)
        if sessions:
            ctx.post(ctx.model.add_at_most_one(sessions + v.hard_literals(day)), "P7", ("day", day))


def post_p8(ctx: ModelContext) -> None:
    """P8: no strength session on the day before a `long` run or a race."""
    v, skeleton = ctx.variables, ctx.skeleton
    for day in range(skeleton.n_days - 1):
        sessions = v.strength_literals(day)
        if not sessions:
            continue
        if day + 1 in skeleton.race_on_day:
            for literal in sessions:
                ctx.post(ctx.model.add(literal == 0), "P8", ("day", day))
        else:
            ctx.post(ctx.model.add_at_most_one(sessions + [v.run[day + 1][RunType.long]]), "P8", ("day", day))


def post_p9(ctx: ModelContext) -> None:
    """P9: `A` and `B` are not on consecutive days (at least 48 h apart). Safe reading: this
    holds across a week boundary too (a Sunday B then a Monday A is 24 h apart)."""
    v, skeleton = ctx.variables, ctx.skeleton
    for day in range(skeleton.n_days - 1):
        for first, second in ((SessionKind.A, SessionKind.B), (SessionKind.B, SessionKind.A)):
            pair = v.strength_literals(day, first) + v.strength_literals(day + 1, second)
            if len(pair) == 2:
                ctx.post(ctx.model.add_bool_or([~pair[0], ~pair[1]]), "P9", ("day", day))


def week_sessions(ctx: ModelContext, week: int, kind: SessionKind):
    return sum(lit for day in ctx.skeleton.week_days(week) for lit in ctx.variables.strength_literals(day, kind))


def post_p10(ctx: ModelContext) -> None:
    """P10: a normal week holds exactly ``sessions_per_week``: A + B at 2 (or full + short in a
    busy week, S4), one full at 1. Any other week holds at most that, from the same pairs;
    missing sessions cost O6. A normal week whose days hold fewer (``Skeleton.p10_sessions``,
    README P10 readings) holds exactly that: one full (S4), or none; not a busy week (no O6)."""
    v, skeleton = ctx.variables, ctx.skeleton
    per_week = skeleton.athlete.strength.sessions_per_week
    for week in range(skeleton.n_weeks):
        group = ("week", week)
        counts = {kind: week_sessions(ctx, week, kind) for kind in SessionKind}
        exact = skeleton.normal_weeks[week]
        held = skeleton.p10_sessions(week)
        if held < per_week:
            for kind in strength_kinds(per_week):
                ctx.post(ctx.model.add(counts[kind] == int(held == 1 and kind == SessionKind.full)), "P10", group)
            if week in v.busy:
                ctx.model.add(v.busy[week] == 0)
            continue
        if per_week == 1:
            ctx.post(ctx.model.add(counts[SessionKind.full] == 1 if exact else counts[SessionKind.full] <= 1), "P10", group)
            continue
        if per_week != 2:
            continue
        busy = v.busy[week]
        for kind, when_busy in ((SessionKind.A, False), (SessionKind.B, False), (SessionKind.full, True), (SessionKind.short, True)):
            # The busy literal chooses the pair: A + B, or full + short (S4).
            chosen = ctx.model.add(counts[kind] == 1 if exact else counts[kind] <= 1)
            ctx.post(chosen, "P10", group, when=[busy if when_busy else ~busy])
            unused = ctx.model.add(counts[kind] == 0)
            ctx.post(unused, "P10", group, when=[~busy if when_busy else busy])
        if exact and ctx.busy_rule:
            post_busy_only_without_room(ctx, week)


def post_busy_only_without_room(ctx: ModelContext, week: int) -> None:
    """S4 in a normal week: the busy pair (full + short) only where the week's runs leave no
    room for A and B, "a week whose available minutes cannot hold A and B beside its runs".
    For every two days two or more apart, A on one and B on the other would keep P7 (an easy,
    recovery or rest day), P8 (no long run or race the next day), P9 (no B or A on the
    neighbouring week's edge day) and P12 (the run's minutes and the session's planned minutes
    within the day's): one clause each, "not busy, or one of these bars it" (``_bars``).

    Reading (README, P10/S4): the busy pair had replaced A + B in any week at O6's
    ``busy_week_weight``, so a preference weighted above it (strength on Monday and Tuesday,
    O4 at 10) bought full + short every normal week of a runner with 120 minutes a day. At
    the planned lengths (P14), as the plan writes its sessions. Other weeks keep the reading:
    a part of one pair, as P11 and V8 allow. Posted in ``solve_skeleton``'s second pass only.
    The clauses name the bars themselves; a literal per day and session standing for "room"
    (tried) made the second pass slower: 1.0 -> 4.7 s on batch athlete 64, 3.5 -> 10.4 s on an
    8-week runner with 120 minutes a day and O4 at 10."""
    v = ctx.variables
    busy = v.busy[week]
    days = ctx.skeleton.week_days(week)
    fits: dict[tuple[int, int], cp_model.IntVar] = {}
    bars = {(day, kind): _bars(ctx, day, kind, days, fits) for day in days for kind in (SessionKind.A, SessionKind.B)}
    for a_day in days:
        for b_day in days:
            a_bars, b_bars = bars[a_day, SessionKind.A], bars[b_day, SessionKind.B]
            if abs(a_day - b_day) >= 2 and a_bars is not None and b_bars is not None:
                ctx.post(ctx.model.add_bool_or([~busy, *a_bars, *b_bars]), "P10", ("week", week))


def _bars(ctx: ModelContext, day: int, kind: SessionKind, week_days: range,
          fits: dict[tuple[int, int], cp_model.IntVar]) -> list[cp_model.LiteralT] | None:
    """Literals any one of which keeps session ``kind`` off ``day`` (P7, P8, P9 across the
    week's edges, P12 at its planned minutes: ``fits``, one literal per day and room, false
    only where the run leaves too few minutes); None where the calendar always does."""
    v, skeleton = ctx.variables, ctx.skeleton
    room = skeleton.available[day] - ctx.rules.P14.planned_minutes(kind)
    if not v.run[day] or not v.strength_literals(day, kind) or day + 1 in skeleton.race_on_day or room < 0:
        return None
    bars: list[cp_model.LiteralT] = list(v.hard_literals(day))
    if day + 1 < skeleton.n_days:
        bars += v.long_literals(day + 1)
    other = SessionKind.B if kind == SessionKind.A else SessionKind.A
    for neighbour in (day - 1, day + 1):
        if neighbour not in week_days and 0 <= neighbour < skeleton.n_days:
            bars += v.strength_literals(neighbour, other)
    most = room // UNIT  # the run units that leave room for the session
    if (day, most) not in fits:
        literal = ctx.model.new_bool_var(f"d{day}_room_{most}")
        ctx.model.add(v.run_units(day) >= most + 1).only_enforce_if(~literal)
        fits[day, most] = literal
    return [*bars, ~fits[day, most]]


def post_p11(ctx: ModelContext) -> None:
    """P11: no strength in the last N days before an A race; at most one session in the 14 days
    before it, which the plan writes at deload dose, so it is light."""
    v, skeleton = ctx.variables, ctx.skeleton
    for race in skeleton.races_with(Priority.A):
        group = ("race", race.name)
        for day in skeleton.no_strength_before(race).days():
            for literal in v.strength_literals(day):
                ctx.post(ctx.model.add(literal == 0), "P11", group)
        window = [lit for day in skeleton.pre_race(race).days() for lit in v.strength_literals(day)]
        if len(window) > 1:
            ctx.post(ctx.model.add_at_most_one(window), "P11", group)
