"""The volume relaxation without V2, solved exactly by dynamic programming: a lower bound on it
in milliseconds, and usually its optimum.

Why: the volume relaxation (``relaxation``) is a chain of weekly minutes, each week's cost a
function of its own minutes (O1, O2, its week profile), linked by V1 (the two weeks before),
V3 (loading weeks in a row, a deload at 60-80 % of the week before) and, around an A race,
V7 and V8 (taper, race and recovery weeks against the race's reference week). CP-SAT's linear
relaxation of that chain is weak around deloads (a fractional deload lowers O1's target at no
cost), so where the season has no race to shape the curve it finds the optimum but rarely
proves it: 21 of the 25 raceless athletes of the batch benchmark at --time-limit 3 spent their
whole share (0.3 units, about 1.5 s) without a proof, and w26-r0 needs 9.5 units (15 s) to
prove 1,087. On long race seasons its presolve alone takes most of a second (w52-r4 1.3 s),
and w52-r1 and w52-r2 are not proven in 6 s. Over the states these rules read, the chain is a
shortest path:

- between A races, (the week before's minutes, the larger of the two weeks before, the loading
  weeks in a row);
- from an A race's last reference week (V7: the three weeks before its first taper week) to
  its last taper or recovery week, the reference's minutes and the week before's: V7 and V8
  cap those weeks against the reference, and V1 and V3 are left out inside (those weeks load
  nothing); the states after the window are the exact ones again.

What it keeps of the relaxation: each week's units within its profile's feasible range, the
capacity and time caps, V9 and the minimum week of a normal week; V1, V3, V7's and V8's caps;
O1 (with a deload week's lowered target and its hold on the week before) and O2; each week's profile, and
what pairs of weeks pay together beyond their profiles (``weeks.PairGain``: a table by the two
weeks' units, read at each pair's second week from the state's week before). What it leaves out: V2
(four weeks back), V1 and V3 inside an A race's window, and V7 and V8 of an A race whose
reference weeks overlap an earlier race's window or start before the plan (the state would
have to carry two references, or the weeks before the plan). Leaving rules out only enlarges the feasible set,
so its optimum is a lower bound on the relaxation's, and where its weekly minutes keep every
rule (``relaxation`` checks, on its own model with every week's minutes fixed), they are the
relaxation's optimum.

Every state also carries the junction state after its week (``junction_chain``: the weekend
between that week and the next), and each week's placement is a table by its units and the
states of the junctions around it. The plain chain has one state per junction and each week's
profile as its table.

The rules here are restated as arithmetic over numbers, not posted: the functions that post
them are named beside each, and the tests compare this optimum with CP-SAT's on the same
relaxation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from periodize.models.athlete import Priority
from periodize.models.rules import exact
from periodize.season import Skeleton
from periodize.solver.context import ratio
from periodize.solver.rules import HARD_RULES
from periodize.solver.rules.objectives import deload_hold, deload_target
from periodize.solver.rules.volume import (
    v1_floor,
    v2_floor,
    v7_taper_floor,
)
from periodize.solver.weeks import PairGain, WeekProfile

#: A cost no path takes: larger than any season's objective, small enough to add to itself.
UNREACHABLE = np.int64(1) << 50
#: Most states the chain keeps over a season (8 bytes each): minute values squared, times the
#: loading weeks in a row, times the weeks. Default rules on a 52-week season with a 650-minute
#: peak need 3.5 million; an athlete far above (a 3,000-minute peak, 20 loading weeks in a
#: row) would need gigabytes, and is left to CP-SAT's relaxation alone.
MAX_STATES = 12_000_000
#: The walk back looks among the least-cost paths for one that keeps V2, at most this many
#: states deep-first, at most ``TIE_OPTIONS`` from each: the chain leaves V2 out, and where its
#: minutes break it the relaxation searches on with CP-SAT, though its optimum may cost the
#: same (w52-r4: the chain's value is the relaxation's optimum, and its first path breaks V2
#: in week 18).
TIE_NODES = 400
TIE_OPTIONS = 4

#: V2's pricing (``price_v2``): at most this many shortest paths, each with V2's caps priced
#: into the weeks' costs (Lagrangian multipliers, moved by the subgradient), and at most
#: ``PRICE_STATES`` states over all of them (about 0.1 s here; each path visits the chain's
#: states once). w26-r1's chain path breaks V2 (472 against the relaxation's 474): 3 rounds
#: prove 474 and meet a path that keeps V2 at that cost, in 0.04 s, where CP-SAT's relaxation
#: took 0.37 s. Where V2 is not all the chain misses, pricing cannot close the gap, and the cap
#: is what it costs (w12-r1: 1,102 -> 1,120 in 8 rounds, 0.32 s, against the relaxation's
#: 1,227; w52-r1 440 -> 447 of 454 in 0.39 s, and CP-SAT answers).
PRICE_ROUNDS = 8
PRICE_STATES = 1_500_000
#: Rounds without a better bound before the step is halved, and halvings before giving up.
PRICE_PATIENCE = 2
PRICE_HALVINGS = 2
#: Costs are multiplied by this before the prices (whole numbers) are added, so that prices
#: finer than a point stay exact and the priced optimum divides back exactly.
PRICE_SCALE = 1000

#: A cap of a window week against the reference: minutes [t, 1] and reference [1, r] in, the
#: pairs allowed out.
Cap = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ChainOptimum:
    """The least O1 + O2 + week profiles over the chain, and the weekly units reaching it;
    with junction states (``junction_chain``), the state of each junction along the path too
    (the dummy ones at both ends included, as ``junctions.JunctionBound.chain`` gives them)."""

    value: int
    training: tuple[int, ...]
    states: tuple[int, ...] = ()


@dataclass(frozen=True)
class PricedChain:
    """What pricing V2 into the chain proved (``price_v2``): a lower bound on the relaxation
    with V2, and the cheapest path met that keeps V2, with its cost (None: none met)."""

    bound: int
    keeping: ChainOptimum | None


@dataclass(frozen=True)
class _Week:
    """One week's part of the chain: its units, the cost of each (by deload or not), and the
    rules' numbers for it."""

    units: np.ndarray  # the week's possible training units, rising
    #: [choice, unit]: O1 + O2 for a loading week (or one that is not normal), a due deload
    #: and an early deload (each without its hold); UNREACHABLE where not allowed
    cost: np.ndarray
    normal: bool
    v1_floor: int | None  # V1's "never below the minimum week" where it is not redundant (``v1_floor``)
    #: [before]: what O1 adds to a due deload by the week before's minutes (``deload_hold``), by
    #: grid value; zeros where the week cannot deload
    hold: np.ndarray
    #: [before]: the same for an early deload
    early_hold: np.ndarray
    #: [unit, state before, state after]: the least the week's placement pays (its profile; with
    #: junction states, what is known of each entry, ``junction_chain``), by the states of the
    #: junctions around it (one each where they are not followed); UNREACHABLE where it cannot
    placement: np.ndarray
    #: [unit, before]: what the week pays together with the week before beyond both their
    #: profiles (a pair, ``weeks.PairGain``, ``_pair_extra``), by the week before's minutes
    #: (grid value); None where the two are not a pair
    linked: np.ndarray | None = None

    @property
    def least(self) -> np.ndarray:
        """Each unit's O1 + O2 with the cheaper deload choice (where the rules are left out)."""
        return self.cost.min(axis=0)


