"""The "bounded" search: a proven lower bound first, then plans measured against it.

Why: on one worker CP-SAT finds good plans for long seasons, but its own bound lags far behind
(a 26-week season: plan 479, bound 324 after 10 s), so it cannot say the plan is optimal. The
season splits into two relaxations that are each cheap to solve exactly:

- the week relaxations (``weeks``): each week's day-level model alone, giving each week's
  least placement penalty (O3, O4, O6, O7) as a function of its training minutes;
- the volume relaxation (``relaxation``): the week-level rules alone, bounding O1 + O2 and
  those week penalties together.

Its optimum is a lower bound on every plan's objective; it is posted as the objective's domain,
so CP-SAT stops the moment a plan reaches it. The first plan tried keeps the volume relaxation's
weekly minutes (a restriction of the full model, so every plan it gives is a plan of the full
model), first with each day's run pinned to its week's best (``pin_days``), then free, and where
that is not proven optimal, with the weekends chained (``chained_restriction``); where it
reaches the bound, that is a proof of optimality. Otherwise the bound is raised by the chains
of weeks their weekends make, each week's profile adjusted by the potentials of its Monday
states (``with_potentials``), then by what neighbouring weeks pay together (``with_pairs``); the
plan is improved a few weeks at a time (``hint.improve``); the bound is raised once more by how
each week's minutes split between its long run and the rest (``with_long_runs``) and by P11's
fortnight before an A race carried across Mondays (``with_fortnight``); and the full model is
searched from that plan as a complete hint, with the bound in place, for plans
better than it only: their weekly minutes must keep the volume relaxation's objective below
the plan's (``post_improvement_cut``), and where no such plan exists, the plan is optimal.

Nothing here changes what is optimal. Where two plans tie, this search may return the other.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from periodize.models.plan import RunType
from periodize.solver.hint import Incumbent, improve
from periodize.solver.junction_chain import JointChain, solve_joint_chain
from periodize.solver.junctions import JunctionBound
from periodize.solver.model import SeasonModel, bound_objective, fix_variables, replace_hint
from periodize.solver.potentials import JunctionPotentials
from periodize.solver.relaxation import VOLUME_OBJECTIVES, VolumeRelaxation, solve_volume_relaxation, week_profile_penalty
from periodize.solver.variables import SeasonVariables
from periodize.solver.weeks import SeasonProfiles, WeekRelaxations, summable

#: Caps on each phase's deterministic work, as shares of the budget (of what is left, for the
#: first plan). Each phase stops as soon as it is done, usually far below its cap, so the caps
#: are generous: the bound and the first plan are what the proof rests on. (With caps of 10 %
#: and 20 %, a 26-week what-if scenario at --time-limit 2 cut the volume relaxation off at 0.05
#: of the 0.09 units it needed, and ended at 856 with bound 387 instead of a proven 414; at 25 %
#: another needed 0.10 units and had 0.094. Larger volume caps starve the first plan on hard
#: seasons at short limits.)
VOLUME_SHARE = 0.4
WEEKS_SHARE = 0.1
RESTRICTED_SHARE = 0.5
#: Linear relaxation level of the main search when it starts from a complete plan: level 2
#: proved w52-r0 and w52-r3 optimal in 3-4 s and w26-r4 in 9 s, where the default level proved
#: none of them in 15 s. Without a starting plan the default level is kept: level 2 then found
#: no plan at all on w26-r0 within 15 s.
HINTED_MAIN_LINEARIZATION = 2
#: The first plan's attempts, each a share of its budget: the full linear relaxation (level 2)
#: with every week's volume fixed closes the easy seasons fast (w26-r1 proven in 0.2-0.4 s,
#: against 0.5-1.1 s at the default level); on hard ones it finds no plan at all in its share
#: (5 of 30 generated 26-week athletes at --time-limit 3), where the default level's first
#: plan comes within 0.1-0.25 units. So level 2 first, then a first plan dived for from the
#: hint (``_dive``, measured at ``DIVE_LINEARIZATION``). Each: (share, linear relaxation level
#: or None for CP-SAT's default, whether it dives instead).
RESTRICTED_ATTEMPTS: tuple[tuple[float, int | None, bool], ...] = ((0.4, 2, False), (0.6, None, True))
#: The pinned first try's share of the first plan's budget (``pin_days``): most seasons' weeks
#: fit together once the long runs and strength sessions move, and then it reaches the bound in
#: a fraction of the restricted model's time (w26-r1 0.05 s against 0.19 s; w26-r2, w52-r0 and
#: four of five what-if scenarios of w26-r1 likewise). Where it cannot (infeasible or short of
#: the bound: 9 of 18 seasons tried), it fails within about 0.03 s.
PINNED_SHARE = 0.1
#: CP-SAT's presolve rounds for the first plan (default 3): with every week's volume fixed
#: one round leaves little for the next. Measured on 8 benchmark seasons (median of 3): faster
#: on each, same plan on 7 (w26-r1 proven in 0.19 s instead of 0.23 s, w52-r0 0.11 instead of
#: 0.19 s); w52-r4's first plan came out worse (1526 vs 1443), then the main search takes over.
RESTRICTED_PRESOLVE_ITERATIONS = 1
#: Deterministic limit for one week's model (they take milliseconds; this only guards).
WEEK_LIMIT = 0.5
#: The potentials' share of the budget (``with_potentials``), asked only when the first plan
#: is short of the bound: one solve per Monday state of each junction, one profile per
#: distinct week with its potentials, and the volume relaxation again. On w52-r4 about 0.3
#: units (2.5 s), on the what-if benchmark's C-10k scenario 0.03 (0.6 s).
POTENTIALS_SHARE = 0.3
#: The joint chain's share (``with_joint_chain``), asked after the week-window search where the
#: plan is still short of the bound: its entries, a few dozen solves per distinct week and
#: volume on its path (100 batch athletes at --time-limit 3: 0.01-0.21 units where solved).
JOINT_SHARE = 0.3
#: The share of the search at the joint chain's minutes (``_plan_at``), where its path is
#: settled: the chained model there (batch athlete 15: 0.16 units to its optimum, 3,614).
JOINT_PLAN_SHARE = 0.25
#: The week-window search (``hint.improve``) from the first plan, where the bounds leave it
#: short: two weeks at a time free, every other week fixed to the plan, each window solved
#: within ``WINDOW_STEP`` units, once over the season (``WINDOW_PASSES``), within
#: ``WINDOW_SHARE`` of what the budget has left. Why: from a complete plan, CP-SAT's main
#: search on one worker rarely finds a better one (it has no LNS there), while a window fixes
#: what the first plan's fixed weekly minutes or its chain of weekends got wrong locally.
#: Measured from the first plan at --time-limit 15: w52-r4 1207 -> 1191 (0.24 units), w26-r3
#: 1446 -> 1429, w52-r2 2771 -> 2754, w52-r5 2131 -> 2091 (bound 2084), w26-r0 1240 -> 1145;
#: the main search had found none of these. A second pass gained 3 points (w52-r2 2751) and
#: cost up to 1 s (w26-r3 11.9 -> 12.9 s).
#: Then, where the two-week pass improved the plan and that share is not spent, one pass with
#: three weeks free at a time (``WINDOW_WEEKS``): moving a deload, or a week's volume with its
#: long run (V5 reads the two weeks before), takes three weeks at once. w26-r3 1429 -> 1414,
#: its optimum (proven by a 200 s run). Where the two-week pass finds nothing, the plan is
#: usually optimal already and the main search proves it: a three-week pass there only took
#: its budget (w26-r4 lost its proof within --time-limit 15; w08-r3, w08-r4, w12-r3 0.15-0.3 s
#: slower). Three-week windows alone, from the first plan: on 100 batch athletes at
#: --time-limit 3, 7 plans better by 83 points, 7 worse by 644 (each window costs more, and
#: fewer of them fit).
WINDOW_STEP = 0.05
WINDOW_PASSES = 1
WINDOW_WEEKS = (2, 3)
WINDOW_SHARE = 0.5
#: The chained first plan (``chained_restriction``), tried where the first plan's attempts end
#: without proving the restricted model optimal: the cheapest chain's week solves may use
#: ``CHAIN_PATH_SHARE`` of the first plan's budget, the chained model's search ``CHAIN_SHARE``.
#: Measured at --time-limit 15 (2 of 24 benchmark seasons reach it; the others' plans are
#: unchanged): w52-r4 ends at 1222 instead of 1481 (the chained model is proven optimal at
#: 1222 within 0.53 units; the restricted model had reached 1486 in 0.7), w26-r0 at 1207
#: instead of 1621. Without the Mondays fixed (the chain as a hint only) w52-r4 ends at 1578.
CHAIN_PATH_SHARE = 0.2
CHAIN_SHARE = 0.4
#: Where the chained model holds no plan, at most this many times a conflict among its
#: Mondays is found and left free (``chain_conflict``), each with the chain's limits again.
#: w52-r4 with P11's fortnight in the junctions (a variant not kept) had two (weeks 5-9, 20-24).
LOOSEN_ROUNDS = 3
#: Where the relaxation's weekly minutes admit no plan at all (the relaxation misses a link
#: between days), the first plan is looked for with every week within ``WIDENED_UNITS`` units
#: (of 5 minutes) of them (``widened_restriction``), stopping at the first plan found, with all
#: the budget left: no plan is in hand, and the main search, hinted with volumes that admit
#: none, rarely finds one on a short budget. Measured on the 6 of 100 batch athletes whose
#: relaxation volumes admit no plan (benchmarks.batch_throughput, --time-limit 3, where all 6
#: ended without a plan): within 4 units, 5 found one within 0.29 units of work (within 2
#: units 1, within 1 unit none); in the pipeline, 2 of them with 0.6 of the first plan's
#: budget, 4 with all of it, 5 with all the search has left.
WIDENED_UNITS = 4
#: How a first plan is dived for, where a search stops at its first plan (the restricted
#: model's first-plan attempt, the widened model): from the hint (each week's own best
#: solution) first (``HINT_SEARCH``), with no linear relaxation (level 0): those weeks are near
#: a plan, and the LP only slows the dive toward one. Measured on the widened model: the
#: generated 52-week, four-race season of seed 9 (its minutes admit no plan) found its first
#: plan at 3,144 after 2.2 units with the default search, leaving nothing for the window search
#: (the season ended at 2,837 at --time-limit 15); with the hint first and level 0, at 2,327
#: after 0.02 units (level 0 alone: 3,171 after 0.05; the hint first alone: 2,327 after 0.22).
#: Batch athlete 20: 4,448 after 0.1 units, where the hint first alone took 0.58 and found no
#: plan within --time-limit 3. On 100 batch athletes at --time-limit 3: in the widened model,
#: the 4 athletes without a plan got one, 5 plans better, none worse; then in the restricted
#: model's first-plan attempt too, 9 plans better (athlete 35 3,345 -> 3,167, 67 2,943 ->
#: 2,599), 1 worse by a point, no proof lost.
DIVE_BRANCHING = cp_model.HINT_SEARCH
DIVE_LINEARIZATION = 0


@dataclass(frozen=True)
class SeasonBound:
    weeks: SeasonProfiles
    volume: VolumeRelaxation
    #: The week models behind ``weeks``, reused for the first plan's hint.
    relaxations: WeekRelaxations

    @property
    def value(self) -> int:
        """A lower bound on the objective of every plan the full model allows."""
        if self.volume.training is None:  # the volume relaxation proved nothing
            return self.weeks.minimum
        return self.volume.bound + self.weeks.season_wide

    @property
    def deterministic_time(self) -> float:
        return self.volume.deterministic_time + self.weeks.deterministic_time


def season_lower_bound(season: SeasonModel, *, deterministic_limit: float, seed: int) -> SeasonBound:
    """The week relaxations' profiles, then the volume relaxation bounding O1 + O2 and those
    profiles together."""
    skeleton = season.context.skeleton
    placement = sum(term for code, term in season.objective_terms.items() if code not in VOLUME_OBJECTIVES)
    volume_terms = sum(term for code, term in season.objective_terms.items() if code in VOLUME_OBJECTIVES)
    training = [variable.index for variable in season.variables.training]
    relaxations = WeekRelaxations(season.model, training, placement, bounded_elsewhere=volume_terms, seed=seed,
                                  limit_per_solve=min(WEEK_LIMIT, WEEKS_SHARE * deterministic_limit),
                                  long_run=[variable.index for variable in season.variables.long_run])
    weeks = relaxations.profiles()
    volume = solve_volume_relaxation(skeleton, deterministic_limit=VOLUME_SHARE * deterministic_limit, seed=seed,
                                     profiles=weeks.per_week)
    return SeasonBound(weeks, volume, relaxations)


def _cannot_beat(season: SeasonModel, bound: SeasonBound, *, beat: int, deterministic_limit: float, seed: int,
                 **relaxed: Any) -> tuple[bool, float]:
    """Whether the volume relaxation with ``relaxed`` (pairs, or the profiles beside the long
    runs) costs no more than ``beat`` at the plain optimum's volumes: its optimum is at most
    that, so it cannot prove more, and a small solve with every volume fixed spares the whole
    one. (Whether, and the deterministic work spent.)"""
    at_plain = solve_volume_relaxation(season.context.skeleton, deterministic_limit=deterministic_limit, seed=seed,
                                       profiles=bound.weeks.per_week, fixed=bound.volume.training, **relaxed)
    cannot = at_plain.status == cp_model.OPTIMAL and at_plain.bound + bound.weeks.season_wide <= beat
    return cannot, at_plain.deterministic_time


def with_pairs(
    season: SeasonModel, bound: SeasonBound, *, beat: int, deterministic_limit: float, seed: int,
) -> tuple[SeasonBound, float]:
    """``bound`` raised by what neighbouring weeks pay together (``weeks.PairGain``): the
    links between weeks that the week relaxations drop. Asked only when the first plan falls
    short of the bound, since most seasons need none of it, and solved only where it may prove
    more than ``beat`` (``_cannot_beat``: w52-r4's pairs cost 1,164 at the plain optimum's
    volumes, where the potentials had proven 1,206; the whole relaxation took 0.51 units, 3 s,
    to prove 1,164). Returns the better bound and the deterministic work spent."""
    relaxations = bound.relaxations
    before = relaxations.solver.spent
    pairs = summable(relaxations.pair_gains(bound.weeks.per_week))
    spent = relaxations.solver.spent - before
    if not pairs or bound.volume.training is None:
        return bound, spent
    cannot, used = _cannot_beat(season, bound, beat=beat, deterministic_limit=deterministic_limit - spent, seed=seed,
                                pairs=pairs)
    spent += used
    if cannot:
        return bound, spent
    volume = solve_volume_relaxation(season.context.skeleton, deterministic_limit=deterministic_limit - spent,
                                     seed=seed, profiles=bound.weeks.per_week, pairs=pairs)
    spent += volume.deterministic_time
    if volume.training is None or volume.bound <= bound.volume.bound:  # proved no more
        return bound, spent
    return SeasonBound(bound.weeks, volume, relaxations), spent


def with_long_runs(
    season: SeasonModel, bound: SeasonBound, *, beat: int, deterministic_limit: float, seed: int,
) -> tuple[SeasonBound, float]:
    """``bound`` raised by the split of each week's minutes between its long run and the rest
    (``WeekRelaxations.beside_long_profiles``): the volume relaxation again, with each week's
    long run under V5's growth and V4's share by running days, each week charged the larger
    of its two profiles. Only worth solving where it may prove more than ``beat`` (the best
    bound proven so far). Returns the better bound and the deterministic work spent."""
    if bound.volume.status != cp_model.OPTIMAL:
        # This relaxation holds the plain one and more: where that was not proven within its
        # share, neither is this (w26-r0 and w52-r2 spent their whole share, 1.4 and 0.7
        # units, for nothing, and their window searches then found worse plans).
        return bound, 0.0
    relaxations = bound.relaxations
    skeleton = season.context.skeleton
    before = relaxations.solver.spent
    # Its optimum is at most what it costs at the plain optimum's volumes, so where that is no
    # more than ``beat``, it cannot prove more: a small solve with every volume fixed tells
    # (w52-r4 and w52-r5: 0.74 and 1.06 units otherwise spent to find the plain bound again;
    # w26-r4: 962 where the pair gains already proved 971). (Checking first with each week's
    # units beside its long run in their best range, whose ranges need no staircase, passed
    # on none of these.)
    beside = relaxations.beside_long_profiles(limit=deterministic_limit)
    spent = relaxations.solver.spent - before
    if beside is None or spent >= deterministic_limit:
        return bound, spent
    cannot, used = _cannot_beat(season, bound, beat=beat, deterministic_limit=deterministic_limit - spent, seed=seed,
                                beside_long=beside)
    spent += used
    if cannot:
        return bound, spent
    volume = solve_volume_relaxation(skeleton, deterministic_limit=deterministic_limit - spent,
                                     seed=seed, profiles=bound.weeks.per_week, beside_long=beside,
                                     hint=bound.volume.training)
    spent += volume.deterministic_time
    split = SeasonBound(bound.weeks, volume, relaxations)
    if volume.training is None or split.value <= beat:  # proved no more
        return bound, spent
    return split, spent


def with_potentials(
    season: SeasonModel, bound: SeasonBound, *, junctions: JunctionBound, deterministic_limit: float, seed: int,
) -> tuple[SeasonBound, float]:
    """``bound`` raised by the chains of weeks that their weekends make (``potentials``):
    the volume relaxation again, with each week's profile of its penalty adjusted by the
    potentials of its Monday states. Returns the better bound and the deterministic work
    spent."""
    if not junctions.chained:
        return bound, 0.0
    relaxations = bound.relaxations
    before = relaxations.solver.spent
    states = JunctionPotentials(junctions)
    potentials = states.potentials(limit=deterministic_limit)
    if potentials is None or potentials.chain <= sum(profile.minimum for profile in bound.weeks.per_week):
        # Where the cheapest chain, volumes free, costs no more than each week alone at its
        # best, the potentials have found no chain to charge: the profiles and the volume
        # relaxation are skipped (measured: no bound raised there on the marathon and
        # season-52 examples, w26-r3 or w26-r4; season-52's relaxation alone took 5.5 s).
        return bound, relaxations.solver.spent - before
    profiles = states.profiles(potentials)
    spent = relaxations.solver.spent - before
    if spent >= deterministic_limit:
        return bound, spent
    volume = solve_volume_relaxation(season.context.skeleton, deterministic_limit=deterministic_limit - spent,
                                     seed=seed, profiles=profiles.per_week, hint=bound.volume.training)
    spent += volume.deterministic_time
    adjusted = SeasonBound(profiles, volume, relaxations)
    if volume.training is None or adjusted.value <= bound.value:  # proved no more
        return bound, spent
    return adjusted, spent


def with_joint_chain(
    season: SeasonModel, bound: SeasonBound, *, junctions: JunctionBound, beat: int, enough: int,
    deterministic_limit: float,
) -> tuple[int, JointChain | None, float]:
    """``beat`` raised by the joint chain of volumes and weekends (``junction_chain``): what
    weekends cost at the volumes O1 asks for, which the potentials (volumes free) miss.
    ``enough``: the plan in hand's objective, which stops it once reached. Returns the better
    bound, the joint chain (None where not solved) and the deterministic work spent.

    Solved only where it may prove more than ``beat``: at the relaxation's volumes the joint
    chain costs the relaxation's optimum plus what the weekends cost there beyond the profiles,
    so its optimum is at most that (w52-r4: 1,119 + 87 = 1,206, which the potentials had
    proven; 100 batch athletes at --time-limit 3: 76 with nothing beyond the profiles there)."""
    training = bound.volume.training
    if training is None or not junctions.chained:
        return beat, None, 0.0
    solver = junctions.relaxations.solver
    before = solver.spent
    if bound.volume.status == cp_model.OPTIMAL:
        total = junctions.chain_total(training, limit=deterministic_limit)
        if total is not None:
            beyond = total - sum(profile.at(units) or 0 for profile, units in zip(bound.weeks.per_week, training,
                                                                                 strict=True))
            if bound.value + beyond <= beat:
                return beat, None, solver.spent - before
    season_wide = bound.weeks.season_wide
    joint = solve_joint_chain(season.context.skeleton, bound.weeks.per_week, junctions,
                              limit=deterministic_limit - (solver.spent - before), enough=enough - season_wide)
    spent = solver.spent - before
    if joint is None:
        return beat, None, spent
    return max(beat, joint.value + season_wide), joint, spent


def with_fortnight(season: SeasonModel, bound: SeasonBound, *, deterministic_limit: float, seed: int) -> tuple[SeasonBound, float]:
    """``bound`` raised as ``with_potentials`` raises it, with P11's fortnight before each A
    race carried across Mondays (``WeekRelaxations.with_fortnight``): the week before a
    pre-race window alone lifts on its weekend while the week after holds the fortnight's one
    light session, which no Monday state shows (w52-r4: 14 points each in its two peak weeks).
    Only where the season has such a fortnight across a Monday. Returns the better bound (or
    ``bound``) and the deterministic work spent.

    Why a step of its own, after the week-window search, and not in the junctions the chain and
    the first plan use: there the extra states cost the potentials up to 0.18 units instead of
    0.02 (100 batch athletes at --time-limit 3: 7 plans worse, their window searches left with
    nothing); here only the main search's budget pays, where the bound is still short."""
    fortnight = bound.relaxations.with_fortnight()
    if not fortnight.slices.stands_for:
        return bound, 0.0
    return with_potentials(season, bound, junctions=JunctionBound(fortnight),
                           deterministic_limit=deterministic_limit, seed=seed)


