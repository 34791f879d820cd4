"""Volume and progression rules: V1-V9 of RULES.md.

Weekly caps are written in minutes (``5 * training units``) so that constants from the athlete
file (``current_weekly_minutes``) need no rounding. Percentages become exact fractions, so a
cap such as "at most 110 % of last week" is the integer constraint ``10 * T <= 11 * last``.

A cap "never below the minimum week" is ``T <= max(cap, minimum week)``, posted as a
disjunction. Where a normal week stands behind the cap its floor is provably redundant (a
normal week that holds its long run never has fewer than the minimum week's minutes), and the
floor is left out: this keeps most of these caps linear, which is what lets CP-SAT's LP prove
optimality quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from ortools.sat.python import cp_model

from periodize.models.athlete import Priority
from periodize.models.rules import exact
from periodize.season import RaceInfo, Skeleton
from periodize.solver.context import ModelContext, ratio
from periodize.solver.cpsat import IntExpr
from periodize.solver.rules.placement import quality_count, running_days
from periodize.solver.variables import units_floor

Minutes = IntExpr
MINUTES_IN_A_WEEK = 7 * 24 * 60


def training_minutes(ctx: ModelContext, week: int) -> Minutes:
    """A week's training minutes; weeks before the plan count as ``current_weekly_minutes``."""
    if week < 0:
        return ctx.skeleton.athlete.volume.current_weekly_minutes
    return 5 * ctx.variables.training[week]


def _holds_minimum_week(skeleton: Skeleton, week: int) -> bool:
    """Whether ``week`` is a plan week that never holds less than the minimum week: a normal
    week with its long run (``Skeleton.long_run_required``)."""
    return 0 <= week < skeleton.n_weeks and skeleton.long_run_required(week)


def post_cap(
    ctx: ModelContext, code: str, week: int, minutes: Minutes, factor: Fraction,
    references: list[Minutes], floor: int | None,
) -> None:
    """``minutes <= max(factor * reference for each reference, floor)``."""
    options: list[cp_model.BoundedLinearExpression | bool] = []
    constants: list[Fraction] = [Fraction(floor)] if floor is not None else []
    for reference in references:
        if isinstance(reference, int):
            constants.append(factor * reference)
        else:
            options.append(factor.denominator * minutes <= factor.numerator * reference)
    if constants:
        options.append(minutes <= int(max(constants)))
    ctx.post_any_of(code, ("week", week), f"{code}_w{week}", options)


def v1_floor(skeleton: Skeleton, week: int) -> int | None:
    """V1's "never capped below the minimum week" for ``week`` (``Skeleton.volume_floor``):
    None where a normal week (``_holds_minimum_week``) is among the two behind it and its
    minimum week, grown by V1's share, reaches the floor (such a week never holds less, so the
    floor is redundant)."""
    floor = skeleton.volume_floor(week)
    grown = (1 + ratio(skeleton.rules.V1.max_increase_pct)) * skeleton.minimum_week
    redundant = grown >= floor and any(_holds_minimum_week(skeleton, w) for w in (week - 1, week - 2))
    return None if redundant else floor


def v2_floor(skeleton: Skeleton, week: int) -> int | None:
    """V2's "never capped below the minimum week" for ``week`` (``Skeleton.volume_floor``):
    None where every chronic week behind it is normal (``_holds_minimum_week``) and the ratio
    times the minimum week reaches the floor (then the cap is never below it)."""
    weeks, floor = skeleton.rules.V2.chronic_weeks, skeleton.volume_floor(week)
    redundant = exact(skeleton.rules.V2.max_ratio) * skeleton.minimum_week >= floor and all(
        _holds_minimum_week(skeleton, w) for w in range(week - weeks, week))
    return None if redundant else floor


def v7_taper_floor(skeleton: Skeleton, race: RaceInfo, week: int) -> int | None:
    """The floor under V7's "no taper week exceeds the reference week" for taper ``week`` of
    ``race``: the fewest training minutes the hard rules leave the week
    (``Skeleton.v7_week_floor``); None where the reference week can never be below it
    (``Skeleton.fewest_training_minutes`` of one of its weeks, or the minutes before the plan,
    is at or above the floor), so the cap stays linear.

    Reading (a collision of V7 with P6, V6 and its own taper session; RULES.md floors V1, V2,
    V3, V8 and V7's race week, but not this cap): where the three reference weeks are holiday
    or injury weeks of 0 minutes (an exception), the reference is 0, P6 still asks for runs in
    race week, and the season had no plan. A first 10k after three weeks off (exit 3). The cap
    is floored as the others are: the week may hold the least its other rules ask, and no
    more, which keeps the plan feasible and as safe as any plan can be."""
    floor = skeleton.v7_week_floor(week)
    lowest = max(skeleton.athlete.volume.current_weekly_minutes if w < 0 else skeleton.fewest_training_minutes(w)
                 for w in skeleton.reference_weeks(race))
    return None if lowest >= floor else floor


