"""The first plan: searched at the volume relaxation's weekly minutes, where the bound was proven.

Why a module of its own: a first plan that reaches the bound is the whole proof on most
seasons (w26-r1's pinned first plan), and where it does not, everything after it (the
week-window search, the main search's improvement cut) starts from it. The attempts here run
in order, each within a share of the first plan's budget and each stopping at the bound: the
pinned model, the restricted model's attempts, the chained model (loosened where it holds no
plan), and the widened model where the minutes admit no plan. Within a gap the bounded search
may raise the chained model's stop bound first (``bounded.RAISED_FIRST_ROOM``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.solver.cpsat import new_solver
from periodize.solver.junctions import JunctionBound
from periodize.solver.model import replace_hint
from periodize.solver.restrictions import (
    WIDENED_UNITS,
    WIDER_UNITS,
    chained_restriction,
    post_chain_state,
)
from periodize.solver.variables import SeasonVariables

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
#: The widened model's dive's share of what it is given (``_widened_plan``); where the dive
#: finds no plan there, CP-SAT's own search has the rest. Why: a generated 26-week season of
#: three races (an advanced runner, 2026-11-29) dived for 14.4 units (all of --time-limit
#: 60's budget left) and found nothing, so the solve ended without a plan (exit 4), while
#: CP-SAT's default search found one on the same model in 0.43 units. Dives that find a plan
#: do so within a few tenths of a unit (see ``restrictions.WIDENED_UNITS``).
WIDENED_DIVE_SHARE = 0.5


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


def limited_solver(limit: float, seed: int, wall: float) -> cp_model.CpSolver:
    solver = new_solver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(limit, 1e-3)
    solver.parameters.max_time_in_seconds = max(wall, 1e-3)
    return solver


def restricted_solver(limit: float, seed: int, wall: float) -> cp_model.CpSolver:
    """``limited_solver`` for a restricted model (every week's volume fixed): one presolve
    round (``RESTRICTED_PRESOLVE_ITERATIONS``)."""
    solver = limited_solver(limit, seed, wall)
    solver.parameters.max_presolve_iterations = RESTRICTED_PRESOLVE_ITERATIONS
    return solver


def _dive(solver: cp_model.CpSolver) -> None:
    """Set ``solver`` to dive for a first plan from the hint (``DIVE_BRANCHING``,
    ``DIVE_LINEARIZATION``), stopping there."""
    solver.parameters.stop_after_first_solution = True
    solver.parameters.search_branching = DIVE_BRANCHING
    solver.parameters.linearization_level = DIVE_LINEARIZATION


def reaches(solver: cp_model.CpSolver, code: cp_model.CpSolverStatus, bound: int) -> bool:
    """``solver`` holds a plan that costs no more than the proven ``bound``: it is optimal."""
    return code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) <= bound




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
        post_chain_state(model, junctions, path, position, enforce=literal)
        keep[literal.index] = position
    model.add_assumptions([model.get_bool_var_from_proto_index(index) for index in keep])
    solver = limited_solver(limit, seed, wall)
    code = solver.solve(model)
    if code != cp_model.INFEASIBLE:
        return None, solver.deterministic_time
    core = frozenset(keep[index] for index in solver.sufficient_assumptions_for_infeasibility() if index in keep)
    return core or None, solver.deterministic_time




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
    #: Builds the widened model (``widened_restriction``) at a width (units; None: the full
    #: model, hinted), for minutes that admit no plan.
    widened: Callable[[int | None], cp_model.CpModel]
    #: Where the chained model holds no plan: the chained model again with the junctions of
    #: one conflict (``chain_conflict``) left free, within a deterministic limit (None: no
    #: conflict found), and the work spent.
    loosened: Callable[[float], tuple[cp_model.CpModel | None, float]] = lambda limit: (None, 0.0)


#: Raises the first plan's stop bound before the chained model (``find_first_plan``'s
#: ``raised``): given the objective in hand and the work the first plan has spent so far, the
#: new stop bound and the work spent raising it.
RaiseStop = Callable[[int, float], tuple[int, float]]


def find_first_plan(
    models: FirstPlanModels, bound: int, *, limit: float, room: float, seed: int, wall: float,
    raised: RaiseStop | None = None,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, float]:
    """The first plan at the relaxation's weekly minutes: the pinned model, then the
    restricted model's attempts, each stopping at ``bound``; where they end without proving
    the restricted model optimal, the chained model too, keeping the better plan; where the
    minutes admit no plan, the widened model's first plan, searched on within ``limit``, and
    where none of these found a plan, the widened model's with all ``room`` left.
    ``limit``: the deterministic work for these attempts; ``room``: all the search has left,
    for the widened model's first plan. (The solver
    holding the plan, or the last one tried; its status; the deterministic work spent.) Where
    the restricted model finds nothing, a pinned plan short of the bound still stands.
    ``raised``: where a plan is in hand short of ``bound`` before the chained model, the stop
    bound raised (the bounded search within a gap: the plan the gap accepts at a higher proven
    bound), so that the chained model stops as soon as it holds such a plan."""

    def first_solver(work: float) -> cp_model.CpSolver:
        return restricted_solver(work, seed, wall)

    first = first_solver(PINNED_SHARE * limit)
    code = first.solve(models.pinned, StopAtBound(bound))
    spent = first.deterministic_time
    if reaches(first, code, bound):
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
        return _widened_plan(models.widened, bound, first_solver, room=room - spent, limit=limit - spent, spent=spent)
    if code == cp_model.OPTIMAL or reaches(first, code, bound):
        return first, code, spent
    if raised is not None and code == cp_model.FEASIBLE:
        bound, used = raised(round(first.objective_value), spent)
        spent += used
        if reaches(first, code, bound):
            return first, code, spent
    chain, chain_code, used = _chained_plan(models, bound, first_solver, limit)
    spent += used
    found = chain is not None and chain_code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if found and chain is not None and (code != cp_model.FEASIBLE or chain.objective_value < first.objective_value):
        return chain, chain_code, spent
    if code == cp_model.UNKNOWN and not found:
        # No plan within the attempts' shares, the chained model's too, though none is ruled
        # out: the widened model, with all that is left (the main search, hinted with minutes
        # that gave no plan, rarely finds one then). 100 batch athletes at --time-limit 3: 2
        # more plans (6 without one -> 4), none lost; tried before the chained model, 3 more
        # and 6 lost, which the chained model had found.
        return _widened_plan(models.widened, bound, first_solver, room=room - spent, limit=room - spent,
                             spent=spent)
    return first, code, spent


def _chained_plan(
    models: FirstPlanModels, bound: int, first_solver: Callable[[float], cp_model.CpSolver], limit: float,
) -> tuple[cp_model.CpSolver | None, cp_model.CpSolverStatus, float]:
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
    widen: Callable[[int | None], cp_model.CpModel], bound: int, first_solver: Callable[[float], cp_model.CpSolver],
    *, room: float, limit: float, spent: float,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, float]:
    """The widened model's first plan within ``room``, then searched on from it within
    ``limit`` (both what is left, not totals); as ``find_first_plan`` returns, ``spent`` carried.
    The first plan is dived for from the hint within ``WIDENED_DIVE_SHARE`` of ``room``: at
    ``WIDENED_UNITS``, and where that width is proven to hold no plan, at each of
    ``WIDER_UNITS`` in turn; where a dive ends with neither a plan nor a proof, CP-SAT's own
    search looks for one in the rest, at that width."""
    used = 0.0
    for width in (WIDENED_UNITS, *WIDER_UNITS):
        model = widen(width)
        widened = first_solver(WIDENED_DIVE_SHARE * room - used)
        _dive(widened)
        code = widened.solve(model, StopAtBound(bound))
        used += widened.deterministic_time
        if code != cp_model.INFEASIBLE or used >= WIDENED_DIVE_SHARE * room:
            break
    if code == cp_model.UNKNOWN and room - used > 0:
        widened = first_solver(room - used)
        widened.parameters.stop_after_first_solution = True
        code = widened.solve(model, StopAtBound(bound))
        used += widened.deterministic_time
    spent += used
    if code != cp_model.FEASIBLE or used >= limit:
        return widened, code, spent
    # Then that model searched from its first plan, within the first plan's own limit: the
    # first plan is far from the bound there (w52-r5: 3,039 against 2,315; searched on,
    # 2,413, and the season ends at 2,366 instead of 2,403 at --time-limit 15). 100 batch
    # athletes at --time-limit 3: 3 plans better by 24 points, 3 worse by 17.
    replace_hint(model, dict(enumerate(widened.response_proto.solution)))
    better = first_solver(limit - used)
    better_code = better.solve(model, StopAtBound(bound))
    spent += better.deterministic_time
    if better_code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and better.objective_value < widened.objective_value:
        return better, better_code, spent
    return widened, code, spent


def dived_plan(
    restricted: cp_model.CpModel, bound: int, *, limit: float, seed: int, wall: float,
) -> tuple[cp_model.CpSolver | None, float]:
    """A plan of ``restricted`` dived for from its hint (``_dive``) within ``limit``, stopped
    at ``bound``: the solver holding it (None: none found) and the work spent. The bounded
    search's second start (``bounded.SECOND_START_SHARE``): where the restricted model's
    full linear relaxation proved its optimum, the dive finds another plan at the same weekly
    minutes, a different place for the week-window search to start from. Searched as the
    restricted model's own dive is (``RESTRICTED_ATTEMPTS``), so where that dive gave the first
    plan, this gives the same one."""
    solver = restricted_solver(limit, seed, wall)
    _dive(solver)
    code = solver.solve(restricted, StopAtBound(bound))
    return (solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None), solver.deterministic_time


def plan_at(
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
    solver = restricted_solver(limit - spent, seed, wall)
    code = solver.solve(model, StopAtBound(bound))
    spent += solver.deterministic_time
    return (solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None), spent
