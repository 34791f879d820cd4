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
from periodize.season import Skeleton
from periodize.solver.context import ModelContext
from periodize.solver.cpsat import IntExpr
from periodize.solver.rules.group import group_term
from periodize.solver.rules.volume import MINUTES_IN_A_WEEK, training_minutes

Term = IntExpr


def deload_target(skeleton: Skeleton, target: int) -> int:
    """O1's target for a due deload week (``deload_due``) whose phase curve is at ``target``:
    ``deload_pct`` of it, but never below the minimum week (not even where the curve is).

    Why the minimum week: no normal week goes below it, and V3 puts a deload there where it is
    above the deload range. Aimed below it, every due deload of such an athlete paid minutes it
    could not avoid (a beginner's 105-minute minimum week against a 78-minute deload target: 27
    points), more than an early deload at the same minutes pays against the full curve, so its
    plans deloaded early, twice in a row in places. Where the curve itself is below the minimum
    week (a beginner of 45-minute weeks against a curve of 42), the due deload had been aimed at
    the curve: with the hold it paid the week's 3 minutes above it twice (7, an early deload 4),
    and the plan deloaded every other week; aimed at the minimum week it pays them once (4)."""
    return max(min(target, round(target * skeleton.rules.O1.deload_pct / 100)), skeleton.minimum_week)


def deload_due(rules: Rules, loading_before: int) -> bool:
    """Whether a deload week after ``loading_before`` loading weeks in a row is one the
    curve holds: the one V3 asks for, after its ``max_loading_weeks`` (3:1 by default). An
    earlier deload is the athlete's choice, not the curve's (see ``deload_o1_minutes``)."""
    return loading_before >= rules.V3.max_loading_weeks


def deload_hold(target: int, before: int, *, due: bool) -> int:
    """What O1 adds, in minutes, to a deload week whose phase curve is at ``target``, after a
    week of ``before`` training minutes: for a due deload the week before's distance from the
    curve, for an early one how far the week before ran above it; plus one. See
    ``deload_o1_minutes``."""
    return (abs(before - target) if due else max(before - target, 0)) + 1


def deload_o1_minutes(skeleton: Skeleton, target: int, minutes: int, before: int, *, due: bool) -> int:
    """O1's minutes for a deload week of ``minutes`` training minutes whose phase curve is at
    ``target``, after a week of ``before`` minutes. The model posts the same in
    ``objective_o1``, the chain DP restates it over arrays (``volume_dp._week_costs`` and
    ``_deload_holds``), and the explanation's week-by-week O1 calls this.

    Why (RULES.md says O1 tracks the phase curve; how a deload week counts is ours to read): a
    deload is never cheaper than loading at the week before's minutes, so a plan deloads where
    V3 puts a deload (3:1 by default), and its depth aims at ``deload_pct``.

    - A due deload (``deload_due``) is measured against its lowered target (``deload_target``), and
      pays the week before's distance from the curve plus one (``deload_hold``). Measured against
      its lowered target alone, a deload cost less than a loading week short of the curve, so
      wherever the volume sat below it (a ramp from a low start, availability that caps the
      week) plans deloaded every other week: V1 reads the larger of the two weeks before, so a
      deload costs the ramp nothing (8 of 30 generated 26-week athletes; the raceless ones 12
      deloads in 25 normal weeks). Where the volume is on the curve, the one minute breaks the
      tie.
    - An early deload, before V3 asks for one, is a dip in the curve, not part of it: measured
      against the full target, plus one. With the hold alone, a plan whose loading weeks sit on
      the curve (or capped just under it) still deloaded every other week wherever a lighter
      week saved more than that one minute in placement penalties (O4): 3 of those 30
      athletes, e.g. 380 / 300 deload / 380 / 300 against a curve above 380. Now an early
      deload pays its whole dip below the curve, as a loading week that light would.
    - Where the week before ran above the curve, an early deload also pays that distance: a dip
      back toward the curve had cost less than loading, and by V1's larger-of-two it cost the
      ramp nothing. A curve below the minimum week that the weeks climb above to reach the
      build's targets in time (``O1: {base_pct: 30}`` on a 150-minute runner) deloaded every
      other week: 130 / 155 / 130 deload / 170 / 135 deload. Below the curve the dip already
      costs more than loading at the week before's minutes, so nothing is added there."""
    aim = deload_target(skeleton, target) if due else target
    return abs(minutes - aim) + deload_hold(target, before, due=due)


