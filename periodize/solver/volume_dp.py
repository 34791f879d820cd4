"""The volume relaxation without its rules over more than two weeks, solved exactly by dynamic
programming: a lower bound on it in milliseconds, and usually its optimum.

Why: the volume relaxation (``relaxation``) is a chain of weekly minutes, each week's cost a
function of its own minutes (O1, O2, its week profile), linked by V1 (the two weeks before)
and V3 (loading weeks in a row, a deload at 60-80 % of the week before). CP-SAT's linear
relaxation of that chain is weak around deloads (a fractional deload lowers O1's target at
no cost), so where the season has no race to shape the curve it can find the optimum but
rarely proves it: 21 of the 25 raceless athletes of the batch benchmark at --time-limit 3
spent their whole share (0.3 units, about 1.5 s) without a proof, and w26-r0 needs 9.5 units
(15 s) to prove 1,087. Over the states these rules read, (the week before's minutes, the
larger of the two weeks before, the loading weeks in a row), the chain is a shortest path.

What it keeps of the relaxation: each week's units within its profile's feasible range, the
capacity and time caps, V9 and the minimum week of a normal week; V1; V3; O1 (with a deload
week's lowered target) and O2; each week's profile. What it leaves out: V2 (four weeks
back), and V7 and V8 (an A race's reference week, three weeks back). Leaving rules out only
enlarges the feasible set, so its optimum is a lower bound on the relaxation's, and where its
weekly minutes keep V2, V7 and V8 too (``relaxation`` checks, on its own model with every
week's minutes fixed), they are the relaxation's optimum.

The rules here are restated as arithmetic over numbers, not posted: the functions that post
them are named beside each, and the tests compare this optimum with CP-SAT's on the same
relaxation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from periodize.season import Skeleton
from periodize.solver.context import ratio
from periodize.solver.rules import HARD_RULES
from periodize.solver.rules.objectives import deload_target
from periodize.solver.weeks import WeekProfile

#: A cost no path takes: larger than any season's objective, small enough to add to itself.
UNREACHABLE = np.int64(1) << 50


@dataclass(frozen=True)
class ChainOptimum:
    """The least O1 + O2 + week profiles over the chain, and the weekly units reaching it."""

    value: int
    training: tuple[int, ...]


@dataclass(frozen=True)
class _Week:
    """One week's part of the chain: its units, the cost of each (by deload or not), and the
    rules' numbers for it."""

    units: np.ndarray  # the week's possible training units, rising
    cost: np.ndarray  # [deload, unit]: O1 + O2 + profile; UNREACHABLE where not allowed
    normal: bool
    v1_floor: int | None  # V1's "never below the minimum week" where no normal week is behind


