"""Placement rules for strength sessions: P7-P11 of RULES.md.

The solver places sessions (kind and day); what happens inside a session is the strength
prescription's job. A session inside an A race's pre-race window is written at deload dose
when the plan is extracted, which makes it light (P11).
"""

from __future__ import annotations

from periodize.models.athlete import Priority
from periodize.models.plan import RunType, SessionKind
from periodize.solver.context import ModelContext


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
    missing sessions cost O6."""
    v, skeleton = ctx.variables, ctx.skeleton
    per_week = skeleton.athlete.strength.sessions_per_week
    for week in range(skeleton.n_weeks):
        group = ("week", week)
        counts = {kind: week_sessions(ctx, week, kind) for kind in SessionKind}
        exact = skeleton.normal_weeks[week]
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