def objective_o1(ctx: ModelContext) -> Term:
    """O1: weekly training minutes track the phase curve; per minute above or below target,
    a deload week counted as ``deload_o1_minutes`` counts it."""
    weight = ctx.rules.O1.active_weight
    if not weight:
        return 0
    model, skeleton = ctx.model, ctx.skeleton
    deviations = []
    for week in range(skeleton.n_weeks):
        target = skeleton.phase_targets[week]
        due = _due_deload(ctx, week)
        aim = target if due is None else target - (target - deload_target(skeleton, target)) * due
        above = model.new_int_var(0, MINUTES_IN_A_WEEK, f"O1_w{week}_above")
        # A due deload's aim may sit above the curve (the minimum week, ``deload_target``).
        below = model.new_int_var(0, target if due is None else max(target, deload_target(skeleton, target)),
                                  f"O1_w{week}_below")
        model.add(5 * ctx.variables.training[week] - aim == above - below)
        deviations.append(above + below)
        deload = ctx.variables.deload.get(week)
        if deload is None:
            continue
        # A week's distance from its target reaches the target itself where the curve is set
        # above a week's minutes (``O1: {base_pct: 500}`` on a peak of 3,000): capped at a
        # week's minutes, the soft rule made such seasons infeasible.
        reach = max(MINUTES_IN_A_WEEK, target)
        held = model.new_int_var(0, reach + 1, f"O1_w{week}_deload_hold")
        before = training_minutes(ctx, week - 1)
        # deload_hold: a due deload's is the week before's distance from the curve, plus one; an
        # early deload's how far it ran above, plus one: (distance + before - target) / 2 + 1.
        distance = model.new_int_var(0, reach, f"O1_w{week}_distance_before")
        model.add_abs_equality(distance, before - target)
        early_hold = model.add(2 * held == distance + before - target + 2)
        if due is not None:
            model.add(held == distance + 1).only_enforce_if(due)
            early_hold.only_enforce_if([deload, ~due])
        else:
            early_hold.only_enforce_if(deload)
        model.add(held == 0).only_enforce_if(~deload)
        deviations.append(held)
    return weight * sum(deviations)


def _due_deload(ctx: ModelContext, week: int) -> cp_model.IntVar | None:
    """A literal true where ``week`` is a due deload (``deload_due``): a deload after
    ``max_loading_weeks`` loading weeks. None where it never can be: the week cannot deload,
    or a week of those before it is not normal or before the plan (V3's count restarts)."""
    deload = ctx.variables.deload.get(week)
    behind = range(week - ctx.rules.V3.max_loading_weeks, week)
    if deload is None or any(w < 0 or w not in ctx.variables.deload for w in behind):
        return None
    loading = [deload, *(~ctx.variables.deload[w] for w in behind)]
    due = ctx.model.new_bool_var(f"O1_w{week}_due_deload")
    ctx.model.add_bool_and(loading).only_enforce_if(due)
    ctx.model.add_bool_or([~literal for literal in loading]).only_enforce_if(~due)
    return due