def post_improvement_cut(season: SeasonModel, profiles: SeasonProfiles, model: cp_model.CpModel, *, below: int) -> None:
    """Post on ``model`` (the full model or a clone) that the volume relaxation's objective at
    the plan's weekly minutes (O1 + O2 + each week's ``profiles`` at its volume) is less than
    ``below``, the plan in hand's objective. Every plan costs at least that relaxation value, so
    every plan better than the one in hand keeps it: where the model then has no solution, the
    plan in hand is optimal. Why: CP-SAT's own bound cannot see the week profiles, so on its
    own it must rule out plan after plan; here the minutes of every better plan are pinned to
    the few volume vectors the relaxation allows below ``below`` (the marathon example's last
    3 points: the example proven in 7.1 s instead of 10.3 s; w26-r4 and w26-r5 proven within
    --time-limit 15, where w26-r5 was not before and w26-r4 not with the staircase profiles).
    The plain profiles and those adjusted by the potentials (``potentials``) each give a cut."""
    charges, _ = week_profile_penalty(replace(season.context, model=model), profiles.per_week)
    volume = sum(term for code, term in season.objective_terms.items() if code in VOLUME_OBJECTIVES)
    model.add(volume + sum(charges) + profiles.season_wide <= below - 1)


def restricted_to(season: SeasonModel, units: Sequence[int]) -> cp_model.CpModel:
    """A copy of the season model with every week's training units fixed to ``units``: a
    restriction, so its plans are plans of the full model."""
    restricted = season.model.clone()
    for week, week_units in enumerate(units):
        restricted.add(season.variables.training[week] == week_units)
    return restricted