def _week_domain(skeleton: Skeleton, week: int, profile: WeekProfile, capacity: int | None,
                 time_cap: int | None) -> range:
    """The week's training units the relaxation allows on its own: its profile's feasible
    range, the capacity and time caps (``relaxation.solve_volume_relaxation``), V9
    (``volume.post_v9``) and, in a normal week, the minimum week (``model.post_implied_cuts``)."""
    lowest, highest = profile.feasible
    if skeleton.normal_weeks[week]:
        lowest = max(lowest, math.ceil(skeleton.minimum_week / 5))
    caps = [highest]
    if "V9" in HARD_RULES:
        caps.append(skeleton.athlete.volume.peak_weekly_minutes // 5)
    caps.extend(cap for cap in (capacity, time_cap) if cap is not None)
    return range(lowest, min(caps) + 1)


def _week_costs(skeleton: Skeleton, week: int, units: np.ndarray, profile: WeekProfile) -> np.ndarray:
    """O1 (``objectives.objective_o1``: per minute off the phase target, lowered in a deload
    week), O2 (``objectives.objective_o2`` at the fewest strength minutes P10 allows, as the
    relaxation counts it) and the week's profile, for each of ``units``, without and with a
    deload."""
    rules = skeleton.rules
    minutes = 5 * units
    target = skeleton.phase_targets[week]
    targets = [target, deload_target(rules, target)] if skeleton.normal_weeks[week] else [target]
    weight = rules.O1.active_weight
    placement = np.array([profile.at(int(unit)) for unit in units], dtype=np.int64)
    budget = skeleton.athlete.volume.weekly_time_budget_minutes
    over = 0
    if budget is not None and rules.O2.active_weight:
        over = rules.O2.active_weight * np.maximum(minutes + skeleton.minimum_strength_minutes(week) - budget, 0)
    cost = np.full((2, len(units)), UNREACHABLE, dtype=np.int64)
    for deload, aim in enumerate(targets):
        cost[deload] = weight * np.abs(minutes - aim) + over + placement
    return cost


def _suffix_minimum(costs: np.ndarray) -> np.ndarray:
    """Along axis 1 (the larger of the two weeks before, rising), the least cost at that
    value or above: V1 allows a week's minutes against any reference at least that high."""
    return np.minimum.accumulate(costs[:, ::-1], axis=1)[:, ::-1]


def solve_chain(
    skeleton: Skeleton, profiles: Sequence[WeekProfile], *, capacities: Sequence[int | None],
    time_caps: Sequence[int | None],
) -> ChainOptimum | None:
    """The chain's optimum (None where no weekly minutes satisfy it, so neither does the
    relaxation). ``capacities`` and ``time_caps``: each week's caps in units, None where the
    rules behind a cap are not all posted (the relaxation leaves it out then too)."""
    rules = skeleton.rules
    current = skeleton.athlete.volume.current_weekly_minutes
    weeks: list[_Week] = []
    for week, profile in enumerate(profiles):
        domain = _week_domain(skeleton, week, profile, capacities[week], time_caps[week])
        if not domain:
            return None
        units = np.arange(domain.start, domain.stop, dtype=np.int64)
        behind_normal = any(0 <= w and skeleton.normal_weeks[w] for w in (week - 1, week - 2))
        weeks.append(_Week(units, _week_costs(skeleton, week, units, profile), skeleton.normal_weeks[week],
                           None if behind_normal else skeleton.minimum_week))
    # Every minute value a state can hold: the weeks' minutes and the weeks before the plan.
    grid = np.unique(np.concatenate([5 * week.units for week in weeks] + [np.array([current], dtype=np.int64)]))
    position = {int(value): index for index, value in enumerate(grid)}
    loading = rules.V3.max_loading_weeks if "V3" in HARD_RULES else 0
    streaks = loading + 1  # loading weeks in a row so far: 0 .. max_loading_weeks
    increase = 1 + ratio(rules.V1.max_increase_pct)
    low, high = ratio(rules.V3.deload_min_pct), ratio(rules.V3.deload_max_pct)
    # states[a, m, s]: the least cost so far with the last week at grid[a], the larger of the
    # last two at grid[m], and s loading weeks in a row.
    size = len(grid)
    states = np.full((size, size, streaks), UNREACHABLE, dtype=np.int64)
    states[position[current], position[current], 0] = 0
    history: list[np.ndarray] = []
    for week in weeks:
        minutes = 5 * week.units
        # V1 (``volume.post_v1``): minutes <= the increase over the larger of the two weeks
        # before, or the minimum week where no normal week is behind.
        reach = _suffix_minimum(states)  # [a, m, s]: the least cost with a reference >= grid[m]
        if "V1" in HARD_RULES:
            needed = np.searchsorted(increase.numerator * grid, increase.denominator * minutes, side="left")
            if week.v1_floor is not None:
                needed = np.where(minutes <= week.v1_floor, 0, needed)
        else:
            needed = np.zeros(len(minutes), dtype=np.int64)
        clipped = np.minimum(needed, size - 1)
        allowed = reach[:, clipped, :].transpose(1, 0, 2)  # [t, a, s]
        allowed = np.where((needed < size)[:, None, None], allowed, UNREACHABLE)
        options = []
        for deload in (0, 1) if week.normal else (0,):
            cost = allowed + week.cost[deload][:, None, None]
            if deload and "V3" in HARD_RULES:
                # V3 (``volume.post_v3``): a deload week at low..high of the week before, or at
                # most the minimum week where that is below the range.
                before = grid[None, :]
                within = (low.denominator * minutes[:, None] >= low.numerator * before) & (
                    (high.denominator * minutes[:, None] <= high.numerator * before)
                    | (minutes[:, None] <= skeleton.minimum_week))
                cost = np.where(within[:, :, None], cost, UNREACHABLE)
            following = np.full_like(cost, UNREACHABLE)
            if week.normal and not deload and "V3" in HARD_RULES:
                following[:, :, 1:] = cost[:, :, :-1]  # one more loading week; none past the limit
            else:
                following[:, :, 0] = cost.min(axis=2)  # a deload or a week that is not normal restarts
            options.append(following)
        step = np.minimum.reduce(options) if len(options) > 1 else options[0]  # [t, a, s]
        # The next state: the last week is t; the larger of the last two is max(t, a).
        columns = np.array([position[int(value)] for value in minutes])
        states = np.full((size, size, streaks), UNREACHABLE, dtype=np.int64)
        for row, column in enumerate(columns):
            above = np.arange(size) > column
            states[column, above, :] = step[row, above, :]
            states[column, column, :] = step[row, ~above, :].min(axis=0)
        np.minimum(states, UNREACHABLE, out=states)
        history.append(states)
    value = int(states.min())
    if value >= UNREACHABLE:
        return None
    return ChainOptimum(value, _walk_back(history, grid, weeks, increase, low, high, skeleton, loading))


def _walk_back(history: list[np.ndarray], grid: np.ndarray, weeks: list[_Week], increase: Fraction,
               low: Fraction, high: Fraction, skeleton: Skeleton, loading: int) -> tuple[int, ...]:
    """The weekly units of a least-cost path, from the last week back: at each week, a state
    before it and a choice that reach the state after it at its cost."""
    end = np.unravel_index(int(np.argmin(history[-1])), history[-1].shape)
    a_after, m_after, s_after = (int(index) for index in end)
    chosen: list[int] = []
    for number in range(len(weeks) - 1, 0, -1):
        week = weeks[number]
        target = history[number][a_after, m_after, s_after]
        minutes = int(grid[a_after])
        row = int(np.searchsorted(week.units, minutes // 5))
        chosen.append(minutes // 5)
        before = history[number - 1]
        # The week before: exactly the larger of the two where that is above this week, else
        # any week at most this one.
        if m_after != a_after:
            candidates = np.array([m_after])
        else:
            candidates = np.flatnonzero(grid <= minutes)
        if "V1" in HARD_RULES and not (week.v1_floor is not None and minutes <= week.v1_floor):
            references = increase.denominator * minutes <= increase.numerator * grid  # [m]
        else:
            references = np.ones(len(grid), dtype=bool)
        found = None
        for deload in (0, 1) if week.normal else (0,):
            usable = np.ones(len(candidates), dtype=bool)
            if deload and "V3" in HARD_RULES:
                previous = grid[candidates]
                usable = (low.denominator * minutes >= low.numerator * previous) & (
                    (high.denominator * minutes <= high.numerator * previous) | (minutes <= skeleton.minimum_week))
            if week.normal and not deload and "V3" in HARD_RULES:
                streaks = [s_after - 1] if s_after >= 1 else []
            else:
                streaks = list(range(loading + 1)) if s_after == 0 else []
            for streak in streaks:
                costs = before[candidates, :, streak] + week.cost[deload][row]  # [candidate, m]
                hits = np.argwhere((costs == target) & references[None, :] & usable[:, None])
                if len(hits):
                    found = (int(candidates[hits[0][0]]), int(hits[0][1]), streak)
                    break
            if found:
                break
        if found is None:
            raise AssertionError("the path back must meet a state it came from")
        a_after, m_after, s_after = found
    chosen.append(int(grid[a_after]) // 5)
    return tuple(reversed(chosen))
