"""Soft objectives O1-O4, O6 and O7: weighted integer penalties, one linear term per code.

Each function returns its code's penalty as a linear expression already multiplied by its
weight, so the objective is their sum and the report can give each code's share. A switched
off rule (``enabled: false`` or weight 0) contributes nothing and adds no variables.
O5 (stability against a previous plan) belongs to re-planning and is added there.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from periodize.models.athlete import WEEKDAYS, Priority
from periodize.models.plan import RunType
from periodize.models.rules import Rules
from periodize.solver.context import ModelContext
from periodize.solver.rules.group import group_term
from periodize.solver.rules.volume import training_minutes

Term = cp_model.LinearExprT


def phase_target(ctx: ModelContext, week: int) -> Term:
    """O1's target for a week: the phase curve, lowered to ``deload_pct`` in a deload week."""
    target = ctx.skeleton.phase_targets[week]
    deload = ctx.variables.deload.get(week)
    if deload is None:
        return target
    return target - (target - deload_target(ctx.rules, target)) * deload


def deload_target(rules: Rules, target: int) -> int:
    """O1's target for a deload week whose phase curve is at ``target`` minutes."""
    return round(target * rules.O1.deload_pct / 100)


def deload_hold(target: int, before: int) -> int:
    """What O1 adds, in minutes, for a deload week whose phase curve is at ``target``, after a
    week of ``before`` training minutes: the week before's distance from the curve, plus one.

    Why (RULES.md says O1 tracks the phase curve; how a deload week counts is ours to read):
    measured against its lowered target alone, a deload week is cheaper than a loading week
    that falls short of the curve, so wherever the volume sits below it (a ramp from a low
    start, availability that caps the week) a plan deloaded every other week: V1 reads the
    larger of the two weeks before, so a deload costs the ramp nothing. 8 of 30 generated
    26-week athletes did (the raceless ones at 250 deloads against a 357 target, 12 deloads in
    25 normal weeks). A deload pauses the week before, so it also pays that week's distance
    from the curve: a deload is then never cheaper than loading at the week before's minutes,
    and the one minute more breaks the tie where the volume is on the curve. So a plan deloads
    where V3 asks for it, and its depth still aims at ``deload_pct`` (but where a lighter week
    saves more than that minute in placement penalties, a plan on the curve may still deload
    every other week: 3 of those 30 athletes)."""
    return abs(before - target) + 1


def objective_o1(ctx: ModelContext) -> Term:
    """O1: weekly training minutes track the phase curve; per minute above or below target,
    and for a deload week its ``deload_hold`` too."""
    weight = ctx.rules.O1.active_weight
    if not weight:
        return 0
    model, skeleton = ctx.model, ctx.skeleton
    deviations = []
    for week in range(skeleton.n_weeks):
        above = model.new_int_var(0, 7 * 24 * 60, f"O1_w{week}_above")
        below = model.new_int_var(0, skeleton.phase_targets[week], f"O1_w{week}_below")
        model.add(5 * ctx.variables.training[week] - phase_target(ctx, week) == above - below)
        deviations.append(above + below)
    for week, deload in ctx.variables.deload.items():
        target = skeleton.phase_targets[week]
        before = training_minutes(ctx, week - 1)
        distance = model.new_int_var(0, 7 * 24 * 60, f"O1_w{week}_distance_before")
        model.add_abs_equality(distance, before - target)
        held = model.new_int_var(0, 7 * 24 * 60 + 1, f"O1_w{week}_deload_hold")
        model.add(held == distance + 1).only_enforce_if(deload)  # deload_hold
        model.add(held == 0).only_enforce_if(~deload)
        deviations.append(held)
    return weight * sum(deviations)