def pin_days(model: cp_model.CpModel, variables: SeasonVariables, values: dict[int, int]) -> cp_model.CpModel:
    """A copy of ``model`` with each training day's run pinned to ``values`` (the week
    relaxations' best weeks): its type and its easy and quality minutes. Left free: the long
    run's minutes and the strength sessions, which rules link across weeks (V5's long-run
    chain, P9 and P11 over Sunday and Monday), and every week-level and derived variable.
    A restriction, so its plans are plans of ``model``."""
    pinned = model.clone()
    for day, runs in enumerate(variables.run):
        chosen = [literal for kind, literal in runs.items() if kind != RunType.long]
        minutes = [variables.easy_minutes[day], variables.quality_minutes[day]]
        indices = [variable.index for variable in (*chosen, *minutes) if not isinstance(variable, int)]
        fix_variables(pinned, ((index, values[index]) for index in indices if index in values))
    return pinned


def day_indices(variables: SeasonVariables) -> set[int]:
    """The plan's own variables: each day's run literals and minutes and its strength
    sessions. Everything else (week sums, the options of rules across weeks) follows from
    them, so a hint of these alone is one CP-SAT can complete."""
    indices: set[int] = set()
    for day, runs in enumerate(variables.run):
        minutes = (variables.easy_minutes[day], variables.quality_minutes[day], variables.long_minutes[day])
        for variable in (*runs.values(), *variables.strength[day].values(), *minutes):
            if not isinstance(variable, int):
                indices.add(variable.index)
    return indices


