"""Placement and recovery rules for runs: P1-P6 and P12-P14 of RULES.md.

Each function posts one rule over the whole season; its docstring is the rule. Constraints are
Boolean clauses or linear sums over the day's type literals, never big-M.
"""

from __future__ import annotations

from periodize.models.athlete import Priority
from periodize.models.plan import RunType
from periodize.solver.context import ModelContext
from periodize.solver.variables import units_ceil, units_floor


def post_p1(ctx: ModelContext) -> None:
    """P1: each day has exactly one run type; race days are fixed to `race` (they carry no
    variables at all, see ``variables``)."""
    for day, types in enumerate(ctx.variables.run):
        if types:
            ctx.post(ctx.model.add_exactly_one(types.values()), "P1", ("day", day))


def post_p2(ctx: ModelContext) -> None:
    """P2: no two hard days in a row (across week boundaries too)."""
    v, skeleton = ctx.variables, ctx.skeleton
    for day in range(skeleton.n_days - 1):
        today = v.hard_literals(day)
        tomorrow = v.hard_literals(day + 1)
        if day in skeleton.race_on_day and day + 1 in skeleton.race_on_day:
            ctx.impossible("P2", ("day", day))  # two races on consecutive days
        elif day in skeleton.race_on_day or day + 1 in skeleton.race_on_day:
            for literal in today + tomorrow:  # the race is the hard day; its neighbours are not
                ctx.post(ctx.model.add(literal == 0), "P2", ("day", day))
        else:
            ctx.post(ctx.model.add_at_most_one(today + tomorrow), "P2", ("day", day))


def post_p3(ctx: ModelContext) -> None:
    """P3: at most one `long` run a week (``has_long`` is Boolean), the week's longest non-race
    run; a normal week has exactly one (``Skeleton.long_run_required``)."""
    v, skeleton = ctx.variables, ctx.skeleton
    for week in range(skeleton.n_weeks):
        long_units = v.long_run[week]
        for day in skeleton.week_days(week):
            if v.run[day]:
                longest = ctx.model.add(v.easy_minutes[day] + v.quality_minutes[day] <= long_units)
                ctx.post(longest, "P3", ("week", week), when=[v.has_long[week]])
        if ctx.rule_free:  # otherwise ``has_long`` being a Boolean sum says it (variables)
            long_runs = sum(run[RunType.long] for day in skeleton.week_days(week) if (run := v.run[day]))
            ctx.post(ctx.model.add(long_runs <= 1), "P3", ("week", week))
        _post_normal_week_long_run(ctx, week)


def post_p3_week_level(ctx: ModelContext) -> None:
    """P3's part the week-level variables carry alone: a normal week has its long run. For
    the volume relaxation where it reads long runs; ``post_p3`` posts it with the rest."""
    for week in range(ctx.skeleton.n_weeks):
        _post_normal_week_long_run(ctx, week)


def _post_normal_week_long_run(ctx: ModelContext, week: int) -> None:
    if ctx.skeleton.long_run_required(week):  # a normal week with a day for it (README, P3)
        ctx.post(ctx.model.add(ctx.variables.has_long[week] == 1), "P3", ("week", week))


def quality_count(ctx: ModelContext, week: int):
    """quality + tempo sessions of a week; a C race counts as one (P4)."""
    skeleton = ctx.skeleton
    return (sum(lit for day in skeleton.week_days(week) for lit in ctx.variables.quality_literals(day))
            + len(skeleton.c_race_days(week)))


def post_p4(ctx: ModelContext) -> None:
    """P4: quality+tempo sessions per week within bounds (a C race counts as one; a week whose C
    races alone pass the cap holds no other, ``Skeleton.quality_upper_bound``); the lower
    bound is waived in an A-race week, a week touched by recovery and an exception week, and
    is at most what the athlete's days hold beside the long run
    (``Skeleton.quality_sessions_required``). (None inside a recovery window is posted by V8,
    which owns the recovery days.)"""
    skeleton = ctx.skeleton
    for week in range(skeleton.n_weeks):
        count = quality_count(ctx, week)
        ctx.post(ctx.model.add(count <= skeleton.quality_upper_bound(week)), "P4", ("week", week))
        if skeleton.quality_lower_bound_applies(week) and skeleton.quality_sessions_required > 0:
            ctx.post(ctx.model.add(count >= skeleton.quality_sessions_required), "P4", ("week", week))


def post_p5(ctx: ModelContext) -> None:
    """P5: at least this many `rest` days a week (a race day is not a rest day)."""
    v, skeleton = ctx.variables, ctx.skeleton
    for week in range(skeleton.n_weeks):
        rest = sum(v.run[day][RunType.rest] for day in skeleton.week_days(week) if v.run[day])
        ctx.post(ctx.model.add(rest >= ctx.rules.P5.min_rest_days), "P5", ("week", week))