def post_v1(ctx: ModelContext) -> None:
    """V1: a week's training minutes exceed the larger of the two previous weeks' by at most
    this share (weeks before the plan count as current minutes); never capped below the
    minimum week."""
    factor = 1 + ratio(ctx.rules.V1.max_increase_pct)
    for week in range(ctx.skeleton.n_weeks):
        post_cap(ctx, "V1", week, training_minutes(ctx, week), factor,
                 [training_minutes(ctx, w) for w in (week - 1, week - 2)], v1_floor(ctx.skeleton, week))


def post_v2(ctx: ModelContext) -> None:
    """V2: from the fifth week, training minutes at most ``max_ratio`` times the mean of the
    ``chronic_weeks`` (4) weeks before (acute:chronic, Gabbett 2016); never capped below the minimum week."""
    weeks = ctx.rules.V2.chronic_weeks
    factor = exact(ctx.rules.V2.max_ratio) / weeks
    for week in range(weeks, ctx.skeleton.n_weeks):
        behind = range(week - weeks, week)
        chronic = sum(training_minutes(ctx, w) for w in behind)
        post_cap(ctx, "V2", week, training_minutes(ctx, week), factor, [chronic], v2_floor(ctx.skeleton, week))


def post_v3(ctx: ModelContext) -> None:
    """V3: at most N loading weeks (normal, not deload) in a row, then a deload week at 60-80 %
    of the week before, or the minimum week where that is above the range. Weeks that are not
    normal restart the count."""
    skeleton, v, params = ctx.skeleton, ctx.variables, ctx.rules.V3
    span = params.max_loading_weeks + 1
    for first in range(skeleton.n_weeks - span + 1):
        weeks = range(first, first + span)
        if all(skeleton.normal_weeks[w] for w in weeks):
            ctx.post(ctx.model.add(sum(v.deload[w] for w in weeks) >= 1), "V3", ("week", first + span - 1))
    low, high = ratio(params.deload_min_pct), ratio(params.deload_max_pct)
    for week, deload in v.deload.items():
        minutes, before = training_minutes(ctx, week), training_minutes(ctx, week - 1)
        group = ("week", week)
        at_least = ctx.model.add(low.denominator * minutes >= low.numerator * before)
        ctx.post(at_least, "V3", group, when=[deload])
        within = ctx.model.new_bool_var(f"V3_w{week}_within_range")
        in_range = ctx.model.add(high.denominator * minutes <= high.numerator * before)
        ctx.post(in_range, "V3", group, when=[deload, within])
        at_floor = ctx.model.add(minutes <= skeleton.minimum_week)
        ctx.post(at_floor, "V3", group, when=[deload, ~within])


def post_v4(ctx: ModelContext) -> None:
    """V4: the long run is at most a share of the week's training units by running days (50 %
    with 3 or fewer, 40 % with 4, 30 % with 5 or more), never below the shortest long run; its
    minutes cap is the upper bound of every long run (P14)."""
    post_v4_by_days(ctx, lambda week: running_days(ctx, week))