def chained_restriction(
    restricted: cp_model.CpModel, variables: SeasonVariables, junctions: JunctionBound, units: Sequence[int], *,
    limit: float, leave_out: frozenset[int] = frozenset(),
) -> tuple[cp_model.CpModel | None, float]:
    """``restricted`` (every week at ``units``) with each Monday's weekend Booleans fixed to
    the cheapest chain of junction states at those volumes (``JunctionBound.chain``), and
    each week's best solution along the chain as the hint (its days only). A restriction, so
    its plans are plans of the full model. The ``leave_out`` junctions (by position) keep
    their Mondays free: ``chain_conflict`` finds those where the chain holds no plan.

    Why: where weekends chain weeks together (the w52-r4 benchmark athlete's Sunday long run
    and two strength sessions compete for the same few days every week), CP-SAT's search on
    the restricted model improves one week at a time and stays far from its optimum (1486
    after 0.7 units, 1206 after 3.2); with the chain's states fixed each week is nearly on its
    own. Returns the model (None where there is no junction to chain, or no chain within
    ``limit`` deterministic work) and the work spent."""
    if not junctions.chained:
        return None, 0.0
    solver = junctions.relaxations.solver
    before = solver.spent
    path = junctions.chain(units, limit=limit)
    if path is None:
        return None, solver.spent - before
    days = day_indices(variables)
    hint: dict[int, int] = {}
    for week, (state_before, state_after) in enumerate(itertools.pairwise(path)):
        solution = junctions.solution(week, units[week], state_before, state_after)
        hint.update((index, value) for index, value in solution.items() if index in days)
    chained = restricted.clone()
    for position in range(len(path)):
        if position not in leave_out:
            _post_chain_state(chained, junctions, path, position, enforce=None)
    replace_hint(chained, hint)
    return chained, solver.spent - before


