"""The chain of weekly volumes and the chain of weekends, solved as one: a lower bound that sees
what weekends cost at the volumes a plan wants, and volumes a plan can hold.

Why: the volume chain (``volume_dp``) charges each week its profile, the least the week pays
alone at its units; the junctions (``junctions``) charge what weeks pay for meeting across their
weekends, and the potentials (``potentials``) fold that into the profiles with every week's
volume free. Where weeks meet cheaply at lower volumes but not at the volumes O1 asks for, both
miss it. Measured on the 100 generated athletes of the batch benchmark (relaxation's volumes,
--time-limit 3): on 21 of them the weekends at those volumes cost more than the profiles say,
and on 11 the plan found was exactly the relaxation plus that cost, unproven (athlete 12: 3,969
against a bound of 3,734; 40: 547 against 493); on athlete 16 (five runs on the only five days
with time, one strength session) no two weeks in a row can hold the relaxation's 350 minutes,
and the plan (512) stood 40 % above the bound (305).

How (a shortest path over volumes and junction states, its costs found lazily):

- Each week's placement in the chain is a table by its units and the states of the junctions
  around it (``volume_dp._Week.placement``). An entry not solved yet holds what is known of it:
  the week's profile, raised by the bands solved so far.
- The chain is solved; along its path, each week's entries at its units are solved exactly
  (``JunctionBound.entry``) for every pair of states at once, and so is a band of units around
  them (from the units away from the week's best range, or the best range itself), whose least
  bounds every unit in the band (``_Tables.solve``). Weeks with the same models and states
  share what is solved.
- Until the path uses solved entries only. Every table holds lower bounds at every round, so
  each round's value is a lower bound on every plan (the junction models cut the full model
  into weeks that share only their Monday states); the last round's is the least over the
  chain's rules and the junction models, and its units and states are where its weekends fit
  (``first_plan.plan_at`` searches the chained model there).

Nothing here is a rule: the volume rules are ``volume_dp``'s, the weeks' the junction models'.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from periodize.season import Skeleton
from periodize.solver.junctions import JunctionBound
from periodize.solver.relaxation import chain_caps
from periodize.solver.volume_dp import MAX_STATES, UNREACHABLE, _Week, build_chain
from periodize.solver.weeks import WeekProfile

#: Most states the chain's dynamic program may compute over all its rounds (``volume_dp``'s
#: ``_Chain.computed``), a guard like ``MAX_ROUNDS``: where it stops the loop, the value reached
#: is still a bound. Why: numpy's work counts nothing in CP-SAT's deterministic time, so the
#: step's limit holds only its entries' solves. On the generated 52-week, four-race season of
#: seed 9 its 14 rounds took 14 s of wall time (9 s of them the dynamic program, 5.9 million
#: states a round, about 0.1 us a state on the 2-core machine) for no bound, and the season took
#: 40 s at --time-limit 15. 40 million states is about 4 s there; batch athlete 16, whose
#: proof at --time-limit 3 needs 13 rounds of the chain, computes 4.7 million.
MAX_STATES_COMPUTED = 40_000_000
#: Rounds of the lazy shortest path: each solves the entries the current path has not solved
#: yet. A guard; where it stops the loop, the value reached is still a bound.
MAX_ROUNDS = 60


@dataclass(frozen=True)
class JointChain:
    """What the joint chain proved: a lower bound on O1 + O2 and the weeks' placement (less the
    profiles' season-wide part), the path's weekly units and junction states (one per junction,
    the dummy ones at both ends included), and whether that path uses solved entries only."""

    value: int
    training: tuple[int, ...]
    states: tuple[int, ...]
    settled: bool
    deterministic_time: float


def solve_joint_chain(
    skeleton: Skeleton, profiles: Sequence[WeekProfile], junctions: JunctionBound, *, limit: float,
    enough: int | None = None,
) -> JointChain | None:
    """The joint chain's optimum, solved lazily within ``limit`` deterministic work for its
    entries, or a lower bound on it where the limit, ``MAX_ROUNDS``, ``MAX_STATES_COMPUTED`` or
    ``enough`` (a value that proves all the caller needs: a plan in hand costs that) stop it
    first (``None``: no volumes and states reach the season's end, or the volume chain is left
    to CP-SAT, ``volume_dp.MAX_STATES``)."""
    chain = build_chain(skeleton, profiles, **chain_caps(skeleton))
    states = [len(junction.states) for junction in junctions.junctions]
    if chain is None or len(chain.grid) ** 2 * chain.streaks * len(chain.weeks) * max(states) > MAX_STATES:
        return None
    solver = junctions.relaxations.solver
    start = solver.spent
    tables = _Tables(junctions, chain.weeks, profiles, states)
    current = skeleton.athlete.volume.current_weekly_minutes
    path = None
    computed = 0  # states the dynamic program computed, over the rounds
    for _ in range(MAX_ROUNDS):
        chain.weeks = tables.weeks()
        path = chain.solve(current)
        computed += chain.computed
        if path is None:
            return None
        missing = [(number, units) for number, units in enumerate(path.training)
                   if not tables.known(number, units, path.states[number], path.states[number + 1])]
        if not missing or (enough is not None and path.value >= enough) or computed >= MAX_STATES_COMPUTED:
            return JointChain(path.value, path.training, path.states, not missing, solver.spent - start)
        for number, units in missing:
            if solver.spent - start > limit:
                return JointChain(path.value, path.training, path.states, False, solver.spent - start)
            tables.solve(number, units)
    assert path is not None
    return JointChain(path.value, path.training, path.states, False, solver.spent - start)


class _Tables:
    """Each week's placement table by its units and the states around it, and what is solved
    of it. Weeks with the same junction model, week model and states share their entries."""

    def __init__(self, junctions: JunctionBound, weeks: Sequence[_Week], profiles: Sequence[WeekProfile],
                 states: Sequence[int]) -> None:
        self.junctions, self.base, self.profiles, self.states = junctions, weeks, profiles, states
        self.tables = [np.broadcast_to(week.placement, (len(week.units), states[number], states[number + 1])).copy()
                       for number, week in enumerate(weeks)]
        groups: dict[tuple, list[int]] = {}
        for number in range(len(weeks)):
            key = (junctions.model(number).block.key, junctions.relaxations.weeks[number].key,
                   junctions.junctions[number].states, junctions.junctions[number + 1].states)
            groups.setdefault(key, []).append(number)
        self.group_of = {number: members for members in groups.values() for number in members}
        #: (the group's first week, units, state before, after) whose entry is exact
        self.exact: set[tuple[int, int, int, int]] = set()
        #: per group's first week, the units its entries were first solved over (the whole
        #: range of the week that asked) and the state pairs the week can take there at all
        self.open: dict[int, tuple[tuple[int, int], list[tuple[int, int]]]] = {}

    def weeks(self) -> list[_Week]:
        return [replace(week, placement=table) for week, table in zip(self.base, self.tables, strict=True)]

    def known(self, number: int, units: int, before: int, after: int) -> bool:
        return (self.group_of[number][0], units, before, after) in self.exact

    def solve(self, number: int, units: int) -> None:
        """Solve week ``number``'s entries at ``units`` for every pair of states at once: where
        the entries not solved tie, the path would only move to another of them next round
        (athlete 16: 53 rounds of 0.1 s each with the path's own pair alone). Each pair first
        over all the week's units (pairs no units allow are closed for good), then over the
        band ``_band`` gives, then at ``units`` unless the band's least lies there."""
        first = self.group_of[number][0]
        units_range = self.base[number].units
        every_pair = list(itertools.product(range(self.states[number]), range(self.states[number + 1])))
        if first not in self.open:
            whole = (int(units_range[0]), int(units_range[-1]))
            self.open[first] = (whole, [(before, after) for before, after in every_pair
                                        if self._raise(number, whole, before, after) is not None])
        whole, pairs = self.open[first]
        if not whole[0] <= units <= whole[1]:  # a week of the group with a wider range
            pairs = every_pair
        for before, after in pairs:
            if (first, units, before, after) in self.exact:
                continue
            self.exact.add((first, units, before, after))
            # A least solution already solved tells where its least lies: at ``units``, the
            # entry is known; inside the band, the band's least is the one applied.
            at = self.junctions.least_units(number, whole, before, after)
            if at == units:
                continue
            band = _band(self.profiles[number], units_range, units)
            if at is None or not band[0] <= at <= band[1]:
                self._raise(number, band, before, after)
                at = self.junctions.least_units(number, band, before, after)
            if at != units:
                self._raise(number, (units, units), before, after)

    def _raise(self, number: int, band: tuple[int, int], before: int, after: int) -> int | None:
        """Raise the tables of week ``number``'s group to the entry's least over ``band``
        (unreachable where it has none); that least."""
        least = self.junctions.entry(number, band, before, after)
        for member in self.group_of[number]:
            units = self.base[member].units
            inside = (units >= band[0]) & (units <= band[1])
            table = self.tables[member][:, before, after]
            table[inside] = UNREACHABLE if least is None else np.maximum(table[inside], least)
        return least


def _band(profile: WeekProfile, units: np.ndarray, at: int) -> tuple[int, int]:
    """The units whose least entry the solve at ``at`` units also bounds: from ``at`` away from
    the week's best range (the entry's least there bounds every unit further out), or the best
    range where ``at`` lies in it."""
    low, high = profile.best
    if at > high:
        return at, int(units[-1])
    if at < low:
        return int(units[0]), at
    return low, high