def post_v4_by_days(ctx: ModelContext, days_of: Callable[[int], IntExpr]) -> None:
    """V4 with each week's running days given as an expression: the days' own count in the
    full model, a variable of its own in the volume relaxation (``relaxation``)."""
    skeleton, v, params = ctx.skeleton, ctx.variables, ctx.rules.V4
    # The floor is the shortest long run in minutes, rounded down to whole units: rounded up, a
    # long_min of 47 would let a 50-minute long run pass as "at the floor" (50 > 47).
    long_floor = units_floor(ctx.rules.P14.long_min)
    classes = [(0, 3, params.share_pct_3_or_fewer), (4, 4, params.share_pct_4), (5, 7, params.share_pct_5_or_more)]
    for week in range(skeleton.n_weeks):
        group = ("week", week)
        # The classes P6's bounds leave, for a smaller model; in the explanation model every
        # class, since the choice among them is posted unguarded: narrowed by P6 it stood for
        # P6 in every conflict, which then went unnamed (peak_weekly_minutes 120 against four
        # runs a week was put down to P1, P3, P4, P14 and V9 alone).
        lowest, highest = (0, 7) if ctx.explain else (skeleton.min_running_days(week), skeleton.athlete.runs_per_week.max)
        reachable = [(lo, hi, pct) for lo, hi, pct in classes if lo <= highest and hi >= lowest]
        at_floor = ctx.model.new_bool_var(f"V4_w{week}_at_floor")
        ctx.post(ctx.model.add(v.long_run[week] <= long_floor), "V4", group, when=[at_floor])
        days = days_of(week)
        literals = []
        for lo, hi, pct in reachable:
            share = ratio(pct)
            capped = ctx.model.add(share.denominator * v.long_run[week] <= share.numerator * v.training[week])
            if len(reachable) == 1:
                ctx.post(capped, "V4", group, when=[~at_floor])
                continue
            in_class = ctx.model.new_bool_var(f"V4_w{week}_runs_{lo}_{hi}")
            ctx.model.add(days >= lo).only_enforce_if(in_class)
            ctx.model.add(days <= hi).only_enforce_if(in_class)
            literals.append(in_class)
            ctx.post(capped, "V4", group, when=[in_class, ~at_floor])
        if literals:
            ctx.model.add_exactly_one(literals)


def post_v5(ctx: ModelContext) -> None:
    """V5: the long run grows by at most N minutes over its reference: the longest long run of
    the two previous weeks, else the most recent earlier one, else ``current_long_run_minutes``
    (else the shortest long run); never capped below the shortest long run.

    ``latest[w]`` carries the most recent long run up to week w; then the reference of week w
    is exactly ``max(long[w-1], long[w-2], latest[w-1])`` (a week without a long run has 0)."""
    skeleton, v = ctx.skeleton, ctx.variables
    increase = ctx.rules.V5.max_increase_minutes
    long_min = ctx.rules.P14.long_min
    before_plan = skeleton.athlete.volume.current_long_run_minutes
    first_before = before_plan if before_plan is not None else long_min
    latest_before: IntExpr = first_before
    top = max(5 * v.long_run_cap, first_before, long_min)
    previous: list[IntExpr] = []
    for week in range(skeleton.n_weeks):
        reference = ctx.model.new_int_var(0, top, f"V5_w{week}_reference")
        ctx.model.add_max_equality(reference, [*previous[-2:], latest_before, long_min - increase])
        ctx.post(ctx.model.add(5 * v.long_run[week] <= reference + increase), "V5", ("week", week))
        latest = ctx.model.new_int_var(0, top, f"V5_w{week}_latest_long")
        ctx.model.add(latest == 5 * v.long_run[week]).only_enforce_if(v.has_long[week])
        ctx.model.add(latest == latest_before).only_enforce_if(~v.has_long[week])
        latest_before = latest
        previous.append(5 * v.long_run[week])


def post_v6(ctx: ModelContext) -> None:
    """V6: quality+tempo minutes at most this share of the week's training minutes (80/20)."""
    share = ratio(ctx.rules.V6.max_share_pct)
    v = ctx.variables
    for week in range(ctx.skeleton.n_weeks):
        quality = v.week_quality_units(ctx.skeleton, week)
        ctx.post(ctx.model.add(share.denominator * quality <= share.numerator * v.training[week]), "V6", ("week", week))


def reference_week_minutes(ctx: ModelContext, race: RaceInfo) -> cp_model.IntVar:
    """V7: the taper's reference, the most training minutes among the three weeks before the
    first taper week (weeks before the plan count as current minutes). V8 caps recovery weeks
    against it too, so it is built once per race."""
    key = ("reference", race.name)
    if key not in ctx.shared:
        weeks = ctx.skeleton.reference_weeks(race)
        candidates = [training_minutes(ctx, w) for w in weeks]
        reference = ctx.model.new_int_var(0, MINUTES_IN_A_WEEK, f"V7_{race.name}_reference_minutes")
        ctx.model.add_max_equality(reference, candidates)
        ctx.shared[key] = reference
    return ctx.shared[key]