def _post_chain_state(
    model: cp_model.CpModel, junctions: JunctionBound, path: Sequence[int], position: int,
    *, enforce: cp_model.IntVar | None,
) -> None:
    """Hold junction ``position``'s Monday at its state on ``path`` in ``model`` (a copy of the
    full model): fixed, or only where ``enforce`` is true if given."""
    junction = junctions.junctions[position]
    values = zip(junction.monday, junction.states[path[position]], strict=True)
    if enforce is None:
        fix_variables(model, values)
        return
    for index, value in values:
        model.add(model.get_int_var_from_proto_index(index) == value).only_enforce_if(enforce)


def chain_conflict(
    restricted: cp_model.CpModel, junctions: JunctionBound, units: Sequence[int], *,
    leave_out: frozenset[int], limit: float, seed: int, wall: float,
) -> tuple[frozenset[int] | None, float]:
    """Junctions (by position, outside ``leave_out``) whose chain states no plan of
    ``restricted`` holds together, found as CP-SAT's infeasible core over one assumption per
    junction (a feasibility model, one worker); None where none is found within ``limit``.
    Why: the chain is cheapest week by week, but rules over more than a weekend are not in
    it: V5 caps a week's long run by the two weeks before, and where the chain's Mondays keep
    those weeks' long runs short and the later week's long run off its roomy days, its
    minutes do not fit (seen on w52-r4 with P11's fortnight carried by the junctions, a
    variant not kept: weeks 5, 7 and 9, and 20, 22 and 24, the two peak weeks before a taper
    and the two weeks before each). Returns the junctions and the deterministic work spent."""
    path = junctions.chain(units, limit=limit)
    if path is None:
        return None, 0.0
    model = restricted.clone()
    model.clear_objective()
    model.clear_hints()
    keep: dict[int, int] = {}
    for position in range(len(path)):
        if position in leave_out or not junctions.junctions[position].monday:
            continue
        literal = model.new_bool_var(f"chain_{position}")
        _post_chain_state(model, junctions, path, position, enforce=literal)
        keep[literal.index] = position
    model.add_assumptions([model.get_bool_var_from_proto_index(index) for index in keep])
    solver = _solver(limit, seed, wall)
    code = solver.solve(model)
    if code != cp_model.INFEASIBLE:
        return None, solver.deterministic_time
    core = frozenset(keep[index] for index in solver.sufficient_assumptions_for_infeasibility() if index in keep)
    return core or None, solver.deterministic_time


def widened_restriction(
    model: cp_model.CpModel, variables: SeasonVariables, units: Sequence[int], hint: dict[int, int],
) -> cp_model.CpModel:
    """A copy of ``model`` with every week's training units within ``WIDENED_UNITS`` of
    ``units``, hinted with ``hint``. A restriction, so its plans are plans of ``model``."""
    widened = model.clone()
    for week, week_units in enumerate(units):
        training = variables.training[week]
        widened.add(training >= week_units - WIDENED_UNITS)
        widened.add(training <= week_units + WIDENED_UNITS)
    replace_hint(widened, hint)
    return widened


