"""The season's proven lower bound, and the steps that raise it where a plan falls short.

Why a module of its own: the bound is what ``bounded``'s proof rests on, and each step here
(the week and volume relaxations, then pairs, long runs, potentials, the joint chain and P11's
fortnight) is a relaxation whose optimum no plan can beat; ``bounded`` only decides when to
ask for each, within what share of the budget. Nothing here searches for plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from periodize.solver.junction_chain import JointChain, solve_joint_chain
from periodize.solver.junctions import JunctionBound
from periodize.solver.model import SeasonModel
from periodize.solver.potentials import JunctionPotentials
from periodize.solver.relaxation import (
    VOLUME_OBJECTIVES,
    VolumeRelaxation,
    most_training_units,
    solve_volume_relaxation,
    week_profile_penalty,
)
from periodize.solver.rules.objectives import (
    o2_beyond_fewest_strength,
    o2_strength_weeks,
    objective_o2,
)
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
#: The week profiles' staircases, as a share of the budget (``WeekRelaxations.profiles``).
#: Fresh solves stay far below it (100 batch athletes at --time-limit 3: at most 17 %; the
#: season-52 example at 3: 35 %); a re-plan of 52 weeks (O5) would spend 156 %.
PROFILES_SHARE = 0.4
#: Deterministic limit for one week's model (they take milliseconds; this only guards).
WEEK_LIMIT = 0.5


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
    # The week models come from a copy that also says what O2 charges each week beyond the
    # relaxation's O2 (``o2_beyond_fewest_strength``): the week's placement pays it. Most
    # athletes' sessions never take a week over budget: no copy then (about 4 ms on 26 weeks).
    week_model = season.model.clone() if o2_strength_weeks(skeleton) else season.model
    beyond = o2_beyond_fewest_strength(replace(season.context, model=week_model))
    placement = beyond + sum(term for code, term in season.objective_terms.items() if code not in VOLUME_OBJECTIVES)
    volume_terms = sum(term for code, term in season.objective_terms.items() if code in VOLUME_OBJECTIVES)
    training = [variable.index for variable in season.variables.training]
    relaxations = WeekRelaxations(week_model, training, placement, bounded_elsewhere=volume_terms, seed=seed,
                                  limit_per_solve=min(WEEK_LIMIT, WEEKS_SHARE * deterministic_limit),
                                  long_run=[variable.index for variable in season.variables.long_run],
                                  size=len(season.model.proto.variables), most_units=most_training_units(skeleton))
    weeks = relaxations.profiles(limit=PROFILES_SHARE * deterministic_limit)
    volume = solve_volume_relaxation(skeleton, deterministic_limit=VOLUME_SHARE * deterministic_limit, seed=seed,
                                     profiles=weeks.per_week)
    return SeasonBound(weeks, volume, relaxations)


def _relaxed(season: SeasonModel, bound: SeasonBound, *, beat: int, deterministic_limit: float, seed: int,
             hint: Sequence[int] | None = None, **relaxed: Any) -> tuple[VolumeRelaxation | None, float]:
    """The volume relaxation with ``relaxed`` (pairs, or the profiles beside the long runs),
    unless it costs no more than ``beat`` at the plain optimum's volumes: its optimum is at
    most that, so it cannot prove more, and a small solve with every volume fixed spares the
    whole one (None then). Returns it and the deterministic work spent on both."""
    skeleton = season.context.skeleton
    at_plain = solve_volume_relaxation(skeleton, deterministic_limit=deterministic_limit, seed=seed,
                                       profiles=bound.weeks.per_week, fixed=bound.volume.training, **relaxed)
    spent = at_plain.deterministic_time
    if at_plain.status == cp_model.OPTIMAL and at_plain.bound + bound.weeks.season_wide <= beat:
        return None, spent
    volume = solve_volume_relaxation(skeleton, deterministic_limit=deterministic_limit - spent, seed=seed,
                                     profiles=bound.weeks.per_week, hint=hint, **relaxed)
    return volume, spent + volume.deterministic_time


#: The pairs' own profiles' share of their step's limit (``WeekRelaxations.pair_profiles``):
#: each is about ten solves of a two-week model, and a season may ask for a dozen (batch athlete
#: 67 at --time-limit 3: 0.21 units, which its week-window search then lacked).
PAIR_PROFILES_SHARE = 0.5


def with_pairs(
    season: SeasonModel, bound: SeasonBound, *, beat: int, deterministic_limit: float, seed: int,
    at_volumes: bool = True,
) -> tuple[SeasonBound, float]:
    """``bound`` raised by what neighbouring weeks pay together (``weeks.PairGain``): the
    links between weeks that the week relaxations drop. Asked only when the first plan falls
    short of the bound, since most seasons need none of it, and solved only where it may prove
    more than ``beat`` (``_relaxed``). ``at_volumes``: each pair also asked at the plain
    optimum's volumes, where it may pay more than over its best ranges
    (``WeekRelaxations.pair_gains``). The volume relaxation with pairs is a chain too
    (``volume_dp``, each pair's charge a table by the two weeks' units), so it is usually
    answered without CP-SAT's search (generated 52-week season of seed 10: 0.2 s of wall time
    where CP-SAT's relaxation took 4 s). Returns the better bound and the deterministic work
    spent."""
    relaxations = bound.relaxations
    before = relaxations.solver.spent
    gains = relaxations.pair_gains(bound.weeks.per_week, at=bound.volume.training if at_volumes else None)
    pairs = relaxations.pair_profiles(summable(gains), limit=PAIR_PROFILES_SHARE * deterministic_limit)
    spent = relaxations.solver.spent - before
    if not pairs or bound.volume.training is None:
        return bound, spent
    volume, used = _relaxed(season, bound, beat=beat, deterministic_limit=deterministic_limit - spent, seed=seed,
                            pairs=pairs)
    spent += used
    if volume is None or volume.training is None or volume.bound <= bound.volume.bound:  # proved no more
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
    volume, used = _relaxed(season, bound, beat=beat, deterministic_limit=deterministic_limit - spent, seed=seed,
                            hint=bound.volume.training, beside_long=beside)
    spent += used
    if volume is None or volume.training is None:
        return bound, spent
    split = SeasonBound(bound.weeks, volume, relaxations)
    if split.value <= beat:  # proved no more
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
    nothing); here only the main search's budget pays, where the bound is still short. Within a
    relative gap (``--gap``) the bounded search asks it right after the potentials instead, where
    it may accept the plan in hand before the pairs and the window search (``bounded``)."""
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
    context = replace(season.context, model=model)
    charges, _ = week_profile_penalty(context, profiles.per_week)
    volume = sum(term for code, term in season.objective_terms.items() if code in VOLUME_OBJECTIVES)
    if o2_strength_weeks(context.skeleton):
        # The profiles charge O2 beyond its charge at the fewest strength minutes (see
        # ``season_lower_bound``): so O2 here at those minutes, as the relaxation charges it.
        volume = season.objective_terms.get("O1", 0) + objective_o2(context, context.skeleton.minimum_strength_minutes)
    model.add(volume + sum(charges) + profiles.season_wide <= below - 1)