def post_v7(ctx: ModelContext) -> None:
    """V7: A-race taper: no taper week above the reference week, or the least the week must hold
    where that is more (``v7_taper_floor``); race week at 40-60 % of it (or the shortest easy
    run times the runs P6 still requires, where that is more; where an exception takes time
    from the week or the two before, at most that much is asked,
    ``Skeleton.v7_race_week_waived``), read for a race early in its week as the week before and
    race week both at most 60 % (``Skeleton.v7_cut_weeks``, ``v7_floor_week``); each taper week
    before race week keeps a quality session unless recovery or an exception touches it. B
    races, and A races by the README's reading (``Skeleton.v7_easy_days``): no hard day in the
    days before."""
    skeleton, v, params = ctx.skeleton, ctx.variables, ctx.rules.V7
    low, high = ratio(params.race_week_min_pct), ratio(params.race_week_max_pct)
    for race in skeleton.races_with(Priority.A):
        group = ("race", race.name)
        weeks = skeleton.taper_weeks(race)
        if not weeks:
            continue
        reference = reference_week_minutes(ctx, race)
        for week in weeks:
            minutes, floor = training_minutes(ctx, week), v7_taper_floor(skeleton, race, week)
            ctx.post_any_of("V7", group, f"V7_{race.name}_taper_w{week}",
                            [minutes <= reference, *([minutes <= floor] if floor is not None else [])])
            if skeleton.taper_quality_required(week):
                ctx.post(ctx.model.add(quality_count(ctx, week) >= 1), "V7", group)
        floored = skeleton.v7_floor_week(race)
        if floored is not None and floored < skeleton.n_weeks:
            minutes = training_minutes(ctx, floored)
            floor = skeleton.v7_week_floor(floored)
            waived = skeleton.v7_race_week_waived(floored)
            ctx.post_any_of("V7", group, f"V7_{race.name}_race_week_least", [
                low.denominator * minutes >= low.numerator * reference, *([minutes >= floor] if waived else []),
            ])
        for week in skeleton.v7_cut_weeks(race):
            if week < skeleton.n_weeks:
                minutes = training_minutes(ctx, week)
                ctx.post_any_of("V7", group, f"V7_{race.name}_race_week_w{week}", [
                    high.denominator * minutes <= high.numerator * reference,
                    minutes <= skeleton.v7_week_floor(week),
                ])
    for race in skeleton.races:
        sharpening = skeleton.v7_sharpening_days(race)  # a quality session may run there, no long run
        for day in skeleton.v7_easy_days(race):  # before A and B races
            if day in skeleton.race_on_day:
                ctx.impossible("V7", ("race", race.name))  # another race in the race's easy days
            else:
                barred = v.long_literals(day) if day in sharpening else v.hard_literals(day)
                for literal in barred:
                    ctx.post(ctx.model.add(literal == 0), "V7", ("race", race.name))


def post_v8(ctx: ModelContext) -> None:
    """V8: after every race, no quality, tempo or long for its recovery days and no strength in
    the first 3 of them; weeks overlapping an A race's recovery hold at most 70 % of that race's
    reference week, or the minimum week where that is more."""
    skeleton, v, params = ctx.skeleton, ctx.variables, ctx.rules.V8
    cap = ratio(params.week_cap_pct)
    for race in skeleton.races:
        group = ("race", race.name)
        window, no_strength = skeleton.recovery(race), skeleton.no_strength_after(race)
        for day in window.days():
            for literal in v.hard_literals(day):
                ctx.post(ctx.model.add(literal == 0), "V8", group)
            if day in no_strength:
                for literal in v.strength_literals(day):
                    ctx.post(ctx.model.add(literal == 0), "V8", group)
        if race.priority != Priority.A:
            continue
        reference = reference_week_minutes(ctx, race)
        for week in skeleton.a_recovery_weeks(race):
            minutes = training_minutes(ctx, week)
            ctx.post_any_of("V8", ("week", week), f"V8_{race.name}_w{week}", [
                cap.denominator * minutes <= cap.numerator * reference, minutes <= skeleton.minimum_week,
            ])


def post_v9(ctx: ModelContext) -> None:
    """V9: a week's training minutes never exceed ``peak_weekly_minutes``."""
    peak = ctx.skeleton.athlete.volume.peak_weekly_minutes
    for week in range(ctx.skeleton.n_weeks):
        ctx.post(ctx.model.add(training_minutes(ctx, week) <= peak), "V9", ("week", week))