@dataclass
class _Window:
    """An A race's window: from its last reference week to its last capped week."""

    last_reference: int
    last: int
    caps: dict[int, list[Cap]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Rules:
    """The rule numbers the chain reads, and which rules the model posts."""

    increase: Fraction  # V1
    low: Fraction  # V3's deload range
    high: Fraction
    loading: int  # V3's loading weeks in a row: at most that many, and a deload after them is due
    v1: bool
    v3: bool
    minimum_week: int


def _week_domain(skeleton: Skeleton, week: int, profile: WeekProfile, capacity: int | None,
                 time_cap: int | None) -> range:
    """The week's training units the relaxation allows on its own: its profile's feasible
    range, the capacity and time caps (``relaxation.solve_volume_relaxation``), V9
    (``volume.post_v9``) and, in a normal week with its long run, the minimum week
    (``model.post_implied_cuts``)."""
    lowest, highest = profile.feasible
    if skeleton.long_run_required(week):
        lowest = max(lowest, math.ceil(skeleton.minimum_week / 5))
    caps = [highest]
    if "V9" in HARD_RULES:
        caps.append(skeleton.athlete.volume.peak_weekly_minutes // 5)
    caps.extend(cap for cap in (capacity, time_cap) if cap is not None)
    return range(lowest, min(caps) + 1)


def _pair_extra(pair: PairGain, profiles: Sequence[WeekProfile], units: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """What ``pair`` charges beyond its two weeks' profiles (``relaxation.week_profile_penalty``
    posts the same): [the second week's ``units``, the first week's minutes on ``grid``]. Its
    gain where both weeks lie in their best ranges (UNREACHABLE there for a gain of None: no
    plan has both there); with its own profiles (``PairGain.profiles``), at least what each
    promises less the two weeks' profiles (UNREACHABLE where one says the pair cannot hold
    those units); never below 0. Grid minutes the first week cannot hold are never its state."""
    first, second = profiles[pair.week], profiles[pair.week + 1]
    earlier = grid // 5  # [column]
    inside = (((first.best[0] <= earlier) & (earlier <= first.best[1]))[None, :]
              & ((second.best[0] <= units) & (units <= second.best[1]))[:, None])  # [row, column]
    if pair.gain is None:
        return np.where(inside, UNREACHABLE, 0)
    extra = np.where(inside, pair.gain, 0).astype(np.int64)
    if not pair.profiles:
        return extra
    charged = _promised(first, earlier)[None, :] + _promised(second, units)[:, None]
    held = charged < UNREACHABLE  # the weeks' own profiles hold these units
    for together in (_promised(pair.profiles[0], earlier)[None, :], _promised(pair.profiles[1], units)[:, None]):
        extra = np.where(together >= UNREACHABLE, UNREACHABLE,
                         np.where(held, np.maximum(extra, together - charged), extra))
    return extra


def _promised(profile: WeekProfile, units: np.ndarray) -> np.ndarray:
    """``profile.at`` over ``units``, UNREACHABLE where the profile says the week cannot."""
    return np.array([UNREACHABLE if (least := profile.at(int(each))) is None else least for each in units],
                    dtype=np.int64)


def _week_costs(skeleton: Skeleton, week: int, units: np.ndarray) -> np.ndarray:
    """O1 (``objectives.objective_o1``: per minute off the phase target; a deload week as
    ``objectives.deload_o1_minutes`` counts it, its hold apart, in ``_deload_holds``)
    and O2 (``objectives.objective_o2`` at the fewest strength minutes P10 allows, as the
    relaxation counts it), for each of ``units``: loading (or a week that is not normal), a due
    deload, an early deload. The week's profile is its placement (``_Week.placement``)."""
    rules = skeleton.rules
    minutes = 5 * units
    target = skeleton.phase_targets[week]
    # an early deload is measured against the full target
    aims = [target, deload_target(skeleton, target), target] if skeleton.normal_weeks[week] else [target]
    weight = rules.O1.active_weight
    budget = skeleton.athlete.volume.weekly_time_budget_minutes
    over = 0
    if budget is not None and rules.O2.active_weight:
        over = rules.O2.active_weight * np.maximum(minutes + skeleton.minimum_strength_minutes(week) - budget, 0)
    cost = np.full((3, len(units)), UNREACHABLE, dtype=np.int64)
    for choice, aim in enumerate(aims):
        cost[choice] = weight * np.abs(minutes - aim) + over
    return cost


def _deload_holds(skeleton: Skeleton, week: int, grid: np.ndarray, *, due: bool) -> np.ndarray:
    """What O1 adds to a deload ``week``, due or early (``due``), after each grid value of minutes
    (``objectives.deload_hold``, weighted as ``objectives.objective_o1`` weighs it)."""
    target = skeleton.phase_targets[week]
    weight = skeleton.rules.O1.active_weight
    return np.array([weight * deload_hold(target, int(before), due=due) for before in grid], dtype=np.int64)


def _deload_hold_pair(skeleton: Skeleton, week: int, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_deload_holds`` of a due and of an early deload (zeros where the week cannot deload)."""
    if not skeleton.normal_weeks[week]:
        return np.zeros_like(grid), np.zeros_like(grid)
    return _deload_holds(skeleton, week, grid, due=True), _deload_holds(skeleton, week, grid, due=False)


def _windows(skeleton: Skeleton) -> list[_Window]:
    """Each A race whose V7 and V8 caps the chain carries (``volume.post_v7``,
    ``volume.post_v8``), in season order: those whose reference weeks lie in the plan, after
    the window before."""
    v7, v8 = "V7" in HARD_RULES, "V8" in HARD_RULES
    if not (v7 or v8):
        return []
    rules, n_weeks = skeleton.rules, skeleton.n_weeks
    windows: list[_Window] = []
    free_until = -1  # the last week of the window before
    for race in sorted(skeleton.races_with(Priority.A), key=lambda race: race.day):
        taper = skeleton.taper_weeks(race)
        if not taper or taper[0] - 3 <= free_until or taper[0] - 3 < 0 or taper[0] >= n_weeks:
            continue  # its reference weeks in an earlier window or before the plan: left out
        window = _Window(taper[0] - 1, taper[0])
        if v7:
            low, high = ratio(rules.V7.race_week_min_pct), ratio(rules.V7.race_week_max_pct)
            for week in taper:
                taper_floor = v7_taper_floor(skeleton, race, week)

                def taper_week(t: np.ndarray, r: np.ndarray, floor: int | None = taper_floor) -> np.ndarray:
                    capped = t <= r
                    return capped if floor is None else capped | (t <= floor)

                window.caps.setdefault(week, []).append(taper_week)
            floored = skeleton.v7_floor_week(race)  # one of the cut weeks, or none
            for week in skeleton.v7_cut_weeks(race):
                if week >= n_weeks:
                    continue
                floor = skeleton.v7_week_floor(week)

                # Defs, not lambdas (V8's too): mypy cannot type a lambda whose defaults bind
                # the loop's values.
                def race_week(t: np.ndarray, r: np.ndarray, low: Fraction = low, high: Fraction = high,
                              floor: int = floor, waived: bool = skeleton.v7_race_week_waived(week),
                              floored: bool = week == floored) -> np.ndarray:
                    enough = (low.denominator * t >= low.numerator * r) | (waived & (t >= floor)) | (not floored)
                    return enough & ((high.denominator * t <= high.numerator * r) | (t <= floor))

                window.caps[week].append(race_week)
        if v8:
            cap, minimum = ratio(rules.V8.week_cap_pct), skeleton.minimum_week
            for week in skeleton.a_recovery_weeks(race):

                def recovery_week(t: np.ndarray, r: np.ndarray, cap: Fraction = cap,
                                  minimum: int = minimum) -> np.ndarray:
                    return (cap.denominator * t <= cap.numerator * r) | (t <= minimum)

                window.caps.setdefault(week, []).append(recovery_week)
        if not window.caps:
            continue  # V7 left out and the race's recovery after the season: nothing to carry
        window.last = min(max(window.caps), n_weeks - 1)
        windows.append(window)
        free_until = window.last
    return windows


def solve_chain(
    skeleton: Skeleton, profiles: Sequence[WeekProfile], *, capacities: Sequence[int | None],
    time_caps: Sequence[int | None], pairs: Sequence[PairGain] = (),
) -> ChainOptimum | None:
    """The chain's optimum: None where no weekly minutes satisfy it (so neither does the
    relaxation), or where its states would be more than ``MAX_STATES``. ``capacities`` and
    ``time_caps``: each week's caps in units, None where the rules behind a cap are not all
    posted (the relaxation leaves it out then too). ``pairs``: what neighbouring weeks pay
    together (sharing no week, ``weeks.summable``), as ``relaxation.week_profile_penalty``
    charges them."""
    chain = build_chain(skeleton, profiles, capacities, time_caps, pairs)
    return None if chain is None else chain.solve(skeleton.athlete.volume.current_weekly_minutes)


def build_chain(
    skeleton: Skeleton, profiles: Sequence[WeekProfile], capacities: Sequence[int | None],
    time_caps: Sequence[int | None], pairs: Sequence[PairGain] = (),
) -> _Chain | None:
    """The chain of ``solve_chain`` (None where a week allows no units, or where its states
    would be more than ``MAX_STATES``)."""
    rules = skeleton.rules
    current = skeleton.athlete.volume.current_weekly_minutes
    windows = _windows(skeleton)
    domains: list[np.ndarray] = []
    for week, profile in enumerate(profiles):
        domain = _week_domain(skeleton, week, profile, capacities[week], time_caps[week])
        if not domain:
            return None
        domains.append(np.arange(domain.start, domain.stop, dtype=np.int64))
    v3 = "V3" in HARD_RULES
    grid = np.unique(np.concatenate([5 * units for units in domains] + [np.array([current], dtype=np.int64)]))
    second_of = {pair.week + 1: pair for pair in pairs}
    weeks = [_Week(units, _week_costs(skeleton, week, units), skeleton.normal_weeks[week],
                   v1_floor(skeleton, week),
                   *_deload_hold_pair(skeleton, week, grid),
                   _promised(profile, units)[:, None, None],
                   _pair_extra(second_of[week], profiles, units, grid) if week in second_of else None)
             for week, (units, profile) in enumerate(zip(domains, profiles, strict=True))]
    # The streak is kept where V3 is not posted too: O1 reads it (``objectives.deload_due``).
    streaks = rules.V3.max_loading_weeks + 1
    if len(grid) ** 2 * streaks * len(weeks) > MAX_STATES:
        return None
    chain = _Chain(
        weeks, grid,
        _Rules(1 + ratio(rules.V1.max_increase_pct), ratio(rules.V3.deload_min_pct), ratio(rules.V3.deload_max_pct),
               rules.V3.max_loading_weeks, "V1" in HARD_RULES, v3, skeleton.minimum_week),
        {window.last_reference: window for window in windows}, _v2(skeleton))
    return chain


def price_v2(
    skeleton: Skeleton, profiles: Sequence[WeekProfile], *, capacities: Sequence[int | None],
    time_caps: Sequence[int | None], pairs: Sequence[PairGain] = (),
) -> PricedChain | None:
    """A lower bound on the relaxation with V2, by pricing V2's caps into the chain. Why:
    where the chain's path breaks V2, CP-SAT's relaxation had to answer (w26-r1: 0.37 s, the
    chain 16 ms). None where the model posts no V2, where no cap can be priced, or where
    there is no chain.

    How (a Lagrangian relaxation of V2): each week's cap where it is linear, 40 T <= 13 (T1 +
    ... + T4) in V2's default numbers (``volume.post_v2``), gets a price p >= 0, and every path
    pays p (40 T - 13 (T1 + ... + T4)) more, which is a cost per unit of each week's minutes, so
    the chain stays a chain. Every plan keeps each cap, so it pays no more than before: the
    priced optimum is still a lower bound, whatever the prices. The prices follow the
    subgradient (the caps the path breaks raise theirs), at most ``PRICE_ROUNDS`` paths (and
    ``PRICE_STATES`` states). Each step aims a little above the best bound so far (half a
    percent: aiming 2 % above took w26-r1 14 rounds instead of 3). A path that keeps V2 costs
    what it costs; where one costs the bound, it is the optimum (the caller checks it against
    the whole relaxation, as for the chain's own path).

    A week's cap is priced only where it is linear: where V2's floor (the minimum week) cannot
    lift it, since the four weeks before hold at least their least units; the other caps are
    left out, which only weakens the bound. ``pairs`` as ``solve_chain`` takes them."""
    chain = build_chain(skeleton, profiles, capacities, time_caps, pairs)
    if chain is None or chain.v2 is None:
        return None
    chronic, ratio_, floors = chain.v2
    numerator, denominator = ratio_.numerator, ratio_.denominator
    base = chain.weeks
    linear = [week for week in range(chronic, len(base)) if (week_floor := floors[week]) is None or
              numerator * 5 * sum(int(base[k].units[0]) for k in range(week - chronic, week))
              >= denominator * chronic * week_floor]
    if not linear:
        return None
    current = skeleton.athlete.volume.current_weekly_minutes
    prices = dict.fromkeys(linear, 0.0)
    best: int | None = None
    keeping: ChainOptimum | None = None
    step, stalled, halvings = 1.0, 0, 0
    states = len(chain.grid) ** 2 * chain.streaks * len(base)
    for _ in range(min(PRICE_ROUNDS, max(1, PRICE_STATES // states))):
        whole = {week: round(price) for week, price in prices.items()}
        per_unit = np.zeros(len(base), dtype=np.int64)
        for week, price in whole.items():
            per_unit[week] += denominator * chronic * price
            per_unit[week - chronic:week] -= numerator * price
        chain.weeks = [_priced(week, int(per_unit[number])) for number, week in enumerate(base)]
        path = chain.solve(current)
        if path is None:
            return None
        units = path.training
        slack = {week: denominator * chronic * units[week] - numerator * sum(units[week - chronic:week])
                 for week in linear}
        cost = (path.value - sum(whole[week] * slack[week] for week in linear)) // PRICE_SCALE
        bound = -(-path.value // PRICE_SCALE)
        if best is None or bound > best:
            best, stalled = bound, 0
        else:
            stalled += 1
            if stalled >= PRICE_PATIENCE:
                step, stalled, halvings = step / 2, 0, halvings + 1
        if chain.keeps_v2(units) and (keeping is None or cost < keeping.value):
            keeping = ChainOptimum(cost, units)
        if (keeping is not None and best >= keeping.value) or halvings > PRICE_HALVINGS:
            break
        aim = keeping.value if keeping is not None else best + max(1, abs(best) // 200)
        moving = {week: value if value > 0 or prices[week] > 0 else 0 for week, value in slack.items()}
        norm = sum(value * value for value in moving.values())
        if norm == 0:
            break
        size = step * (aim - path.value / PRICE_SCALE) * PRICE_SCALE / norm
        for week, value in moving.items():
            prices[week] = max(0.0, prices[week] + size * value)
    assert best is not None
    return PricedChain(best, keeping)


def _priced(week: _Week, per_unit: int) -> _Week:
    """``week`` with its costs scaled by ``PRICE_SCALE`` and ``per_unit`` more per unit."""
    cost = np.where(week.cost >= UNREACHABLE, UNREACHABLE, PRICE_SCALE * week.cost + per_unit * week.units[None, :])
    placement = np.where(week.placement >= UNREACHABLE, UNREACHABLE, PRICE_SCALE * week.placement)
    linked = None if week.linked is None else np.where(week.linked >= UNREACHABLE, UNREACHABLE,
                                                       PRICE_SCALE * week.linked)
    return replace(week, cost=cost, hold=PRICE_SCALE * week.hold, early_hold=PRICE_SCALE * week.early_hold,
                   placement=placement, linked=linked)


#: V2's numbers: the chronic weeks, the ratio, and each week's floor (None: redundant).
V2Numbers = tuple[int, Fraction, list[int | None]]


def _v2(skeleton: Skeleton) -> V2Numbers | None:
    """V2's numbers (``volume.post_v2``): the chronic weeks, the ratio, and each week's floor
    (``volume.v2_floor``: None where it is redundant)."""
    if "V2" not in HARD_RULES:
        return None
    floors = [v2_floor(skeleton, week) for week in range(skeleton.n_weeks)]
    return skeleton.rules.V2.chronic_weeks, exact(skeleton.rules.V2.max_ratio), floors


def _window_keeps_v2(v2: V2Numbers, chosen: Sequence[int | None], number: int) -> bool:
    """V2 (``volume.post_v2``) where ``number``, just chosen, completes a chronic window:
    the week after the window, at most the ratio times the window's mean, or the floor."""
    chronic, ratio_, floors = v2
    week = number + chronic
    if week >= len(chosen):
        return True
    window = chosen[number:week]
    minutes = 5 * chosen[week]  # type: ignore[operator]
    total = 5 * sum(window)  # type: ignore[arg-type]
    floor = floors[week]
    return ratio_.denominator * minutes * chronic <= ratio_.numerator * total or (
        floor is not None and minutes <= floor)


def weeks_breaking_v2(skeleton: Skeleton, units: Sequence[int]) -> int:
    """How many weeks of weekly ``units`` (a chain's path) break V2: few where V2 only trims
    the chain's optimum (the benchmark, example and batch seasons: 0-5), many where it reshapes
    the whole curve (a coach's ``max_ratio: 1.1``: 10-21), which ``relaxation`` reads to choose
    its search."""
    v2 = _v2(skeleton)
    chosen = list(units)
    return 0 if v2 is None else sum(not _window_keeps_v2(v2, chosen, number) for number in range(len(chosen)))


class _Chain:
    """The shortest path over the weeks' states, and the walk back along it."""

    def __init__(self, weeks: list[_Week], grid: np.ndarray, rules: _Rules, windows: dict[int, _Window],
                 v2: V2Numbers | None) -> None:
        """``v2``: V2's chronic weeks, ratio and floor by week, for the walk back's choice
        among equal paths (None where the model does not post V2)."""
        self.weeks, self.grid, self.rules, self.windows, self.v2 = weeks, grid, rules, windows, v2
        self.position = {int(value): index for index, value in enumerate(grid)}
        #: loading weeks in a row so far: 0 .. max_loading_weeks (where V3 is not posted, the last
        #: counts that many or more)
        self.streaks = rules.loading + 1
        #: How many states the last ``solve`` computed, over every week: its work, for callers
        #: that bound it (``junction_chain``), since numpy's work counts nothing in CP-SAT's
        #: deterministic time.
        self.computed = 0

    # ---- the rules between a week and the states before it ----------------------------------
    def _v1_needed(self, week: _Week) -> np.ndarray:
        """V1 (``volume.post_v1``): per unit of ``week``, the first grid value the larger of the
        two weeks before must reach (past the grid: none does); 0 where V1 does not bind."""
        minutes = 5 * week.units
        if not self.rules.v1:
            return np.zeros(len(minutes), dtype=np.int64)
        increase = self.rules.increase
        needed = np.searchsorted(increase.numerator * self.grid, increase.denominator * minutes, side="left")
        if week.v1_floor is not None:
            needed = np.where(minutes <= week.v1_floor, 0, needed)
        return needed

    def _deload_allowed(self, week: _Week, before: np.ndarray) -> np.ndarray:
        """V3 (``volume.post_v3``): a deload week at low..high of the week before (minutes
        ``before``), or at most the minimum week where that is below the range; [t, before]."""
        minutes = 5 * week.units[:, None]
        if not self.rules.v3:
            return np.ones((len(week.units), before.shape[-1]), dtype=bool)
        low, high = self.rules.low, self.rules.high
        return (low.denominator * minutes >= low.numerator * before) & (
            (high.denominator * minutes <= high.numerator * before) | (minutes <= self.rules.minimum_week))

    def _choices(self, week: _Week) -> list[tuple[int, bool]]:
        """(deload, loading week) options: a normal week deloads or loads; another neither."""
        return [(0, True), (1, False)] if week.normal else [(0, False)]

    @staticmethod
    def _deloaded(costs: np.ndarray, early: np.ndarray | int, due: np.ndarray | int) -> np.ndarray:
        """``costs`` by the streak before (axis 2) with a deload's own cost added (each with
        its hold): ``early`` where fewer loading weeks than V3's come before, ``due`` after
        them (``objectives.deload_due``)."""
        deloaded = costs + early
        deloaded[:, :, -1] = costs[:, :, -1] + due
        return deloaded

    @staticmethod
    def _placed(costs: np.ndarray, placement: np.ndarray) -> np.ndarray:
        """``costs`` [x, ..., state before] with the week's placement [x, state before, state
        after] added, the state before chosen at least cost: [x, ..., state after]. ``x`` is
        the week's units (or one of them, both without that axis)."""
        shape = (placement.shape[0], *([1] * (costs.ndim - 2)), *placement.shape[1:])
        return (costs[..., :, None] + placement.reshape(shape)).min(axis=-2)

    def _step(self, states: np.ndarray, week: _Week) -> np.ndarray:
        """Costs after ``week`` by its units, the week before, the streak and the junction
        state after it: [t, a, s', j']."""
        size = len(self.grid)
        needed = self._v1_needed(week)
        reach = np.minimum.accumulate(states[:, ::-1], axis=1)[:, ::-1]  # [a, m, s, j]: any reference >= grid[m]
        allowed = reach[:, np.minimum(needed, size - 1)].transpose(1, 0, 2, 3)  # [t, a, s, j]
        allowed = np.where((needed < size)[:, None, None, None], allowed, UNREACHABLE)
        if week.linked is not None:
            allowed = allowed + week.linked[:, :, None, None]
        allowed = self._placed(allowed, week.placement)  # [t, a, s, j']
        options = []
        for deload, loading in self._choices(week):
            if deload:
                cost = self._deloaded(allowed, (week.cost[2][:, None] + week.early_hold[None, :])[:, :, None, None],
                                      (week.cost[1][:, None] + week.hold[None, :])[:, :, None])
                cost = np.where(self._deload_allowed(week, self.grid[None, :])[:, :, None, None], cost, UNREACHABLE)
            else:
                cost = allowed + week.cost[0][:, None, None, None]
            following = np.full_like(cost, UNREACHABLE)
            if loading:
                following[:, :, 1:] = cost[:, :, :-1]  # one more loading week; none past V3's limit
                if not self.rules.v3:  # without V3, the last streak counts that many or more
                    following[:, :, -1] = np.minimum(following[:, :, -1], cost[:, :, -1])
            else:
                following[:, :, 0] = cost.min(axis=2)  # a deload or a week that is not normal restarts
            options.append(following)
        return np.minimum.reduce(options) if len(options) > 1 else options[0]

    def _collapse(self, states: np.ndarray, week: _Week) -> np.ndarray:
        """The last reference week: costs by the reference (the largest of the three reference
        weeks, max(this week, the larger of the two before)), this week's minutes and the
        junction state after it: [r, a, j']."""
        size = len(self.grid)
        needed = self._v1_needed(week)
        window = np.full((size, size, week.placement.shape[2]), UNREACHABLE, dtype=np.int64)
        for row, unit in enumerate(week.units):
            best = np.full((size, states.shape[3]), UNREACHABLE, dtype=np.int64)  # [m, j]
            linked = states if week.linked is None else states + week.linked[row][:, None, None, None]
            for deload, loading in self._choices(week):
                if deload:  # [a, m, s, j]
                    cost = self._deloaded(linked, week.cost[2][row] + week.early_hold[:, None, None, None],
                                          week.cost[1][row] + week.hold[:, None, None])
                    cost = np.where(self._deload_allowed(week, self.grid[None, :])[row][:, None, None, None], cost,
                                    UNREACHABLE)
                else:
                    cost = linked + week.cost[0][row]
                if loading and self.rules.v3:
                    cost = cost[:, :, :-1]
                best = np.minimum(best, cost.min(axis=(0, 2)))
            best[: needed[row]] = UNREACHABLE
            best = self._placed(best[None], week.placement[row][None])[0]  # [m, j']
            column = self.position[5 * int(unit)]
            window[column, column] = best[: column + 1].min(axis=0)
            window[column + 1:, column] = best[column + 1:]
        return window

    def _capped(self, week: _Week, caps: list[Cap]) -> np.ndarray:
        """A window week's least O1 + O2 by its units and the reference: [t, r], its caps
        applied. V1 and V3 are left out inside a window (its weeks load nothing)."""
        minutes = 5 * week.units[:, None]
        cost = np.broadcast_to(week.least[:, None], (len(week.units), len(self.grid)))
        allowed = np.ones(cost.shape, dtype=bool)
        for cap in caps:
            allowed &= cap(minutes, self.grid[None, :])
        return np.where(allowed, cost, UNREACHABLE)

    def _inside(self, window: np.ndarray, week: _Week, caps: list[Cap]) -> np.ndarray:
        """A window week after the last reference week: [r, a, j'] again, a now this week."""
        following = np.full((*window.shape[:2], week.placement.shape[2]), UNREACHABLE, dtype=np.int64)
        columns = [self.position[5 * int(unit)] for unit in week.units]
        if week.linked is None:
            entering = np.broadcast_to(window.min(axis=1)[None], (len(week.units), *window.shape[::2]))  # [t, r, j]
        else:
            entering = (window[None] + week.linked[:, None, :, None]).min(axis=2)
        placed = self._placed(entering, week.placement)  # [t, r, j']
        following[:, columns] = (placed + self._capped(week, caps)[:, :, None]).transpose(1, 0, 2)
        return following

    def _leave(self, window: np.ndarray, week: _Week, caps: list[Cap]) -> np.ndarray:
        """A window's last week: the states after it (the last week, the larger of the last
        two, no loading week in a row, the junction state), the reference no longer read."""
        size = len(self.grid)
        capped = self._capped(week, caps)
        states = np.full((size, size, self.streaks, week.placement.shape[2]), UNREACHABLE, dtype=np.int64)
        for row, unit in enumerate(week.units):
            by_before = (window + capped[row][:, None, None]).min(axis=0)  # [a, j]
            if week.linked is not None:
                by_before = by_before + week.linked[row][:, None]
            by_before = self._placed(by_before[None], week.placement[row][None])[0]  # [a, j']
            column = self.position[5 * int(unit)]
            states[column, column, 0] = by_before[: column + 1].min(axis=0)
            states[column, column + 1:, 0] = by_before[column + 1:]
        return states

    def _advance(self, step: np.ndarray, week: _Week) -> np.ndarray:
        """The states after ``week`` from its step costs [t, a, s', j']: the last week is t,
        the larger of the last two max(t, a)."""
        size = len(self.grid)
        states = np.full((size, size, *step.shape[2:]), UNREACHABLE, dtype=np.int64)
        for row, unit in enumerate(week.units):
            column = self.position[5 * int(unit)]
            states[column, column + 1:] = step[row, column + 1:]
            states[column, column] = step[row, : column + 1].min(axis=0)
        return states

    # ---- the path -----------------------------------------------------------------------------
    def _kind(self, number: int) -> tuple[str, _Window | None]:
        """How week ``number`` moves the states: a normal step, the last reference week of a
        window, a week inside it, or its last week."""
        for window in self.windows.values():
            if number == window.last_reference:
                return "collapse", window
            if window.last_reference < number < window.last:
                return "inside", window
            if number == window.last:
                return "leave", window
        return "step", None

    def solve(self, current: int) -> ChainOptimum | None:
        """The least-cost path from the weeks before the plan (``current`` minutes each), week
        by week; None where no path reaches the season's end."""
        size = len(self.grid)
        states = np.full((size, size, self.streaks, 1), UNREACHABLE, dtype=np.int64)
        start = self.position[current]
        states[start, start, 0] = 0
        history: list[np.ndarray] = []  # after each week: its states ([r, a, j] inside a window)
        for number, week in enumerate(self.weeks):
            kind, window = self._kind(number)
            caps = window.caps.get(number, []) if window is not None else []
            if kind == "collapse":
                states = self._collapse(states, week)
            elif kind == "inside":
                states = self._inside(states, week, caps)
            elif kind == "leave":
                states = self._leave(states, week, caps)
            else:
                states = self._advance(self._step(states, week), week)
            # Unreachable stays unreachable: a week's cost may be negative (its profile), and
            # UNREACHABLE less a few points must not pass for a path (an infeasible season's
            # chain once returned 2**50 - 469 as its optimum).
            states = np.where(states >= UNREACHABLE // 2, UNREACHABLE, states)
            history.append(states)
        self.computed = sum(states.size for states in history)
        value = int(states.min())
        if value >= UNREACHABLE:
            return None
        training, junction_states = self._walk_back(history)
        return ChainOptimum(value, training, junction_states)

    def _walk_back(self, history: list[np.ndarray]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The weekly units of a least-cost path, and its junction states, from the last week
        back: at each week, a state before it and a choice that reach the state after it at its
        cost. Among the least-cost paths, one that keeps V2 is looked for first (``_keeps_v2``:
        depth first, at most ``TIE_NODES`` states), since the relaxation takes the chain's
        minutes only where they keep every rule; else the first path."""
        end = tuple(int(index) for index in np.unravel_index(int(np.argmin(history[-1])), history[-1].shape))
        n_weeks = len(self.weeks)
        chosen: list[int | None] = [None] * n_weeks
        junction_states = [0] * (n_weeks + 1)
        visits = 0

        def search(number: int, after: tuple[int, ...], checked: bool) -> bool:
            nonlocal visits
            visits += 1
            chosen[number] = self._unit_after(number, after)
            junction_states[number + 1] = after[-1]
            if checked and not self._keeps_v2(chosen, number):
                return False
            if number == 0:
                return True
            for before in self._options(history, number, after):
                if checked and visits > TIE_NODES:
                    return False
                if search(number - 1, before, checked):
                    return True
            return False

        if self.v2 is None or not search(n_weeks - 1, end, True):
            search(n_weeks - 1, end, False)
        return tuple(int(unit) for unit in chosen if unit is not None), tuple(junction_states)

    def _unit_after(self, number: int, after: tuple[int, ...]) -> int:
        """Week ``number``'s units in its state ``after`` ([r, a, j] in a window up to its
        last week, where a is this week; [a, m, s, j] elsewhere)."""
        kind, _ = self._kind(number)
        return int(self.grid[after[1] if kind in ("collapse", "inside") else after[0]]) // 5

    def keeps_v2(self, units: Sequence[int]) -> bool:
        """Whether weekly ``units`` keep V2 in every week (with its floor)."""
        chosen: list[int | None] = list(units)
        return self.v2 is None or all(self._keeps_v2(chosen, number) for number in range(len(chosen)))

    def _keeps_v2(self, chosen: list[int | None], number: int) -> bool:
        assert self.v2 is not None
        return _window_keeps_v2(self.v2, chosen, number)

    def _options(self, history: list[np.ndarray], number: int, after: tuple[int, ...]) -> list[tuple[int, ...]]:
        """The states before week ``number`` from which it reaches ``after`` at its cost."""
        grid = self.grid
        week = self.weeks[number]
        target = int(history[number][after])
        kind, window = self._kind(number)
        unit = self._unit_after(number, after)
        minutes = 5 * unit
        before = history[number - 1]
        row = int(np.searchsorted(week.units, unit))
        placement = week.placement[row][:, after[-1]]  # [j]: by the junction state before
        caps = window.caps.get(number, []) if window is not None else []
        if kind == "inside":
            reference = after[0]
            cost = int(self._capped(week, caps)[row, reference])
            costs = self._linked(before[reference] + placement[None, :] + cost, week, row, slice(None), (-1, 1))
            hits = np.argwhere(costs == target)[:TIE_OPTIONS]  # [a, j]
            return [(reference, int(a), int(j)) for a, j in hits]
        if kind == "leave":
            capped = self._capped(week, caps)[row]  # [r]
            a_after, m_after = after[0], after[1]
            candidates = np.array([m_after]) if m_after != a_after else np.flatnonzero(grid <= minutes)
            costs = self._linked(before[:, candidates] + capped[:, None, None] + placement[None, None, :],
                                 week, row, candidates, (1, -1, 1))  # [r, c, j]
            hits = np.argwhere(costs == target)[:TIE_OPTIONS]
            return [(int(r), int(candidates[c]), int(j)) for r, c, j in hits]
        if kind == "collapse":
            reference = after[0]
            column = self.position[minutes]
            if reference == column:  # this week is the largest: the two before are at most it
                def reference_ok(m: np.ndarray, at: int = column) -> np.ndarray:
                    return m <= at
            else:
                def reference_ok(m: np.ndarray, at: int = reference) -> np.ndarray:
                    return m == at
            return self._predecessors(number, before, unit, target, np.arange(len(grid)), reference_ok, None,
                                      placement)
        a_after, m_after, s_after = after[0], after[1], after[2]
        # The week before: exactly the larger of the two where that is above this week, else
        # any week at most this one.
        candidates = np.array([m_after]) if m_after != a_after else np.flatnonzero(grid <= minutes)
        return self._predecessors(number, before, unit, target, candidates,
                                  lambda m: np.ones(len(m), dtype=bool), s_after, placement)

    @staticmethod
    def _linked(costs: np.ndarray, week: _Week, row: int, before: np.ndarray | slice,
                shape: tuple[int, ...]) -> np.ndarray:
        """``costs`` plus what ``week`` at its ``row``-th units pays with the week before
        (``_Week.linked``), by the week before's grid positions ``before`` (the axis of
        ``costs`` that ``shape``'s -1 marks); ``costs`` itself where the two are not a pair, so
        that the walk back pays nothing for pairs it does not have."""
        if week.linked is None:
            return costs
        return costs + week.linked[row][before].reshape(shape)

    def _predecessors(self, number: int, before: np.ndarray, unit: int, target: int,
                      candidates: np.ndarray, reference_ok: Callable[[np.ndarray], np.ndarray],
                      streak_after: int | None, placement: np.ndarray) -> list[tuple[int, ...]]:
        """States (a, m, s, j) of ``before`` from which week ``number`` at ``unit`` reaches
        ``target`` (at most ``TIE_OPTIONS``): a among ``candidates``, m where
        ``reference_ok`` [m] and V1 allow, s as the choice and ``streak_after`` (None: any)
        allow, j at the week's ``placement`` by it."""
        week = self.weeks[number]
        row = int(np.searchsorted(week.units, unit))
        needed = self._v1_needed(week)[row]
        references = (np.arange(len(self.grid)) >= needed) & reference_ok(np.arange(len(self.grid)))
        found: list[tuple[int, ...]] = []
        last = self.streaks - 1
        for deload, loading in self._choices(week):
            usable = np.ones(len(candidates), dtype=bool)
            if deload:
                usable = self._deload_allowed(week, self.grid[candidates][None, :])[row]
            if streak_after is None:
                streaks = list(range(last)) if loading and self.rules.v3 else list(range(self.streaks))
            elif loading:
                streaks = [streak_after - 1] if streak_after >= 1 else []
                if streak_after == last and not self.rules.v3:  # without V3 the last streak stays
                    streaks.append(last)
            else:
                streaks = list(range(self.streaks)) if streak_after == 0 else []
            if deload:  # [candidate, m, s, j]: early or due by the streak before
                early, due = week.early_hold[candidates], week.hold[candidates]
                deloaded = self._deloaded(before[candidates], week.cost[2][row] + early[:, None, None, None],
                                          week.cost[1][row] + due[:, None, None])
            for streak in streaks:
                costs = deloaded[:, :, streak] if deload else before[candidates, :, streak] + week.cost[0][row]
                costs = self._linked(costs + placement[None, None, :], week, row, candidates, (-1, 1, 1))  # [c, m, j]
                hits = np.argwhere((costs == target) & references[None, :, None] & usable[:, None, None])
                found.extend((int(candidates[c]), int(m), streak, int(j)) for c, m, j in hits[:TIE_OPTIONS])
        if not found:
            raise AssertionError("the path back must meet a state it came from")
        return list(dict.fromkeys(found))[:TIE_OPTIONS]
