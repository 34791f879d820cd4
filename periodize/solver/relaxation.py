"""The volume relaxation: week volumes alone, for an incumbent and an exact bound on O1 + O2.

Why: on one worker CP-SAT spends nearly all its time finding, one small step at a time, weekly
volumes that track the phase curve (O1) under the V1/V2/V3 chain. The week-level rules alone are
a small model that CP-SAT solves to optimality in well under a second, and its answer is useful
twice: its weekly minutes seed an incumbent (``hint``), and its proven bound is a lower bound on
O1 in the full model, posted there as a cut that loses nothing.

It is a relaxation because every constraint in it is implied by the full model: it posts the
very same rule functions (V1, V2, V3, V7, V8, V9 and the minimum-week cut) over the same
week-level variables (``create_week_variables``: the day literals V7 and V8 read, unlinked from
the weekly minutes), with the day-level rules left out, plus one capacity cap per week that P5, P6, P12
and P14 imply (the running days the week can hold, each at most its available minutes and the
longest session P14 and V4 allow), and one time cap: runs plus the fewest strength minutes P10
requires fit the week's available minutes (P12). O1 is the same expression of training minutes and deloads;
O2 counts each week's strength at the fewest minutes P10 lets the week hold
(``Skeleton.minimum_strength_minutes``), which is never more than a plan's. So min (O1 + O2)
here <= O1 + O2 of every plan the full model allows.

With week profiles, it is first solved without V2 by dynamic programming (``volume_dp``), and
where the relaxation keeps that answer's weekly minutes at its cost, CP-SAT is not asked.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypedDict

from ortools.sat.python import cp_model

from periodize.season import Skeleton, roomiest_runs
from periodize.solver.context import ModelContext, ratio
from periodize.solver.cpsat import IntExpr, new_solver
from periodize.solver.model import bound_objective, fix_variables, post_implied_cuts
from periodize.solver.rules import HARD_RULES, VOLUME_CODES
from periodize.solver.rules.objectives import objective_o1, objective_o2
from periodize.solver.rules.placement import post_p3_week_level, post_p14_week_level
from periodize.solver.rules.volume import post_v4_by_days
from periodize.solver.variables import create_week_variables, units_ceil, units_floor
from periodize.solver.volume_dp import (
    ChainOptimum,
    PricedChain,
    price_v2,
    solve_chain,
    weeks_breaking_v2,
)
from periodize.solver.weeks import PairGain, WeekProfile

#: The rules the capacity cap follows from; without any of them it is not implied.
CAPACITY_CODES = ("P5", "P6", "P12", "P14", "V4")
#: Runs and strength share a week's available minutes: P12, with P10's sessions.
SHARED_TIME_CODES = ("P10", "P12")


@dataclass(frozen=True)
class VolumeRelaxation:
    status: cp_model.CpSolverStatus
    #: Training units per week of the relaxation's best solution (None without one).
    training: tuple[int, ...] | None
    #: A proven lower bound on O1 + O2 (weighted) over every plan the full model allows.
    bound: int
    #: Deterministic work spent solving it.
    deterministic_time: float = 0.0


def week_capacity_units(skeleton: Skeleton, week: int) -> int:
    """Most training units a week can hold: at most ``runs_per_week.max`` running days (P6, a
    race day counts as one) and at least ``P5`` rest days among the non-race days, each run at
    most its day's available minutes (P12) and the longest session P14 allows beside a long
    run; where P3 is posted (at most one long run a week), one of them may be the long run,
    at most V4's cap and what V5 lets it grow to since the plan began
    (``longest_long_run_units``); without P3, every run up to that.

    Why the long run apart: the week relaxations see each week alone, where its long run may
    take V4's cap, and so did this cap. A runner whose long run starts short and whose other
    runs are held at P14's cap then got weekly minutes from the relaxation that no plan
    holds, by more than the widened first plan reaches (``restrictions.WIDENED_UNITS``): an
    advanced 61-year-old with 4 runs a week, a 90-minute long run and 540 current minutes
    (generated, 2026-11-29) got 450 in its second and fourth weeks, where at most 390 and 420
    fit, and the solve ended with no plan at --time-limit 60 (exit 4)."""
    return min(_capacities(skeleton, week))


def long_run_share_caps(skeleton: Skeleton, week: int) -> bool:
    """Whether V4's share of the week holds a week's capacity below what its runs' own lengths
    allow (``week_capacity_units``): what the volume notes then name."""
    runs_alone, with_share = _capacities(skeleton, week)
    return with_share < runs_alone


def _capacities(skeleton: Skeleton, week: int) -> tuple[int, int]:
    """A week's most training units by its runs' lengths alone, and with V4's share of the
    week for its long run too (the first where V4 or P3 is not posted)."""
    beside = longest_beside_long_units(skeleton)
    longest = longest_long_run_units(skeleton, week)
    one_long = "P3" in HARD_RULES
    days = _day_capacities(skeleton, week, beside if one_long else max(beside, longest))
    runs = _runs_counted(skeleton, week, days)
    if not one_long:
        most = sum(days[:max(runs, 0)])
        return most, most
    most = roomiest_runs(days, _day_capacities(skeleton, week, longest), beside=beside, runs=runs)
    if "V4" not in HARD_RULES:
        return most, most
    return most, min(most, _most_with_long_run_share(skeleton, week, runs))


def _most_with_long_run_share(skeleton: Skeleton, week: int, runs: int) -> int:
    """Most training units of a week whose long run keeps V4's share of them (P3: at most one,
    the longest non-race run; exactly one where ``long_run_required``).

    Why: the long run's share caps the week where its other runs are few or short. One run a
    week is the long run of a normal week, and V4 (50 %, never below the shortest long run)
    holds it to 60 minutes, where the runs' own caps (``roomiest_runs``) allowed 90; two runs
    of at most 90 hold at most 180 (the long run at most half the week), where 90 + 180 were
    allowed. The volume notes said "at most 90" of a week no plan takes above 60."""
    rules = skeleton.rules
    non_race = [d for d in skeleton.week_days(week) if d not in skeleton.race_on_day]
    free = tuple(units_floor(max(skeleton.available[d], 0)) for d in non_race)
    shares = tuple((share.numerator, share.denominator) for share in (ratio(rules.V4.share_pct(days)) for days in range(8)))
    return _most_units(free, longest_beside_long_units(skeleton), longest_long_run_units(skeleton, week), runs,
                       len(skeleton.race_days_in_week(week)), shares, units_ceil(rules.P14.long_min),
                       units_floor(rules.P14.long_min), skeleton.long_run_required(week))


@functools.lru_cache(maxsize=1024)
def _most_units(free: tuple[int, ...], beside: int, longest: int, runs: int, races: int,
                shares: tuple[tuple[int, int], ...], shortest_long: int, long_floor: int, needs_long: bool) -> int:
    """``_most_with_long_run_share`` over plain numbers (cached: most weeks of a season repeat
    one another's days): ``free`` the non-race days' units, ``runs`` the most runs among them,
    ``shares`` V4's share as (numerator, denominator) by running days (races count), a long
    run of ``shortest_long`` to ``longest`` units, kept within its share unless at most
    ``long_floor``. Every count of runs and every day for the long run is tried, and on each
    the longest long run its share allows; the others take the roomiest days, each at most
    ``beside`` and the long run (P3)."""
    caps = [min(units, beside) for units in free]
    without_long = sum(sorted(caps, reverse=True)[:max(runs, 0)])
    best = 0 if needs_long else without_long
    for count in range(1, runs + 1):
        numerator, denominator = shares[min(count + races, len(shares) - 1)]
        for day, units in enumerate(free):
            others = sorted((cap for other, cap in enumerate(caps) if other != day and cap > 0), reverse=True)[:count - 1]
            if len(others) < count - 1:
                continue  # fewer days to run on: another count, whose share it is
            for long_run in range(min(units, longest), shortest_long - 1, -1):
                beside_long = sum(min(cap, long_run) for cap in others)
                if long_run <= long_floor or denominator * long_run <= numerator * (long_run + beside_long):
                    best = max(best, long_run + beside_long)
                    break  # a shorter long run holds less
    return best or without_long  # no day for the long run: the week's runs alone, as before


def _runs_counted(skeleton: Skeleton, week: int, days: Sequence[int]) -> int:
    """The runs ``week_capacity_units`` counts among the non-race ``days``: P6's most less the
    week's races, with P5's rest days left."""
    return min(skeleton.athlete.runs_per_week.max - len(skeleton.race_days_in_week(week)),
               len(days) - skeleton.rules.P5.min_rest_days)


def runs_with_room(skeleton: Skeleton, week: int) -> int:
    """How many runs the week's most training minutes (``week_capacity_units``) are made of:
    the runs it counts, less those with no minutes to run in (days of 0 minutes). What the
    volume notes name as the week's runs: "runs_per_week.max 2 runs" had been said of a
    runner whose only day with minutes was Sunday."""
    days = _day_capacities(skeleton, week, longest_beside_long_units(skeleton))
    return max(0, min(_runs_counted(skeleton, week, days), sum(1 for units in days if units > 0)))


def longest_long_run_units(skeleton: Skeleton, week: int) -> int:
    """The longest long run week ``week`` can hold, in units: V4's cap and, where V5 is
    posted, V5's growth over ``current_long_run_minutes`` (else the shortest long run) once a
    week since the plan began, never capped below the shortest long run (as ``post_v5``
    reads it: every reference is a long run of an earlier week, each at most this)."""
    rules = skeleton.rules
    cap = units_floor(rules.V4.max_minutes)
    if "V5" not in HARD_RULES:
        return cap
    before = skeleton.athlete.volume.current_long_run_minutes
    longest = before if before is not None else rules.P14.long_min
    for _ in range(week + 1):
        longest = max(longest + rules.V5.max_increase_minutes, rules.P14.long_min)
    return min(cap, units_floor(longest))


def longest_beside_long_units(skeleton: Skeleton) -> int:
    """The longest run other than a long run, in units (``Skeleton.longest_run_beside_long``)."""
    return units_floor(skeleton.longest_run_beside_long)


def _day_capacities(skeleton: Skeleton, week: int, longest: int) -> list[int]:
    """Each non-race day's most run units (its available minutes, P12, and ``longest``),
    largest first."""
    return sorted((min(units_floor(max(skeleton.available[d], 0)), longest)
                   for d in skeleton.week_days(week) if d not in skeleton.race_on_day), reverse=True)


def _running_days(ctx: ModelContext) -> list[cp_model.IntVar]:
    """A running-days variable per week, for V4's share (``post_v4_by_days``): within P6's
    range, and with that many days the runs beside the long run fit: training less long-run
    units at most the largest non-long sessions (P14) the other days hold (P12), one day
    going to the long run where the week has one and one to each race (P3, P6's count)."""
    skeleton, model, v = ctx.skeleton, ctx.model, ctx.variables
    days: list[cp_model.IntVar] = []
    for week in range(skeleton.n_weeks):
        lowest, highest = skeleton.min_running_days(week), skeleton.athlete.runs_per_week.max
        count = model.new_int_var(lowest, highest, f"w{week}_running_days")
        capacities = _day_capacities(skeleton, week, longest_beside_long_units(skeleton))
        races = len(skeleton.race_days_in_week(week))
        beside = v.training[week] - v.long_run[week]
        literals = []
        for number in range(lowest, highest + 1):
            literal = model.new_bool_var(f"w{week}_runs_{number}")
            literals.append(literal)
            for has_long, others in ((v.has_long[week], number - races - 1), (~v.has_long[week], number - races)):
                room = sum(capacities[:others]) if others >= 0 else -1
                model.add(beside <= room).only_enforce_if([literal, has_long])
        model.add_exactly_one(literals)
        model.add(count == sum(number * literal for number, literal in zip(range(lowest, highest + 1), literals)))
        days.append(count)
    return days


def week_time_minutes(skeleton: Skeleton, week: int) -> int:
    """Minutes a week's runs and strength sessions share: its non-race days' available minutes
    (P12 caps each day's run plus strength; race days are exempt and hold no strength)."""
    return sum(max(skeleton.available[d], 0) for d in skeleton.week_days(week) if d not in skeleton.race_on_day)


#: The objective terms this relaxation bounds; the week relaxations (``weeks``) bound the rest.
VOLUME_OBJECTIVES = ("O1", "O2")


def week_profile_penalty(
    ctx: ModelContext, profiles: Sequence[WeekProfile], pairs: Sequence[PairGain] = (),
    beside_long: Sequence[WeekProfile] | None = None,
) -> tuple[list[IntExpr], IntExpr]:
    """Each week's training units within what the week alone allows, and the least penalty the
    week alone pays at those units (``weeks.WeekProfile``): its minimum inside the best range,
    and outside it each step of its staircase, one literal per step ("the units reach this
    step"), each adding what its step costs over the one before. ``pairs`` (weeks sharing none,
    see ``weeks.summable``) add what two neighbours pay together while both lie in their best
    ranges, or forbid that both do, and a pair with its own profiles at least what they promise
    (``_pair_charge``). With ``beside_long`` (each week's profile against its
    training units less its long run's, ``WeekRelaxations.beside_long_profiles``), a week's
    charge is the larger of its two profiles' (each is a lower bound on the week's penalty, so
    their maximum is too; not their sum). Returns each week's charge and the pairs' total."""
    model, training = ctx.model, ctx.variables.training
    charges: list[IntExpr] = []
    outside: list[list[cp_model.IntVar]] = []  # per week: literals true when T leaves its best range
    for week, profile in enumerate(profiles):
        charge, leaving = _staircase_charge(model, f"w{week}", training[week], profile)
        outside.append(leaving)
        if beside_long is not None:
            other, _ = _staircase_charge(model, f"w{week}_beside_long", training[week] - ctx.variables.long_run[week],
                                         beside_long[week])
            values = [*_levels(profile), *_levels(beside_long[week])]
            larger = model.new_int_var(min(values), max(values), f"w{week}_charge")
            model.add(larger >= charge)
            model.add(larger >= other)
            charge = larger
        charges.append(charge)
    gains: list[IntExpr] = []
    for pair in pairs:
        leaving = [*outside[pair.week], *outside[pair.week + 1]]
        if pair.gain is None:  # not both inside
            model.add_bool_or(leaving)
            continue
        paid = model.new_bool_var(f"w{pair.week}_pair_gain")
        model.add_bool_or([paid, *leaving])
        if not pair.profiles:
            gains.append(pair.gain * paid)
            continue
        gains.append(_pair_charge(model, pair, [training[pair.week], training[pair.week + 1]],
                                  charges[pair.week] + charges[pair.week + 1],
                                  profiles[pair.week].minimum + profiles[pair.week + 1].minimum, paid))
    return charges, sum(gains)


def _pair_charge(
    model: cp_model.CpModel, pair: PairGain, units: Sequence[IntExpr], both: IntExpr,
    least_both: int, paid: cp_model.IntVar,
) -> cp_model.IntVar:
    """What a pair with profiles (``PairGain.profiles``) pays beyond ``both`` (its two weeks'
    charges, at least ``least_both``): at least its gain where ``paid`` (both inside their
    best ranges), and at least what each of its profiles promises at its week's ``units``
    less ``both``. Each profile is a lower bound on the pair's penalty whatever the other
    week's units, so the larger of them and ``both`` is too (``volume_dp._pair_extra``
    charges the same in the chain)."""
    values = [value for profile in pair.profiles for value in _levels(profile)]
    extra = model.new_int_var(0, max(pair.weight, max(values) - least_both), f"w{pair.week}_pair_extra")
    if pair.gain:
        model.add(extra >= pair.gain).only_enforce_if(paid)
    for week, (profile, week_units) in enumerate(zip(pair.profiles, units, strict=True)):
        together, _ = _staircase_charge(model, f"w{pair.week}_pair_{week}", week_units, profile)
        model.add(extra >= together - both)
    return extra


def _levels(profile: WeekProfile) -> list[int]:
    """Every penalty ``profile`` charges somewhere: its minimum and each step's least (the
    bounds of a variable that holds one of its charges)."""
    return [profile.minimum, *(least for _, least in (*profile.below, *profile.above))]


def _staircase_charge(
    model: cp_model.CpModel, name: str, units: IntExpr, profile: WeekProfile,
) -> tuple[IntExpr, list[cp_model.IntVar]]:
    """``units`` within the profile's feasible range, and the least penalty the profile
    promises there: its minimum plus, per step, one literal ("``units`` reach this step")
    adding what the step costs over the one before. Also returns the literals of the first
    step on each side, true when ``units`` leave the best range."""
    model.add(units >= profile.feasible[0])
    model.add(units <= profile.feasible[1])
    charge: IntExpr = profile.minimum
    leaving: list[cp_model.IntVar] = []
    for side, steps in (("below", profile.below), ("above", profile.above)):
        paid, reached = profile.minimum, None
        for number, (start, least) in enumerate(steps):
            literal = model.new_bool_var(f"{name}_{side}_best_range_{number}")
            if side == "below":
                model.add(units <= start).only_enforce_if(literal)
                model.add(units >= start + 1).only_enforce_if(~literal)
            else:
                model.add(units >= start).only_enforce_if(literal)
                model.add(units <= start - 1).only_enforce_if(~literal)
            if reached is None:
                leaving.append(literal)
            else:
                model.add_implication(literal, reached)  # implied; a tighter linear relaxation
            charge += (least - paid) * literal
            paid, reached = least, literal
    return charge, leaving


def solve_volume_relaxation(
    skeleton: Skeleton, *, deterministic_limit: float, seed: int = 0, profiles: Sequence[WeekProfile] | None = None,
    pairs: Sequence[PairGain] = (), hint: Sequence[int] | None = None,
    beside_long: Sequence[WeekProfile] | None = None, fixed: Sequence[int] | None = None,
) -> VolumeRelaxation:
    """Solve the volume relaxation with one worker within ``deterministic_limit``. With the
    week relaxations' ``profiles``, it also bounds their penalty (less their season-wide part)
    jointly with O1 + O2: tighter than adding the week minima, which ignore the volumes.
    ``pairs``: gains measured against these ``profiles`` (``weeks.PairGain``); ``hint`` is a
    starting volume per week. ``beside_long``: the profiles against the units beside the
    long run (``week_profile_penalty``), with V5's long-run growth and V4's share by running
    days over each week's long run; not with ``pairs``, whose gains are measured against
    ``profiles`` alone (a pair that pays its gain in a short long run would be charged twice).
    ``fixed``: every week's training units fixed to these (the least this relaxation costs
    there)."""
    if beside_long is not None and pairs:
        raise ValueError("pair gains are measured against the training profiles alone")
    model = cp_model.CpModel()
    ctx = ModelContext(model=model, skeleton=skeleton, variables=create_week_variables(model, skeleton))
    # Only rules the full model posts: ``HARD_RULES`` is read at call time, so a rule left out
    # of the full model (tests drop them to see them bind) is left out here too.
    for code in VOLUME_CODES:
        if code in HARD_RULES:
            HARD_RULES[code](ctx)
    post_implied_cuts(ctx)
    if beside_long is not None:
        # The long runs the profiles beside them read: V5 over them, what P3 and P14 say of a
        # week's long run (a normal week has one; none, no minutes), and V4 over running days.
        if "V5" in HARD_RULES:
            HARD_RULES["V5"](ctx)
        if "P3" in HARD_RULES:
            post_p3_week_level(ctx)
        if "P14" in HARD_RULES:
            post_p14_week_level(ctx)
        if all(code in HARD_RULES for code in CAPACITY_CODES):
            days = _running_days(ctx)
            post_v4_by_days(ctx, days.__getitem__)
    if all(code in HARD_RULES for code in CAPACITY_CODES):
        for week in range(skeleton.n_weeks):
            model.add(ctx.variables.training[week] <= week_capacity_units(skeleton, week))
    if all(code in HARD_RULES for code in SHARED_TIME_CODES):
        for week in range(skeleton.n_weeks):
            strength = skeleton.minimum_strength_minutes(week)
            model.add(5 * ctx.variables.training[week] + strength <= week_time_minutes(skeleton, week))
    objective = objective_o1(ctx) + objective_o2(ctx, skeleton.minimum_strength_minutes)
    if profiles is not None:
        charges, gains = week_profile_penalty(ctx, profiles, pairs, beside_long)
        objective += sum(charges) + gains
    for variable, units in zip(ctx.variables.training, hint or (), strict=False):
        model.add_hint(variable, units)
    fix_variables(model, ((variable.index, units) for variable, units in zip(ctx.variables.training, fixed or (),
                                                                               strict=False)))
    if isinstance(objective, int):  # nothing left to bound
        return VolumeRelaxation(cp_model.UNKNOWN, None, objective)
    model.minimize(objective)
    floor, spent, phases = None, 0.0, PHASES
    if profiles is not None and beside_long is None and fixed is None:
        chain = _chain_optimum(skeleton, profiles, pairs)
        if chain is not None:
            kept, spent = _keeps(model, ctx.variables.training, chain.training, chain.value,
                                 deterministic_limit, seed)
            if kept:
                return VolumeRelaxation(cp_model.OPTIMAL, chain.training, chain.value, spent)
            # V2 (or the V7/V8 of a race the chain leaves out) cuts its minutes off: its value
            # still bounds the relaxation, and raises CP-SAT's bound afterwards. Not posted as
            # the objective's domain: that moved CP-SAT's search (100 batch athletes at
            # --time-limit 3: 7 plans worse).
            floor = chain.value
            if weeks_breaking_v2(skeleton, chain.training) >= V2_RESHAPED_WEEKS:
                phases = V2_RESHAPED_PHASES
            priced = _priced_chain(skeleton, profiles, pairs)
            if priced is not None:
                floor = max(floor, priced.bound)
                keeping = priced.keeping
                # At the bound, the optimum if the relaxation keeps it (the chain's own path
                # was just refused: where a race the chain leaves out cut it off, not V2).
                if keeping is not None and keeping.value <= floor and keeping.training != chain.training:
                    kept, used = _keeps(model, ctx.variables.training, keeping.training, keeping.value,
                                        deterministic_limit - spent, seed)
                    spent += used
                    if kept:
                        return VolumeRelaxation(cp_model.OPTIMAL, keeping.training, keeping.value, spent)
                elif keeping is not None and keeping.value > floor and hint is None:
                    # A path that keeps V2, above the bound: CP-SAT's search starts from it.
                    # Measured (what-if benchmark, w26-r1's A race a week earlier): the path
                    # costs -586, the relaxation's optimum; CP-SAT proved it in 0.052 units
                    # instead of 0.093 (0.28-0.31 s of wall time instead of 0.41-0.56 s), and
                    # the whole solve took 0.84 s instead of 1.11, with the same optimum. 2 of
                    # 40 batch athletes at --time-limit 3 come here (same objectives and
                    # bounds, one 0.36 s faster), none of the 24 benchmark seasons.
                    for variable, units in zip(ctx.variables.training, keeping.training, strict=True):
                        model.add_hint(variable, units)
    relaxation = _solve_in_phases(model, ctx.variables.training, deterministic_limit - spent, seed, phases)
    bound = relaxation.bound if floor is None or relaxation.training is None else max(relaxation.bound, floor)
    return replace(relaxation, bound=bound, deterministic_time=relaxation.deterministic_time + spent)


def _chain_optimum(skeleton: Skeleton, profiles: Sequence[WeekProfile],
                   pairs: Sequence[PairGain] = ()) -> ChainOptimum | None:
    """The relaxation's chain of weeks without V2, solved exactly (``volume_dp``),
    with the same capacity and time caps as the relaxation posts (None where it posts none)
    and the same ``pairs``."""
    return solve_chain(skeleton, profiles, pairs=pairs, **chain_caps(skeleton))


def _priced_chain(skeleton: Skeleton, profiles: Sequence[WeekProfile],
                  pairs: Sequence[PairGain] = ()) -> PricedChain | None:
    """The chain with V2 priced in (``volume_dp.price_v2``), with the same caps and pairs."""
    return price_v2(skeleton, profiles, pairs=pairs, **chain_caps(skeleton))


class ChainCaps(TypedDict):
    """``chain_caps``: the keyword arguments of ``volume_dp.build_chain`` (and ``solve_chain``)
    for a week's caps."""

    capacities: list[int | None]
    time_caps: list[int | None]


def chain_caps(skeleton: Skeleton) -> ChainCaps:
    """Each week's capacity and time caps in units, as the relaxation posts them (None where
    it posts none)."""
    weeks = range(skeleton.n_weeks)
    capacities = [week_capacity_units(skeleton, week) if all(code in HARD_RULES for code in CAPACITY_CODES) else None
                  for week in weeks]
    time_caps = [(week_time_minutes(skeleton, week) - skeleton.minimum_strength_minutes(week)) // 5
                 if all(code in HARD_RULES for code in SHARED_TIME_CODES) else None for week in weeks]
    return {"capacities": capacities, "time_caps": time_caps}


def most_training_units(skeleton: Skeleton, caps: ChainCaps | None = None) -> list[int | None]:
    """Each week's most training units in any plan: the smaller of its caps (``chain_caps``,
    or ``caps`` where the caller has them), None where the model posts neither."""
    caps = chain_caps(skeleton) if caps is None else caps
    return [min((cap for cap in week if cap is not None), default=None)
            for week in zip(caps["capacities"], caps["time_caps"], strict=True)]


def _keeps(model: cp_model.CpModel, training: list[cp_model.IntVar], units: Sequence[int], optimum: int,
           limit: float, seed: int) -> tuple[bool, float]:
    """Whether ``model`` (the whole relaxation) has a solution with every week at ``units``
    costing no more than ``optimum``, the optimum of a relaxation of it (the chain without V2,
    or with V2 priced in): then that is its optimum too. Returns the answer and the
    deterministic work spent."""
    check = model.clone()
    fix_variables(check, ((variable.index, value) for variable, value in zip(training, units, strict=True)))
    bound_objective(check, at_most=optimum)
    checker = _phase_solver(CHECK_PHASE, limit, seed)
    checker.parameters.stop_after_first_solution = True
    kept = checker.solve(check) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return kept, checker.deterministic_time


#: CP-SAT's presolve rounds (default 3) where presolve runs: one round, measured on 13 of the
#: benchmark seasons (median of 3), was faster or equal on each, with the same status and bound
#: (w26-r1 0.23 -> 0.17 s, w26-r3 0.68 -> 0.46 s, w52-r5 0.98 -> 0.63 s).
PRESOLVE_ITERATIONS = 1


@dataclass(frozen=True)
class Phase:
    """One solve of the relaxation: its cap in deterministic seconds (None: what is left),
    whether its best solution counts as the relaxation's answer (else only where it proves the
    optimum), and CP-SAT's parameters."""

    cap: float | None
    counted: bool
    parameters: dict[str, int | bool]
    #: At most this share of the phases' whole limit (None: no share of its own).
    share: float | None = None


#: The phases, in order: presolve off for a glimpse, then CP-SAT's full linear relaxation
#: (level 2), then CP-SAT's default level.
#:
#: - Without presolve some seasons are proved at once (w52-r0 in 0.02 s, w52-r3 0.04 s,
#:   w12-r1 0.04 s), where presolve alone takes most of a second: V1's and V2's fractional caps
#:   (10 T <= 11 T', 40 T <= 13 (T1 + ... + T4)) over weekly domains of some 50 values make it
#:   multiply and add domains with dozens of holes. Elsewhere the glimpse costs about 0.03 s and
#:   its answer is dropped, so the phase after it runs exactly as without it.
#: - Level 2 only, no longer CP-SAT's default search first (capped at 0.3 units, and before it
#:   the relaxation without V2): since the chain (``volume_dp``) answers the relaxation
#:   wherever its minutes keep V2, CP-SAT is left with the hard ones, where V2 cuts the chain
#:   off or the long runs are in. Measured by replaying the 25 relaxations CP-SAT solved in 9
#:   seasons at --time-limit 15 (w52-r1, w52-r2, w52-r5, w26-r0, w26-r3, w26-r5, generated
#:   52-week seeds 1, 5, 6): every status and bound the same, 18.2 s of wall time against 24.5
#:   for the same deterministic work (w52-r1 2.1 s against 4.3, w52-r2 2.3 against 3.7,
#:   seed 6's long runs 2.2 against 4.3; but seed 5's three 2.0-2.8 s against 1.5-2.2). The
#:   default search spent its 0.3 units there for nothing, and presolve, about half of the
#:   wall time of each solve here, counts little in deterministic work. On the 34 relaxations
#:   of 40 batch athletes at --time-limit 3: 5.0 s against 5.5, one bound not proven within
#:   its 0.013 units (3,287 against 3,299). Whole runs: see docs/speed-log.md.
#: - Then CP-SAT's default level, where level 2 has not proven the optimum within
#:   ``LEVEL_2_SHARE`` of the limit. Why: a tighter V2 (``max_ratio: 1.1``, a coach's setting
#:   found by the third athlete hunt, 2026-11-29) is where level 2 is slow and the default level
#:   fast: a 26-week season's relaxation proven in 0.63 units at the default level against 1.62
#:   at level 2, a 52-week one's in 5.19 against none within 15; on w52-r1's and w52-r2's it is
#:   the other way round (0.39 and 0.54 units at level 2, 2.27 and 5.52 at the default level),
#:   so level 2 keeps the first half. The 26-week season is proven at --time-limit 15 (582; it
#:   ended at 592 against a bound of 352), the hunt's 52-week a-028 ends within 1.5 % at
#:   --time-limit 60 (1,026 / 1,011; 37.5 % before). The 24 benchmark seasons, the 10 of the
#:   52-week target family and 100 batch athletes at --time-limit 3 never reach the third phase:
#:   every status, objective and bound unchanged. Not enough for every such season: the hunt's
#:   52-week beginner (V2 1.1, no strength) needs 5.19 units at the default level, and had 3 at
#:   --time-limit 60 (774 / 253); such seasons now skip level 2 (``V2_RESHAPED_PHASES``).
LEVEL_2_SHARE = 0.5
GLIMPSE = Phase(0.005, False, {"cp_model_presolve": False})
DEFAULT_LEVEL = Phase(None, True, {"max_presolve_iterations": PRESOLVE_ITERATIONS})
PHASES: tuple[Phase, ...] = (
    GLIMPSE,
    Phase(None, True, {"max_presolve_iterations": PRESOLVE_ITERATIONS, "linearization_level": 2}, LEVEL_2_SHARE),
    DEFAULT_LEVEL,
)
#: Where V2 reshapes the season's curve (the chain's path, which leaves V2 out, breaks it in at
#: least ``V2_RESHAPED_WEEKS`` weeks), the default level alone, with the whole limit. Why: level
#: 2 is what is slow there, and its half of the limit was what the default level lacked. The
#: relaxations with V2 at 1.1 (a coach's setting): the default level proves them in 0.62-5.19
#: units, level 2 one of four within 8 (1.61 units, the 26-week season); the hunt's 52-week
#: beginner, 5.19 units, had 3 at --time-limit 60 (774 / 253) and 30 spent in vain by level 2 at
#: --time-limit 600 before the default level proved 753 optimal. The chain's path breaks V2 in
#: 10-21 weeks there, and in 0-5 in each of 265 other seasons counted (the benchmarks, the
#: examples, 100 batch athletes and 133 of the third hunt's), where level 2 stays first: on
#: w52-r1 and w52-r2 it takes 0.38 and 0.53 units, the default level 2.26 and 5.51.
V2_RESHAPED_WEEKS = 8
V2_RESHAPED_PHASES: tuple[Phase, ...] = (GLIMPSE, DEFAULT_LEVEL)
FIRST_PHASE_SHARE = 0.75
#: The check that a chain's minutes are the whole relaxation's optimum (``_keeps``): CP-SAT's
#: default search to its first solution, with every volume fixed (no linear relaxation to
#: build: the check is feasibility, not a bound).
CHECK_PHASE = DEFAULT_LEVEL


def _phase_solver(phase: Phase, limit: float, seed: int) -> cp_model.CpSolver:
    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(limit, 1e-3)
    for name, value in phase.parameters.items():
        setattr(solver.parameters, name, value)
    return solver


def _solve_in_phases(
    model: cp_model.CpModel, training: list[cp_model.IntVar], limit: float, seed: int,
    phases: tuple[Phase, ...] = PHASES,
) -> VolumeRelaxation:
    """Solve in ``phases`` until one proves the optimum or the limit is spent. The bound is
    the best of the phases' bounds, each proven; the solution the best found."""
    spent, bound = 0.0, -math.inf
    best: tuple[int, tuple[int, ...]] | None = None
    code = cp_model.UNKNOWN
    for phase in phases:
        cap = phase.cap
        room = limit - spent if cap is None else min(cap, FIRST_PHASE_SHARE * limit, limit - spent)
        if phase.share is not None:
            room = min(room, phase.share * limit)
        solver = _phase_solver(phase, room, seed)
        code = solver.solve(model)
        spent += solver.deterministic_time
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # The objective is integer, so its bound rounds up; a tiny epsilon absorbs float noise.
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
            objective = round(solver.objective_value)
            # A glimpse's solution counts only when it proves the optimum.
            if (phase.counted or code == cp_model.OPTIMAL) and (best is None or objective < best[0]):
                best = (objective, tuple(int(solver.value(t)) for t in training))
        if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or spent >= limit:
            break
    if best is None:
        return VolumeRelaxation(code, None, 0, spent)
    # The status of the best solution, whichever phase found it (a later one may end empty);
    # the bound is an int by now (``math.ceil`` of the phase that found it), no longer -inf.
    return VolumeRelaxation(cp_model.OPTIMAL if bound >= best[0] else cp_model.FEASIBLE, best[1], int(bound),
                            spent)
