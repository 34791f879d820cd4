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
reaches the bound, that is a proof of optimality. On small models (8-16-week seasons) the main
search below then runs briefly from the first plan (``_quick_proof``): CP-SAT proves those
within a fraction of a unit, sooner than the steps below. Otherwise the bound is raised by the chains
of weeks their weekends make, each week's profile adjusted by the potentials of its Monday
states (``with_potentials``), then by what neighbouring weeks pay together (``with_pairs``); the
plan is improved a few weeks at a time (``hint.improve``); the bound is raised once more by how
each week's minutes split between its long run and the rest (``with_long_runs``) and by P11's
fortnight before an A race carried across Mondays (``with_fortnight``; within a relative gap
right after the potentials instead, where it may accept the plan in hand sooner, and both
before the first plan's chained model where the budget has room, so that it stops at the plan
the gap accepts); and the full model is
searched from that plan as a complete hint, with the bound in place, for plans
better than it only: their weekly minutes must keep the volume relaxation's objective below
the plan's (``post_improvement_cut``), and where no such plan exists, the plan is optimal.

Nothing here changes what is optimal. Where two plans tie, this search may return the other.

This module orders the steps within the budget; each lives in its own: ``season_bound`` (the
bound and the steps that raise it), ``first_plan`` (the first plan's attempts),
``restrictions`` (the restricted models they search) and ``hint`` (the week-window search).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.solver.cpsat import new_solver
from periodize.solver.first_plan import (
    FirstPlanModels,
    StopAtBound,
    chain_conflict,
    dived_plan,
    find_first_plan,
    plan_at,
    reaches,
)
from periodize.solver.hint import Incumbent, improve
from periodize.solver.junctions import JunctionBound
from periodize.solver.model import SeasonModel, bound_objective, replace_hint
from periodize.solver.restrictions import (
    chained_restriction,
    pin_days,
    restricted_to,
    widened_restriction,
)
from periodize.solver.season_bound import (
    VOLUME_SHARE,
    SeasonBound,
    post_improvement_cut,
    season_lower_bound,
    with_fortnight,
    with_joint_chain,
    with_long_runs,
    with_pairs,
    with_potentials,
)
from periodize.solver.weeks import SeasonProfiles

#: The first plan's cap, as a share of what the bound left of the budget (see
#: ``season_bound.VOLUME_SHARE`` for why the caps are generous).
RESTRICTED_SHARE = 0.5
#: Linear relaxation level of the main search when it starts from a complete plan: level 2
#: proved w52-r0 and w52-r3 optimal in 3-4 s and w26-r4 in 9 s, where the default level proved
#: none of them in 15 s. Without a starting plan the default level is kept: level 2 then found
#: no plan at all on w26-r0 within 15 s.
HINTED_MAIN_LINEARIZATION = 2
#: The potentials' share of the budget (``with_potentials``), asked only when the first plan
#: is short of the bound: one solve per Monday state of each junction, one profile per
#: distinct week with its potentials, and the volume relaxation again. On w52-r4 about 0.3
#: units (2.5 s), on the what-if benchmark's C-10k scenario 0.03 (0.6 s).
POTENTIALS_SHARE = 0.3
#: The least budget left (units) for the pairs to be asked at the relaxation's volumes too
#: (``with_pairs``): a solve per linked pair, about 0.1 units on a 26- or 52-week season, and
#: a dozen pair profiles where they pay more there. On short budgets the week-window search
#: needs that work more (100 batch athletes at --time-limit 3, asked with 0.35 units left: 9
#: plans worse, one proof lost); the generated 52-week season of seed 10 at --time-limit 15,
#: with 3.1 units left, is proven by it (bound 630 -> 638).
AT_VOLUMES_ROOM = 1.0
#: The joint chain's share (``with_joint_chain``), asked after the week-window search where the
#: plan is still short of the bound: its entries, a few dozen solves per distinct week and
#: volume on its path (100 batch athletes at --time-limit 3: 0.01-0.21 units where solved).
JOINT_SHARE = 0.3
#: The share of the search at the joint chain's minutes (``plan_at``), where its path is
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
#: Where every step above leaves the plan short of the bound, a second start before the main
#: search (``_second_start``): a plan at the relaxation's weekly minutes dived for from the
#: week hint (``first_plan.dived_plan``, within this share of what is left), and the
#: week-window search from it (within ``WINDOW_SHARE`` of what is left then), the better plan
#: kept. Why: the windows end where no two or three weeks can improve together, and the
#: first plan decides where that is. The generated 52-week season of seed 2: the restricted
#: model's optimum at the relaxation's minutes (1,458, proven by level 2) is such a place;
#: from the dive's plan there (1,481) the windows reach 1,441, the bound, so the season is
#: proven in 8.0 s instead of ending at 1,458 / 1,441 after 17.5 s (target family benchmark).
#: Skipped where the dive's plan is the first plan (the dive found it: the windows would only
#: repeat themselves). 100 batch athletes at --time-limit 3: athlete 38 proven (280, 282 / 275
#: before), none worse.
SECOND_START_SHARE = 0.1
#: A quick proof right after the first plan, where the first plan falls short of the bound
#: and the model is small (``_quick_proof``): the main search from the first plan (only plans
#: better than it, the bound posted) within ``QUICK_PROOF_LIMIT`` units, on models of at most
#: ``QUICK_PROOF_MOST_VARIABLES`` variables (8-16-week seasons; 26 weeks have about 2,400-3,000).
#: Why: there CP-SAT's own search proves the first plan optimal, or finds the optimum, within a
#: fraction of a unit, while the bound's steps cost seconds of Python work before the main
#: search does just that (w08-r4: 3.1 s, its main search 0.09 units at the end; now 0.8 s).
#: Measured at --time-limit 15 on 72 small seasons (60 generated 8- and 12-week seasons with
#: 0-5 races, seeds 1-5, and the 12 such benchmark instances), old and new code alternating:
#: 88.6-92.1 s -> 57.4-62.2 s in all (12:4:1 3.8 -> 0.8 s, w08-r4 3.6 -> 0.9 s), the same
#: objectives; one proof lost (12:0:5, whose main search needs 3.27 of the 3.32 units it has,
#: proven at 14.6 s before). On larger models it rarely proves within the limit and its work is missed later:
#: asked on every model, 55 of the batch benchmark's 26-week athletes at --time-limit 3 gave 9
#: plans worse, one proof lost and nothing better; on the 26- and 52-week benchmark instances
#: it proved none, and the marathon example (2,284 variables) took 0.8 s longer.
QUICK_PROOF_LIMIT = 0.1
QUICK_PROOF_MOST_VARIABLES = 2000
#: Within a relative gap (``--gap``), P11's fortnight (``with_fortnight``) is asked right after
#: the potentials, before the pairs and the window search, where at least this much of the
#: budget (units) is left; otherwise, and always at gap 0, after the long runs. Why: within a
#: gap the fortnight is often the bound that accepts the plan in hand, and the steps before its
#: late place only improve plans and raise bounds the gap does not need. w52-r4 at
#: --time-limit 15 (1.96 units left there): its first plan is its plan at the end (1,238), and
#: the fortnight's 1,228 accepts it at --gap 1 and 2, while the pairs, the window search and the
#: long runs (about 4.5 s) found nothing: 13.7 -> 10.1 s at --gap 1, 14.4 -> 10.5 s at 2 (medians
#: of 3, interleaved). Where it proves nothing it costs little (season-52: 0.006 units, 0.3 s);
#: w52-r1, w52-r2, w52-r5, season-52, w26-r3 and w26-r5 at --gap 1, 2 and 5 kept their plans,
#: bounds and statuses. The room, as ``AT_VOLUMES_ROOM``'s: on short budgets the window search
#: needs the work more. Asked first on every budget, 40 batch athletes at --time-limit 3 (0.75
#: units in all) at --gap 1 gave 2 plans worse (athlete 3 4,578 -> 4,595, 23 6,161 -> 6,166:
#: first plans 2.5-3 % above the bound, where the fortnight took 0.11-0.13 units for nothing).
#: With ``RAISED_FIRST_ROOM`` left before the first plan, the potentials and the fortnight may
#: come earlier still, before the first plan's chained model.
FORTNIGHT_FIRST_ROOM = 1.0
#: Within a relative gap, where the restricted model's attempts leave a plan the plain bound
#: does not accept, the potentials and the fortnight (``_raise_by_chains``) are asked before the
#: first plan's chained model, which then stops at the first plan the raised bound accepts
#: (``find_first_plan``'s ``raised``), where at least this much of the budget (units) is left
#: before the first plan; a restricted plan the plain bound accepts ends the search at once,
#: without the chained model. Why: the chained model otherwise spends its whole share searching
#: toward the plain bound. w52-r4 at --time-limit 15: it finds 1,238 0.11 units into its search
#: and searched 0.63 units more toward 1,123; now it stops at 1,238, which the fortnight's 1,228
#: accepts at 1 %: 10.2 -> 7.9 s at --gap 1 (medians of 3, interleaved), 11.1 -> 7.2 s at 2 %
#: (1,244 / 1,228 instead of 1,238 / 1,228: the first plan within 2 %), 10.2 -> 8.3 s at 5 %
#: (1,244 / 1,228 instead of 1,238 / 1,210). season-52 at --gap 2 and 5: its restricted plan,
#: 1,487, is within 2 % of the plain bound (1,458): 7.8 -> 4.7 s, 8.5 -> 5.2 s, the same plan.
#: Of w52-r1, w52-r2, w52-r5, w26-r3 and w26-r5 none reaches the chained model: the same steps.
#: Where the potentials and the fortnight prove no more than the plain bound, the chained model
#: stops at the plain bound as before: stopped at the plan the plain bound accepts, 2 of 40 batch
#: athletes at --time-limit 5 --gap 1 got worse plans for next to no time (athlete 11 4,355 ->
#: 4,387, 15 3,615 -> 3,630). The restricted model's attempts keep stopping at the plain bound
#: too: stopped at the plan it accepts, w52-r1 lost its proof at --gap 1 and 2 (optimal 454 ->
#: 457 / 454, the same time) and w26-r5 at --gap 2 ended at 635 instead of 631. The room: on a
#: short budget the chained model's share is small, so stopping it sooner saves little, while
#: the potentials before it are lost where the chained model's plan is accepted by the plain
#: bound (athletes 11 and 15 at --time-limit 5: 0.25-0.4 s); w52-r4 at --time-limit 5 (1.25
#: units) came out the same either way (1,238 / 1,228, 8.5 against 8.3 s). At --time-limit 3
#: with no room asked, 40 batch athletes kept every plan, bound and status.
RAISED_FIRST_ROOM = 2.0


@dataclass
class BoundedOutcome:
    """The solver whose values are the plan (a restricted clone shares the full model's
    variable indices), its status for the full model, and the proven bound."""

    solver: cp_model.CpSolver
    code: cp_model.CpSolverStatus
    bound: int


def solve_bounded(
    season: SeasonModel, solver: cp_model.CpSolver, *, seed: int, relative_gap: float = 0.0, floor: int | None = None,
) -> BoundedOutcome:
    """Run the bounded search within ``solver``'s limits (deterministic and wall time).
    ``relative_gap``: stop at the first plan proven within this share of the best (its
    objective less the proven bound, over its objective: ``gap`` in the README); 0 searches
    on until the plan is proven optimal or the budget is spent. ``floor``: a lower bound
    proven before (a relaxation's), which the search starts from where it is the higher."""
    budget = solver.parameters.max_deterministic_time
    wall = solver.parameters.max_time_in_seconds
    bound = season_lower_bound(season, deterministic_limit=budget, seed=seed)
    spent = bound.deterministic_time
    variables = season.variables
    proven = max(bound.value, floor or 0)
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

        def widened(width: int | None) -> cp_model.CpModel:
            return widened_restriction(season.model, variables, training, week_hint, width)

        models = FirstPlanModels(restricted, pin_days(restricted, variables, week_hint), chained, widened, loosened)
        fortnight_first: bool | None = None  # None: the potentials not asked yet

        def raised(in_hand: int, used: float) -> tuple[int, float]:
            """The chained model's stop bound within a gap (``RAISED_FIRST_ROOM``)."""
            nonlocal proven, cut_profiles, fortnight_first
            plain = proven
            if in_hand <= accepted(plain, relative_gap):  # accepted already: no chained model
                return accepted(plain, relative_gap), 0.0
            proven, cut_profiles, fortnight_first, more = _raise_by_chains(
                season, bound, proven, junctions(), in_hand=in_hand, relative_gap=relative_gap,
                left=budget - spent - used, budget=budget, seed=seed)
            return (accepted(proven, relative_gap) if proven > plain else plain), more

        early = relative_gap > 0 and budget - spent >= RAISED_FIRST_ROOM
        first, code, used = find_first_plan(models, proven, limit=RESTRICTED_SHARE * (budget - spent),
                                            room=budget - spent, seed=seed, wall=wall,
                                            raised=raised if early else None)
        spent += used
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if reaches(first, code, accepted(proven, relative_gap)):  # optimal, or close enough, for the full model
            return _close(first, proven)
        if found and not hinted and len(season.model.proto.variables) <= QUICK_PROOF_MOST_VARIABLES:
            quick, quick_code, used = _quick_proof(season, first, proven, bound.weeks, solver,
                                                   limit=min(QUICK_PROOF_LIMIT, budget - spent))
            spent += used
            # As the main search's answer: its model holds every plan better than the first,
            # and worse ones too (the cut reads the relaxation at a plan's minutes, not its
            # objective), so an optimum of it above the first plan proves the first plan.
            outcome = _main_outcome(quick, quick_code, first, proven)
            if outcome.code == cp_model.OPTIMAL or reaches(outcome.solver, cp_model.FEASIBLE,
                                                           accepted(outcome.bound, relative_gap)):
                return outcome
            first, proven = outcome.solver, outcome.bound  # a better plan, or the first; a bound
        if found:
            # Without a first plan the budget left goes to finding one, not to a better bound.
            # Potentials first: where weekends chain weeks together they prove what pairs
            # cannot (w52-r4: 1159 against 1114); pairs count links the potentials leave out (a
            # long run's growth, V5), so they follow where the plan is still short. Pair gains
            # are measured against the plain profiles, so they start from the plain bound.
            if fortnight_first is None:  # not asked before the chained model (``raised``)
                proven, cut_profiles, fortnight_first, used = _raise_by_chains(
                    season, bound, proven, junctions(), in_hand=round(first.objective_value),
                    relative_gap=relative_gap, left=budget - spent, budget=budget, seed=seed)
                spent += used
                if reaches(first, code, accepted(proven, relative_gap)):
                    return _close(first, proven)
            paired, used = with_pairs(season, bound, beat=proven, seed=seed,
                                      at_volumes=budget - spent >= AT_VOLUMES_ROOM,
                                      deterministic_limit=min(VOLUME_SHARE * budget, budget - spent))
            spent += used
            proven = max(proven, paired.value)
            if reaches(first, code, accepted(proven, relative_gap)):
                return _close(first, proven)
            size = len(season.model.proto.variables)
            incumbent = Incumbent(list(first.response_proto.solution)[:size], round(first.objective_value), 0.0, first)
            incumbent = _window_search(season, incumbent, limit=WINDOW_SHARE * (budget - spent), seed=seed,
                                       stop_at=accepted(proven, relative_gap))
            spent += incumbent.deterministic_time
            fallback = incumbent.solver or first
            if incumbent.objective <= accepted(proven, relative_gap):
                return _close(fallback, proven)
            # The joint chain after the window search, as the long runs below: on short budgets
            # the plan is worth more than the bound (100 batch athletes at --time-limit 3 with it
            # before: the same 8 proven, but 2 plans worse; here none worse, 5 more bounds raised).
            proven, joint, used = with_joint_chain(season, bound, junctions=junctions(), beat=proven,
                                                   enough=incumbent.objective,
                                                   deterministic_limit=min(JOINT_SHARE * budget, budget - spent))
            spent += used
            if incumbent.objective <= accepted(proven, relative_gap):
                return _close(fallback, proven)
            # At the relaxation's own minutes the first plan has tried the chained model already.
            if joint is not None and joint.settled and joint.training != tuple(training):
                joint_plan, used = plan_at(restricted_to(season, joint.training), variables, junctions(),
                                            joint.training, proven, seed=seed, wall=wall,
                                            limit=min(JOINT_PLAN_SHARE * budget, budget - spent))
                spent += used
                if joint_plan is not None and round(joint_plan.objective_value) < incumbent.objective:
                    incumbent = Incumbent(list(joint_plan.response_proto.solution)[:size],
                                          round(joint_plan.objective_value), 0.0, joint_plan)
                    fallback = joint_plan
                    if incumbent.objective <= accepted(proven, relative_gap):
                        return _close(fallback, proven)
            # The long runs after the window search: on short budgets the plan is worth more
            # than this bound (100 batch athletes at --time-limit 3 with it before: 7 plans
            # worse, none better, one proof lost).
            split, used = with_long_runs(season, bound, beat=proven, seed=seed,
                                         deterministic_limit=min(VOLUME_SHARE * budget, budget - spent))
            spent += used
            proven = max(proven, split.value)
            if incumbent.objective <= accepted(proven, relative_gap):
                return _close(fallback, proven)
            if not fortnight_first:
                proven, used = _raise_by_fortnight(season, bound, proven, cut_profiles, seed=seed,
                                                   limit=min(POTENTIALS_SHARE * budget, budget - spent))
                spent += used
                if incumbent.objective <= accepted(proven, relative_gap):
                    return _close(fallback, proven)
            # The second start last: where a step above proves the plan in hand optimal, its
            # work would be lost (w26-r5: the fortnight proves the first plan, 541; a second
            # start before it cost 0.09 units, about 1 s, for the same plan).
            second, used = _second_start(season, restricted, first, proven, limit=budget - spent, seed=seed, wall=wall,
                                         stop_at=accepted(proven, relative_gap))
            spent += used
            if second is not None and second.objective < incumbent.objective:
                incumbent, fallback = second, second.solver
                if incumbent.objective <= accepted(proven, relative_gap):
                    assert fallback is not None  # a second start's plan carries its solver (``_second_start``)
                    return _close(fallback, proven)
            if not hinted:
                complete_hint = True
                replace_hint(season.model, dict(enumerate(incumbent.values[:size])))
        elif not hinted:
            for week, units in enumerate(training):
                season.model.add_hint(variables.training[week], units)
    floored = _search_model(season, proven, fallback, cut_profiles)
    solver.parameters.max_deterministic_time = max(budget - spent, 1e-3)
    if complete_hint:
        solver.parameters.linearization_level = HINTED_MAIN_LINEARIZATION
    code = solver.solve(floored, StopAtBound(proven))
    if code == cp_model.INFEASIBLE and fallback is None:
        # The floor is a proven bound, so only an infeasible season is infeasible above it;
        # the unfloored model confirms it rather than trusting the bound blindly.
        code = solver.solve(season.model)
    return _main_outcome(solver, code, fallback, proven)


def _raise_by_chains(
    season: SeasonModel, bound: SeasonBound, proven: int, junctions: JunctionBound, *, in_hand: int,
    relative_gap: float, left: float, budget: float, seed: int,
) -> tuple[int, list[SeasonProfiles], bool, float]:
    """``proven`` raised by the potentials (``with_potentials``) and, within a gap and with
    ``FORTNIGHT_FIRST_ROOM`` of the budget still ``left`` after them, by P11's fortnight where
    the potentials do not accept ``in_hand`` (the plan's objective). Why one step: the bounded
    search asks it after the first plan, or within a gap before the first plan's chained model
    (``RAISED_FIRST_ROOM``). Returns the bound, the profiles the improvement cut is posted with,
    whether the fortnight is asked here (not after the long runs), and the work spent."""
    chained_bound, spent = with_potentials(season, bound, junctions=junctions, seed=seed,
                                           deterministic_limit=min(POTENTIALS_SHARE * budget, left))
    proven = max(proven, chained_bound.value)
    cut_profiles = [bound.weeks] if chained_bound is bound else [bound.weeks, chained_bound.weeks]
    fortnight_first = relative_gap > 0 and left - spent >= FORTNIGHT_FIRST_ROOM
    if fortnight_first and in_hand > accepted(proven, relative_gap):
        proven, used = _raise_by_fortnight(season, bound, proven, cut_profiles, seed=seed,
                                           limit=min(POTENTIALS_SHARE * budget, left - spent))
        spent += used
    return proven, cut_profiles, fortnight_first, spent


def _raise_by_fortnight(
    season: SeasonModel, bound: SeasonBound, proven: int, cut_profiles: list[SeasonProfiles], *, limit: float,
    seed: int,
) -> tuple[int, float]:
    """``proven`` raised by P11's fortnight (``with_fortnight``) within ``limit``, its profiles
    added to ``cut_profiles`` where it proves more: the bound and the deterministic work spent."""
    fortnight, used = with_fortnight(season, bound, seed=seed, deterministic_limit=limit)
    if fortnight.value <= proven:
        return proven, used
    cut_profiles.append(fortnight.weeks)
    return fortnight.value, used


def accepted(proven: int, relative_gap: float) -> int:
    """The costliest plan within ``relative_gap`` of a proven bound: ``objective - proven <=
    relative_gap * objective``, so up to ``proven / (1 - relative_gap)``. At 0, the bound itself
    (only an optimal plan is accepted)."""
    return proven if relative_gap <= 0 else math.floor(proven / (1 - relative_gap) + 1e-9)


def _close(plan: cp_model.CpSolver, proven: int) -> BoundedOutcome:
    """The answer where ``plan`` is accepted: optimal where it reaches the bound, else feasible
    within the relative gap asked for."""
    return BoundedOutcome(plan, cp_model.OPTIMAL if round(plan.objective_value) <= proven else cp_model.FEASIBLE, proven)


def _search_model(
    season: SeasonModel, proven: int, in_hand: cp_model.CpSolver | None, cut_profiles: list[SeasonProfiles],
) -> cp_model.CpModel:
    """The full model as the main search sees it: the proven bound posted as the objective's
    floor and, with a plan in hand, only plans better than it (``post_improvement_cut``, one
    cut per profiles)."""
    floored = season.model.clone()
    bound_objective(floored, at_least=proven)
    if in_hand is not None:
        for profiles in cut_profiles:
            post_improvement_cut(season, profiles, floored, below=round(in_hand.objective_value))
    return floored


def _quick_proof(
    season: SeasonModel, first: cp_model.CpSolver, proven: int, profiles: SeasonProfiles, solver: cp_model.CpSolver,
    *, limit: float,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, float]:
    """The main search from the first plan within ``limit`` (``QUICK_PROOF_LIMIT``), as the main
    search at the end runs (``_search_model``, the plan as a complete hint, level 2), with the
    main search's own parameters (workers, seed, wall time). Skipped where the model holds a
    previous plan's hint (re-planning, O5): the main search keeps that hint. The solver, its
    status and its work."""
    size = len(season.model.proto.variables)
    model = _search_model(season, proven, first, [profiles])
    replace_hint(model, dict(enumerate(list(first.response_proto.solution)[:size])))
    quick = new_solver()
    quick.parameters.copy_from(solver.parameters)
    quick.parameters.max_deterministic_time = max(limit, 1e-3)
    quick.parameters.linearization_level = HINTED_MAIN_LINEARIZATION
    code = quick.solve(model, StopAtBound(proven))
    return quick, code, quick.deterministic_time


def _window_search(season: SeasonModel, incumbent: Incumbent, *, limit: float, seed: int, stop_at: int) -> Incumbent:
    """The week-window search (``hint.improve``) from ``incumbent`` within ``limit``: two weeks
    at a time, then three where two improved it (``WINDOW_WEEKS``); stopped at ``stop_at``.
    The incumbent returned carries the work spent from ``incumbent``'s on."""
    for weeks in WINDOW_WEEKS:
        found_before = incumbent.objective
        incumbent = improve(season, incumbent, step_limit=WINDOW_STEP, limit=limit - incumbent.deterministic_time,
                            seed=seed, passes=WINDOW_PASSES, window=weeks, stop_at=stop_at)
        if incumbent.objective == found_before:  # locally optimal: wider windows are left out
            break
    return incumbent


def _second_start(
    season: SeasonModel, restricted: cp_model.CpModel, first: cp_model.CpSolver, proven: int, *, limit: float,
    seed: int, wall: float, stop_at: int,
) -> tuple[Incumbent | None, float]:
    """The week-window search from a second plan at the relaxation's minutes
    (``SECOND_START_SHARE``): the plan it ends at (None: no second plan, or the dive's plan is
    ``first``'s), and the work spent within ``limit``."""
    dived, spent = dived_plan(restricted, proven, limit=SECOND_START_SHARE * limit, seed=seed, wall=wall)
    if dived is None:
        return None, spent
    size = len(season.model.proto.variables)
    values = list(dived.response_proto.solution)[:size]
    if values == list(first.response_proto.solution)[:size]:
        return None, spent
    incumbent = Incumbent(values, round(dived.objective_value), 0.0, dived)
    incumbent = _window_search(season, incumbent, limit=WINDOW_SHARE * (limit - spent), seed=seed, stop_at=stop_at)
    return incumbent, spent + incumbent.deterministic_time


def _main_outcome(
    solver: cp_model.CpSolver, code: cp_model.CpSolverStatus, fallback: cp_model.CpSolver | None, proven: int,
) -> BoundedOutcome:
    """The answer once the main search has ended with ``code`` on ``solver``. With a
    ``fallback`` (the plan in hand), that search saw only the plans the improvement cut keeps,
    which include every plan better than the fallback: its optimum, or its bound, speaks only
    of those. So the fallback stands where it found none better (it is optimal where that
    search was complete), and the bound is the lesser of that search's bound and the
    fallback's objective (every plan the cut leaves out costs at least the fallback)."""
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    best = math.ceil(solver.best_objective_bound - 1e-6) if found and math.isfinite(solver.best_objective_bound) else None
    if fallback is None:
        bound = proven if best is None else max(proven, best)
        if code == cp_model.OPTIMAL and round(solver.objective_value) > bound:  # stopped by the relative gap
            code = cp_model.FEASIBLE
        return BoundedOutcome(solver, code, bound)
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