def objective_o2(ctx: ModelContext, strength_minutes: Callable[[int], Term] | None = None) -> Term:
    """O2: running plus strength minutes over ``weekly_time_budget_minutes``; per minute.
    ``strength_minutes(week)`` replaces the week's placed sessions where a relaxation has none
    (the volume relaxation passes the fewest minutes the week can hold)."""
    budget = ctx.skeleton.athlete.volume.weekly_time_budget_minutes
    weight = ctx.rules.O2.active_weight
    if budget is None or not weight:
        return 0
    v, p14 = ctx.variables, ctx.rules.P14

    def placed(week: int) -> Term:
        return sum(p14.planned_minutes(kind) * literal for day in ctx.skeleton.week_days(week)
                   for kind, literal in v.strength[day].items())

    overs = []
    for week in range(ctx.skeleton.n_weeks):
        strength = (strength_minutes or placed)(week)
        over = ctx.model.new_int_var(0, 7 * 24 * 60, f"O2_w{week}_over_budget")
        ctx.model.add(over >= 5 * v.training[week] + strength - budget)
        overs.append(over)
    return weight * sum(overs)


def objective_o3(ctx: ModelContext) -> Term:
    """O3: strength the day before a quality or tempo session; per occurrence."""
    weight = ctx.rules.O3.active_weight
    if not weight:
        return 0
    v = ctx.variables
    occurrences = []
    for day in range(ctx.skeleton.n_days - 1):
        sessions, quality = v.strength_literals(day), v.quality_literals(day + 1)
        if sessions and quality:
            paid = ctx.model.new_bool_var(f"O3_d{day}")
            ctx.model.add(paid >= sum(sessions) + sum(quality) - 1)
            occurrences.append(paid)
    return weight * sum(occurrences)


def objective_o4(ctx: ModelContext) -> Term:
    """O4: preferences (long run day, quality days, strength days, rest days); per day off
    preference. Every count is a plain sum of existing literals: no new variables. Group
    sessions (batch rosters) missed are priced here too, at ``group_weight`` (``group``)."""
    weight = ctx.rules.O4.active_weight
    prefs = ctx.skeleton.athlete.preferences
    if not weight:
        return group_term(ctx)
    v, skeleton = ctx.variables, ctx.skeleton
    off: list[Term] = []
    for day in range(skeleton.n_days):
        if not v.run[day]:
            continue
        weekday = WEEKDAYS[skeleton.date_of(day).weekday()]
        if prefs.long_run_day and weekday != prefs.long_run_day:
            off.append(v.run[day][RunType.long])
        if prefs.quality_days and weekday not in prefs.quality_days:
            off.extend(v.quality_literals(day))
        if prefs.strength_days and weekday not in prefs.strength_days:
            off.extend(v.strength_literals(day))
        if weekday in prefs.rest_days:
            off.append(1 - v.run[day][RunType.rest])
    return weight * sum(off) + group_term(ctx)


def objective_o6(ctx: ModelContext) -> Term:
    """O6: strength sessions missing against ``sessions_per_week`` outside normal weeks (P10),
    per session; and, at ``busy_week_weight``, each week outside an availability exception that
    uses the busy-week pair (full + short, S4) instead of A + B."""
    skeleton, v, params = ctx.skeleton, ctx.variables, ctx.rules.O6
    per_week = skeleton.athlete.strength.sessions_per_week
    if not params.enabled or per_week == 0:
        return 0
    missing: list[Term] = []
    busy: list[Term] = []
    for week in range(skeleton.n_weeks):
        if not skeleton.normal_weeks[week]:
            held = sum(lit for day in skeleton.week_days(week) for lit in v.strength_literals(day))
            missing.append(per_week - held)
        if week in v.busy and not skeleton.is_exception_week(week):
            busy.append(v.busy[week])
    return params.weight * sum(missing) + params.busy_week_weight * sum(busy)


def objective_o7(ctx: ModelContext) -> Term:
    """O7: weeks without a long run (P3), other than weeks holding an A or B race; per week."""
    weight = ctx.rules.O7.active_weight
    if not weight:
        return 0
    skeleton = ctx.skeleton
    return weight * sum(
        1 - ctx.variables.has_long[week]
        for week in range(skeleton.n_weeks)
        if not skeleton.has_race(week, Priority.A, Priority.B)
    )


OBJECTIVES: dict[str, Callable[[ModelContext], Term]] = {
    "O1": objective_o1,
    "O2": objective_o2,
    "O3": objective_o3,
    "O4": objective_o4,
    "O6": objective_o6,
    "O7": objective_o7,
}