class StopAtBound(cp_model.CpSolverSolutionCallback):
    """Stops the search at the first plan whose objective reaches a proven lower bound: it is
    optimal, and the proof needs nothing more. Deterministic: the search reaches that plan at
    the same point every time."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def on_solution_callback(self) -> None:
        if round(self.objective_value) <= self.bound:
            self.stop_search()


def _solver(limit: float, seed: int, wall: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(limit, 1e-3)
    solver.parameters.max_time_in_seconds = max(wall, 1e-3)
    return solver


def _dive(solver: cp_model.CpSolver) -> None:
    """Set ``solver`` to dive for a first plan from the hint (``DIVE_BRANCHING``,
    ``DIVE_LINEARIZATION``), stopping there."""
    solver.parameters.stop_after_first_solution = True
    solver.parameters.search_branching = DIVE_BRANCHING
    solver.parameters.linearization_level = DIVE_LINEARIZATION


def _reaches(solver: cp_model.CpSolver, code: int, bound: int) -> bool:
    """``solver`` holds a plan that costs no more than the proven ``bound``: it is optimal."""
    return code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) <= bound


@dataclass(frozen=True)
class FirstPlanModels:
    """Where the first plan is looked for: restrictions of the full model at the volume
    relaxation's weekly minutes, the costly ones built only when asked for."""

    restricted: cp_model.CpModel
    #: ``restricted`` with each day's run pinned (``pin_days``).
    pinned: cp_model.CpModel
    #: Builds the chained model within a deterministic limit (``chained_restriction``): the
    #: model (None: nothing to chain, or no chain within the limit) and the work spent.
    chained: Callable[[float], tuple[cp_model.CpModel | None, float]]
    #: Builds the widened model (``widened_restriction``), for minutes that admit no plan.
    widened: Callable[[], cp_model.CpModel]
    #: Where the chained model holds no plan: the chained model again with the junctions of
    #: one conflict (``chain_conflict``) left free, within a deterministic limit (None: no
    #: conflict found), and the work spent.
    loosened: Callable[[float], tuple[cp_model.CpModel | None, float]] = lambda limit: (None, 0.0)


def _first_plan(
    models: FirstPlanModels, bound: int, *, limit: float, room: float, seed: int, wall: float,
) -> tuple[cp_model.CpSolver, int, float]:
    """The first plan at the relaxation's weekly minutes: the pinned model, then the
    restricted model's attempts, each stopping at ``bound``; where they end without proving
    the restricted model optimal, the chained model too, keeping the better plan; where the
    minutes admit no plan, the widened model's first plan, searched on within ``limit``, and
    where none of these found a plan, the widened model's with all ``room`` left.
    ``limit``: the deterministic work for these attempts; ``room``: all the search has left,
    for the widened model's first plan. (The solver
    holding the plan, or the last one tried; its status; the deterministic work spent.) Where
    the restricted model finds nothing, a pinned plan short of the bound still stands."""

    def first_solver(work: float) -> cp_model.CpSolver:
        solver = _solver(work, seed, wall)
        solver.parameters.max_presolve_iterations = RESTRICTED_PRESOLVE_ITERATIONS
        return solver

    first = first_solver(PINNED_SHARE * limit)
    code = first.solve(models.pinned, StopAtBound(bound))
    spent = first.deterministic_time
    if _reaches(first, code, bound):
        return first, code, spent
    pinned_plan = first if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    for share, level, dive in RESTRICTED_ATTEMPTS:
        first = first_solver(share * limit)
        if dive:
            _dive(first)
        elif level is not None:
            first.parameters.linearization_level = level
        code = first.solve(models.restricted, StopAtBound(bound))
        spent += first.deterministic_time
        if code != cp_model.UNKNOWN:
            break
    if code == cp_model.UNKNOWN and pinned_plan is not None:
        first, code = pinned_plan, cp_model.FEASIBLE
    if code == cp_model.INFEASIBLE:  # no plan at these minutes (so none to chain either)
        return _widened_plan(models.widened(), bound, first_solver, room=room - spent, limit=limit - spent, spent=spent)
    if code == cp_model.OPTIMAL or _reaches(first, code, bound):
        return first, code, spent
    chain, chain_code, used = _chained_plan(models, bound, first_solver, limit)
    spent += used
    found = chain is not None and chain_code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found and (code != cp_model.FEASIBLE or chain.objective_value < first.objective_value):
        return chain, chain_code, spent
    if code == cp_model.UNKNOWN and not found:
        # No plan within the attempts' shares, the chained model's too, though none is ruled
        # out: the widened model, with all that is left (the main search, hinted with minutes
        # that gave no plan, rarely finds one then). 100 batch athletes at --time-limit 3: 2
        # more plans (6 without one -> 4), none lost; tried before the chained model, 3 more
        # and 6 lost, which the chained model had found.
        return _widened_plan(models.widened(), bound, first_solver, room=room - spent, limit=room - spent,
                             spent=spent)
    return first, code, spent


def _chained_plan(
    models: FirstPlanModels, bound: int, first_solver: Callable[[float], cp_model.CpSolver], limit: float,
) -> tuple[cp_model.CpSolver | None, int, float]:
    """The chained model's search, loosened where it holds no plan (``LOOSEN_ROUNDS``): the
    solver (None where there is nothing to chain), its status and the deterministic work."""
    model, spent = models.chained(CHAIN_PATH_SHARE * limit)
    if model is None:
        return None, cp_model.UNKNOWN, spent
    chain = first_solver(CHAIN_SHARE * limit)
    chain_code = chain.solve(model, StopAtBound(bound))
    spent += chain.deterministic_time
    for _ in range(LOOSEN_ROUNDS):
        if chain_code != cp_model.INFEASIBLE:
            break
        model, used = models.loosened(CHAIN_PATH_SHARE * limit)
        spent += used
        if model is None:
            break
        chain = first_solver(CHAIN_SHARE * limit)
        chain_code = chain.solve(model, StopAtBound(bound))
        spent += chain.deterministic_time
    return chain, chain_code, spent