def running_days(ctx: ModelContext, week: int):
    """Days of the week with a run, the race included."""
    v = ctx.variables
    return sum(1 - v.run[day][RunType.rest] if v.run[day] else 1 for day in ctx.skeleton.week_days(week))


def post_p6(ctx: ModelContext) -> None:
    """P6: running days per week within ``runs_per_week``; in an exception week the minimum is
    capped by the days with enough time (``Skeleton.min_running_days``)."""
    skeleton, limits = ctx.skeleton, ctx.skeleton.athlete.runs_per_week
    for week in range(skeleton.n_weeks):
        days = running_days(ctx, week)
        ctx.post(ctx.model.add(days <= limits.max), "P6", ("week", week))
        ctx.post(ctx.model.add(days >= skeleton.min_running_days(week)), "P6", ("week", week))


def post_p12(ctx: ModelContext) -> None:
    """P12: a day's run minutes plus strength minutes (warm-up included) fit its available
    minutes; a day with 0 minutes holds no run and no strength. Race days are exempt."""
    v, skeleton = ctx.variables, ctx.skeleton
    p14 = ctx.rules.P14
    for day in range(skeleton.n_days):
        if not v.run[day]:
            continue
        available = skeleton.available[day]
        if available <= 0:
            ctx.post(ctx.model.add(v.run[day][RunType.rest] == 1), "P12", ("day", day))
            for literal in v.strength_literals(day):
                ctx.post(ctx.model.add(literal == 0), "P12", ("day", day))
            continue
        strength = sum(p14.planned_minutes(kind) * literal for kind, literal in v.strength[day].items())
        ctx.post(ctx.model.add(5 * v.run_units(day) + strength <= available), "P12", ("day", day))


def post_p13(ctx: ModelContext) -> None:
    """P13: the day before an A or B race is `rest`, or `easy`/`recovery` of at most 30 min."""
    v, skeleton = ctx.variables, ctx.skeleton
    cap = units_floor(ctx.rules.P13.max_easy_minutes)
    for race in skeleton.races_with(Priority.A, Priority.B):
        day = race.day - 1
        if day in skeleton.race_on_day:
            ctx.impossible("P13", ("race", race.name))  # a race the day before an A or B race
            continue
        if day < 0:
            continue
        for literal in v.hard_literals(day):
            ctx.post(ctx.model.add(literal == 0), "P13", ("race", race.name))
        ctx.post(ctx.model.add(v.easy_minutes[day] <= cap), "P13", ("race", race.name))


def post_p14_week_level(ctx: ModelContext) -> None:
    """What P14 implies for the week-level variables alone: a week's long-run units are 0
    without a long run and at least the shortest long run with one (at most one a week, P3).
    For the volume relaxation, whose days hold no minutes; the full model has it from
    ``post_p14`` day by day."""
    v = ctx.variables
    long_min = units_ceil(ctx.rules.P14.long_min)
    for week in range(ctx.skeleton.n_weeks):
        group = ("week", week)
        ctx.post(ctx.model.add(v.long_run[week] == 0), "P14", group, when=[~v.has_long[week]])
        ctx.post(ctx.model.add(v.long_run[week] >= long_min), "P14", group, when=[v.has_long[week]])


def post_p14(ctx: ModelContext) -> None:
    """P14: session lengths. Each kind's minutes lie in its range when that kind is chosen and
    are 0 otherwise: exact linear bounds on Boolean sums, which the LP relaxation reads well."""
    v, skeleton, p14 = ctx.variables, ctx.skeleton, ctx.rules.P14
    long_min = units_ceil(p14.long_min)
    long_max = units_floor(ctx.rules.V4.max_minutes)
    for day in range(skeleton.n_days):
        run = v.run[day]
        if not run:
            continue
        easy, recovery = run[RunType.easy], run[RunType.recovery]
        quality, tempo, long = run[RunType.quality], run[RunType.tempo], run[RunType.long]
        group = ("day", day)
        for kinds, low, minutes, high in [
            ((easy, recovery), units_ceil(p14.easy_min) * easy + units_ceil(p14.recovery_min) * recovery,
             v.easy_minutes[day], units_floor(p14.easy_max) * easy + units_floor(p14.recovery_max) * recovery),
            ((quality, tempo), units_ceil(p14.quality_min) * quality + units_ceil(p14.tempo_min) * tempo,
             v.quality_minutes[day], units_floor(p14.quality_max) * quality + units_floor(p14.tempo_max) * tempo),
            ((long,), long_min * long, v.long_minutes[day], long_max * long),
        ]:
            ctx.post(ctx.model.add(minutes >= low), "P14", group)
            ctx.post(ctx.model.add(minutes <= high), "P14", group)
            if ctx.rule_free:
                # A kind's minutes are 0 unless the day holds it (a rest day runs 0 minutes):
                # what the variables mean, not a P14 number. The upper bound above says it
                # too, but under P14's guard, which then stood for every rest day's 0.
                ctx.model.add(minutes == 0).only_enforce_if([~kind for kind in kinds])