def objective_o2(ctx: ModelContext, strength_minutes: Callable[[int], Term] | None = None) -> Term:
    """O2: running plus strength minutes over ``weekly_time_budget_minutes``; per minute.
    ``strength_minutes(week)`` replaces the week's placed sessions where a relaxation has none
    (the volume relaxation passes the fewest minutes the week can hold)."""
    budget = ctx.skeleton.athlete.volume.weekly_time_budget_minutes
    weight = ctx.rules.O2.active_weight
    if budget is None or not weight:
        return 0
    overs = []
    for week in range(ctx.skeleton.n_weeks):
        strength = strength_minutes(week) if strength_minutes else _placed_strength(ctx, week)
        over = ctx.model.new_int_var(0, MINUTES_IN_A_WEEK, f"O2_w{week}_over_budget")
        ctx.model.add(over >= 5 * ctx.variables.training[week] + strength - budget)
        overs.append(over)
    return weight * sum(overs)


def _placed_strength(ctx: ModelContext, week: int) -> Term:
    """The planned minutes (P14) of the strength sessions placed in ``week``."""
    p14 = ctx.rules.P14
    return sum(p14.planned_minutes(kind) * literal for day in ctx.skeleton.week_days(week)
               for kind, literal in ctx.variables.strength[day].items())


def o2_beyond_fewest_strength(ctx: ModelContext) -> Term:
    """What O2 charges a week beyond what the volume relaxation charges it (O2 at the fewest
    strength minutes P10 allows, ``Skeleton.minimum_strength_minutes``): the sessions' minutes
    above the fewest, where they take the week over budget. Posted only on a copy of the
    season model, for the week relaxations (``season_bound``), so that each week's profile
    charges it with the week's strength. Why: the relaxation's O2 and a week's placement are
    bounded apart, and a week may then take A + B (no busy week, no O6) at volumes where A + B
    put it over budget, which the relaxation charges at full + short: 5 points a week missed on
    a generated 26-week season, 25 in all (295 against the optimum 321).

    Exact, not one-sided as O2 is: ``max(0, runs + strength - budget) - max(0, runs + fewest -
    budget)``, the second written with ``add_max_equality``, since it is subtracted. Only in
    the weeks where it can be above 0 (``o2_strength_weeks``): elsewhere the week models stay as
    they were, and so do the first plans built from their solutions (posted in every week, 100
    generated athletes at --time-limit 3 lost a proof and 3 plans got worse, none of them for a
    bound this raised; only where it can be above 0, 1 plan better and 1 bound higher)."""
    skeleton = ctx.skeleton
    budget = skeleton.athlete.volume.weekly_time_budget_minutes
    beyond = []
    for week in o2_strength_weeks(skeleton):
        assert budget is not None  # no week without one
        runs = 5 * ctx.variables.training[week]
        charged = ctx.model.new_int_var(0, MINUTES_IN_A_WEEK, f"O2_w{week}_charged_by_volume")
        ctx.model.add_max_equality(charged, [0, runs + skeleton.minimum_strength_minutes(week) - budget])
        extra = ctx.model.new_int_var(0, MINUTES_IN_A_WEEK, f"O2_w{week}_beyond_fewest_strength")
        ctx.model.add(extra >= runs + _placed_strength(ctx, week) - budget - charged)
        beyond.append(extra)
    return ctx.rules.O2.active_weight * sum(beyond)


def o2_strength_weeks(skeleton: Skeleton) -> list[int]:
    """The weeks where O2 can charge more than at the fewest strength minutes P10 allows: the
    most it allows are more, and with them the athlete's peak week would be over budget."""
    budget = skeleton.athlete.volume.weekly_time_budget_minutes
    if budget is None or not skeleton.rules.O2.active_weight:
        return []
    peak = skeleton.athlete.volume.peak_weekly_minutes
    ranges = [skeleton.strength_minutes_range(week) for week in range(skeleton.n_weeks)]
    return [week for week, (fewest, most) in enumerate(ranges) if fewest < most and peak + most > budget]


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
    uses the busy-week pair (full + short, S4) instead of A + B: a week outside normal weeks
    holding one session of two draws it from one pair or the other (``post_p10``), so a lone
    full or short pays it too, as the week's ``busy`` literal reads."""
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