def _widened_plan(
    model: cp_model.CpModel, bound: int, first_solver: Callable[[float], cp_model.CpSolver], *,
    room: float, limit: float, spent: float,
) -> tuple[cp_model.CpSolver, int, float]:
    """The widened model's first plan within ``room``, then searched on from it within
    ``limit`` (both what is left, not totals); as ``_first_plan`` returns, ``spent`` carried."""
    widened = first_solver(room)
    _dive(widened)
    code = widened.solve(model, StopAtBound(bound))
    spent += widened.deterministic_time
    if code != cp_model.FEASIBLE or widened.deterministic_time >= limit:
        return widened, code, spent
    # Then that model searched from its first plan, within the first plan's own limit: the
    # first plan is far from the bound there (w52-r5: 3,039 against 2,315; searched on,
    # 2,413, and the season ends at 2,366 instead of 2,403 at --time-limit 15). 100 batch
    # athletes at --time-limit 3: 3 plans better by 24 points, 3 worse by 17.
    replace_hint(model, dict(enumerate(widened.response_proto.solution)))
    better = first_solver(limit - widened.deterministic_time)
    better_code = better.solve(model, StopAtBound(bound))
    spent += better.deterministic_time
    if better_code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and better.objective_value < widened.objective_value:
        return better, better_code, spent
    return widened, code, spent


def _plan_at(
    restricted: cp_model.CpModel, variables: SeasonVariables, junctions: JunctionBound, units: Sequence[int],
    bound: int, *, limit: float, seed: int, wall: float,
) -> tuple[cp_model.CpSolver | None, float]:
    """A plan at the joint chain's weekly ``units`` (``restricted`` holds them): the chained
    model there (its Mondays at the chain's states), searched within ``limit`` and stopped at
    ``bound``. The joint chain's minutes are where its weekends fit, which the relaxation's
    need not be (batch athlete 15 at --time-limit 10: 3,614 there, 3,615 from the first plan and
    the window search, bound 3,608). Returns the solver holding a plan (None: none found) and
    the work spent."""
    model, spent = chained_restriction(restricted, variables, junctions, units, limit=CHAIN_PATH_SHARE * limit)
    if model is None:
        return None, spent
    solver = _solver(limit - spent, seed, wall)
    solver.parameters.max_presolve_iterations = RESTRICTED_PRESOLVE_ITERATIONS
    code = solver.solve(model, StopAtBound(bound))
    spent += solver.deterministic_time
    return (solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None), spent


@dataclass
class BoundedOutcome:
    """The solver whose values are the plan (a restricted clone shares the full model's
    variable indices), its status for the full model, and the proven bound."""

    solver: cp_model.CpSolver
    code: int
    bound: int


def solve_bounded(
    season: SeasonModel, solver: cp_model.CpSolver, *, seed: int,
) -> BoundedOutcome:
    """Run the bounded search within ``solver``'s limits (deterministic and wall time)."""
    budget = solver.parameters.max_deterministic_time
    wall = solver.parameters.max_time_in_seconds
    bound = season_lower_bound(season, deterministic_limit=budget, seed=seed)
    spent = bound.deterministic_time
    variables = season.variables
    proven = bound.value
    training = bound.volume.training
    # Re-planning (O5) already hints the previous plan, which is what it should stay close to.
    hinted = len(season.model.proto.solution_hint.vars) > 0
    complete_hint = False
    fallback: cp_model.CpSolver | None = None  # the first plan, should the main search find none
    cut_profiles: list[SeasonProfiles] = []  # the profiles the improvement cut is posted with
    if training is not None:
        restricted = restricted_to(season, training)
        week_hint = bound.relaxations.hint(training)
        replace_hint(restricted, week_hint)  # each week at its best for its fixed volume guides the first plan
        relaxations = bound.relaxations
        # The season's junctions, cut once and only when first needed (most seasons never are).
        junctions = functools.cache(lambda: JunctionBound(relaxations))

        left_free: set[int] = set()  # junctions whose chain states conflict (``chain_conflict``)

        def chained(limit: float) -> tuple[cp_model.CpModel | None, float]:
            return chained_restriction(restricted, variables, junctions(), training, limit=limit,
                                       leave_out=frozenset(left_free))

        def loosened(limit: float) -> tuple[cp_model.CpModel | None, float]:
            core, used = chain_conflict(restricted, junctions(), training, leave_out=frozenset(left_free),
                                        limit=limit, seed=seed, wall=wall)
            if core is None:
                return None, used
            left_free.update(core)
            model, more = chained(limit)
            return model, used + more

        def widened() -> cp_model.CpModel:
            return widened_restriction(season.model, variables, training, week_hint)

        models = FirstPlanModels(restricted, pin_days(restricted, variables, week_hint), chained, widened, loosened)
        first, code, used = _first_plan(models, proven, limit=RESTRICTED_SHARE * (budget - spent),
                                        room=budget - spent, seed=seed, wall=wall)
        spent += used
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if _reaches(first, code, proven):  # optimal for the full model
            return BoundedOutcome(first, cp_model.OPTIMAL, proven)
        if found:
            # Without a first plan the budget left goes to finding one, not to a better bound.
            # Potentials first: where weekends chain weeks together they prove what pairs
            # cannot (w52-r4: 1159 against 1114); pairs count links the potentials leave out (a
            # long run's growth, V5), so they follow where the plan is still short. Pair gains
            # are measured against the plain profiles, so they start from the plain bound.
            chained_bound, used = with_potentials(
                season, bound, junctions=junctions(), seed=seed,
                deterministic_limit=min(POTENTIALS_SHARE * budget, budget - spent))
            spent += used
            proven = max(proven, chained_bound.value)
            if _reaches(first, code, proven):
                return BoundedOutcome(first, cp_model.OPTIMAL, proven)
            paired, used = with_pairs(season, bound, beat=proven, seed=seed,
                                      deterministic_limit=min(VOLUME_SHARE * budget, budget - spent))
            spent += used
            proven = max(proven, paired.value)
            if _reaches(first, code, proven):
                return BoundedOutcome(first, cp_model.OPTIMAL, proven)
            cut_profiles = [bound.weeks] if chained_bound is bound else [bound.weeks, chained_bound.weeks]
            size = len(season.model.proto.variables)
            incumbent = Incumbent(list(first.response_proto.solution)[:size], round(first.objective_value), 0.0, first)
            window_limit = WINDOW_SHARE * (budget - spent)
            for weeks in WINDOW_WEEKS:
                found_before = incumbent.objective
                incumbent = improve(season, incumbent, step_limit=WINDOW_STEP,
                                    limit=window_limit - incumbent.deterministic_time, seed=seed,
                                    passes=WINDOW_PASSES, window=weeks, stop_at=proven)
                if incumbent.objective == found_before:  # locally optimal: wider windows are left out
                    break
            spent += incumbent.deterministic_time
            fallback = incumbent.solver or first
            if incumbent.objective <= proven:
                return BoundedOutcome(fallback, cp_model.OPTIMAL, proven)
            # The joint chain after the window search, as the long runs below: on short budgets
            # the plan is worth more than the bound (100 batch athletes at --time-limit 3 with it
            # before: the same 8 proven, but 2 plans worse; here none worse, 5 more bounds raised).
            proven, joint, used = with_joint_chain(season, bound, junctions=junctions(), beat=proven,
                                                   enough=incumbent.objective,
                                                   deterministic_limit=min(JOINT_SHARE * budget, budget - spent))
            spent += used
            if incumbent.objective <= proven:
                return BoundedOutcome(fallback, cp_model.OPTIMAL, proven)
            # At the relaxation's own minutes the first plan has tried the chained model already.
            if joint is not None and joint.settled and joint.training != tuple(training):
                joint_plan, used = _plan_at(restricted_to(season, joint.training), variables, junctions(),
                                            joint.training, proven, seed=seed, wall=wall,
                                            limit=min(JOINT_PLAN_SHARE * budget, budget - spent))
                spent += used
                if joint_plan is not None and round(joint_plan.objective_value) < incumbent.objective:
                    incumbent = Incumbent(list(joint_plan.response_proto.solution)[:size],
                                          round(joint_plan.objective_value), 0.0, joint_plan)
                    fallback = joint_plan
                    if incumbent.objective <= proven:
                        return BoundedOutcome(fallback, cp_model.OPTIMAL, proven)
            # The long runs after the window search: on short budgets the plan is worth more
            # than this bound (100 batch athletes at --time-limit 3 with it before: 7 plans
            # worse, none better, one proof lost).
            split, used = with_long_runs(season, bound, beat=proven, seed=seed,
                                         deterministic_limit=min(VOLUME_SHARE * budget, budget - spent))
            spent += used
            proven = max(proven, split.value)
            if incumbent.objective <= proven:
                return BoundedOutcome(fallback, cp_model.OPTIMAL, proven)
            fortnight, used = with_fortnight(season, bound, seed=seed,
                                             deterministic_limit=min(POTENTIALS_SHARE * budget, budget - spent))
            spent += used
            if fortnight.value > proven:
                proven = fortnight.value
                cut_profiles.append(fortnight.weeks)
            if incumbent.objective <= proven:
                return BoundedOutcome(fallback, cp_model.OPTIMAL, proven)
            if not hinted:
                complete_hint = True
                replace_hint(season.model, dict(enumerate(incumbent.values[:size])))
        elif not hinted:
            for week, units in enumerate(training):
                season.model.add_hint(variables.training[week], units)
    floored = season.model.clone()
    bound_objective(floored, at_least=proven)
    if fallback is not None:  # only plans better than the first are looked for
        for profiles in cut_profiles:
            post_improvement_cut(season, profiles, floored, below=round(fallback.objective_value))
    solver.parameters.max_deterministic_time = max(budget - spent, 1e-3)
    if complete_hint:
        solver.parameters.linearization_level = HINTED_MAIN_LINEARIZATION
    code = solver.solve(floored, StopAtBound(proven))
    if code == cp_model.INFEASIBLE and fallback is None:
        # The floor is a proven bound, so only an infeasible season is infeasible above it;
        # the unfloored model confirms it rather than trusting the bound blindly.
        code = solver.solve(season.model)
    return _main_outcome(solver, code, fallback, proven)


def _main_outcome(solver: cp_model.CpSolver, code: int, fallback: cp_model.CpSolver | None, proven: int) -> BoundedOutcome:
    """The answer once the main search has ended with ``code`` on ``solver``. With a
    ``fallback`` (the plan in hand), that search saw only the plans the improvement cut keeps,
    which include every plan better than the fallback: its optimum, or its bound, speaks only
    of those. So the fallback stands where it found none better (it is optimal where that
    search was complete), and the bound is the lesser of that search's bound and the
    fallback's objective (every plan the cut leaves out costs at least the fallback)."""
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    best = math.ceil(solver.best_objective_bound - 1e-6) if found and math.isfinite(solver.best_objective_bound) else None
    if fallback is None:
        return BoundedOutcome(solver, code, proven if best is None else max(proven, best))
    in_hand = round(fallback.objective_value)
    if code == cp_model.INFEASIBLE:  # no plan better than the fallback
        return BoundedOutcome(fallback, cp_model.OPTIMAL, in_hand)
    bound = max(proven, min(in_hand, best if best is not None else proven))
    if found and round(solver.objective_value) < in_hand:
        return BoundedOutcome(solver, cp_model.OPTIMAL if round(solver.objective_value) <= bound else cp_model.FEASIBLE,
                              bound)
    # Re-planning hints the previous plan instead of the first plan; where that search ends
    # empty-handed, or with no better plan, the fallback (a plan of the full model) is the answer.
    return BoundedOutcome(fallback, cp_model.OPTIMAL if in_hand <= bound else cp_model.FEASIBLE, bound)
