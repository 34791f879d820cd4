"""Junctions: what a week pays given how its weekends meet its neighbours, at given volumes.

Why: the week profiles (``weeks``) see each week alone, and pair gains see two neighbours with
their volumes anywhere in their best ranges. Where weeks are tight (few days with time, long
runs and strength sessions competing for them), a plan pays for chains of weeks. Example, the
w26-r1 benchmark athlete with a C 10k on a Saturday (the what-if benchmark's scenario): the
race's recovery bars a long run on Sunday, so alone the race week runs it on Monday; but Monday
follows the previous week's Sunday long run (P2), so that week would have to move its long run
too, and a Saturday long run leaves no day for its two strength sessions (P7, P8, P12): every
week back pays for it. The plan skips the race week's long run (O7) instead, 15 points above
what week and pair bounds see.

How:

- A *junction* is where week w-1's Sunday meets week w's Monday: the constraints between the
  two weeks that read, of week w, only Boolean variables (P2, P8 and P9 across the weekend, O3's
  penalty literal). Those Monday Booleans are the junction's *state*; its states are their
  assignments that week w's own constraints on them allow.
- A week's *junction model* is its own model, the constraints of its junction with the next
  week, and that next Monday's state variables. With its volume fixed, its own Monday's state
  fixed and the next Monday's state fixed, its minimum is the least the week pays there (an
  *entry*).
- At given volumes, the cheapest sequence of states is a shortest path over the junctions
  (``chain``), which the chained first plan fixes (``restrictions.chained_restriction``). It is
  found lazily: an entry not yet solved counts as the week's least penalty alone at that
  volume (the week-isolated model's minimum, a lower bound on every entry), and only entries
  the current cheapest path uses are solved, until it uses solved entries only.
- The junction models, with the states' potentials, also give the bound its chains of weeks
  (``potentials``).

Nothing here is a rule: the constraints are the full model's own (cut by ``SeasonSlices``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from periodize.solver.week_slices import (
    MAX_INTERFACE,
    SeasonSlices,
    constraint_variables,
    literal_variable,
)
from periodize.solver.weeks import Bound, WeekModel, WeekRelaxations

#: Rounds of the lazy shortest path at one set of volumes: each solves the entries the
#: current cheapest path has not solved yet. A guard; the path settles in a few rounds.
MAX_ROUNDS = 200


@dataclass(frozen=True)
class Junction:
    """Week ``week - 1``'s Sunday meeting week ``week``'s Monday: the constraints kept, the
    Monday's interface Booleans (full-model indices) and the states they can take."""

    week: int
    links: tuple[tuple[int, str], ...] = ()
    monday: tuple[int, ...] = ()
    states: tuple[tuple[int, ...], ...] = ((),)


def _is_boolean(source: cp_model_pb2.CpModelProto, index: int) -> bool:
    domain = list(source.variables[index].domain)
    return domain[0] >= 0 and domain[-1] <= 1


def _junction(slices: SeasonSlices, week: int) -> Junction:
    """The junction before ``week`` (``week`` >= 1). A link that would take the interface past
    ``MAX_INTERFACE`` Booleans is left out (a rule over a whole fortnight, say), as is any
    link reading one of week ``week``'s integer variables (V1's volumes, V5's long runs)."""
    source = slices.source
    links: list[tuple[int, str]] = []
    monday: set[int] = set()
    for index, kind in slices.spanning.get((week - 1, week), []):
        read = constraint_variables(source.constraints[index], kind)
        if not all(slices.weeks[v] == week - 1 or _is_boolean(source, v) for v in read):
            continue
        wider = monday | {v for v in read if slices.weeks[v] == week}
        if len(wider) <= MAX_INTERFACE:
            links.append((index, kind))
            monday = wider
    if not monday:
        return Junction(week)
    ordered = sorted(monday)
    return Junction(week, tuple(links), tuple(ordered), _states(slices, week, ordered))


def _states(slices: SeasonSlices, week: int, monday: list[int]) -> tuple[tuple[int, ...], ...]:
    """The assignments of ``monday`` that the week's own constraints reading only those
    variables allow (at most one of an at-most-one or exactly-one group; clauses and linear
    constraints wholly on them). A filter only: a state it keeps that the week cannot take
    makes its entries infeasible, which the solves find."""
    source = slices.source
    position = {v: i for i, v in enumerate(monday)}
    groups: list[list[int]] = []
    checks: list[cp_model_pb2.ConstraintProto] = []
    for index, kind in slices.constraints.get(week, []):
        constraint = source.constraints[index]
        if kind in ("at_most_one", "exactly_one") and not constraint.enforcement_literal:
            inside = [lit for lit in getattr(constraint, kind).literals if literal_variable(lit) in position]
            if len(inside) > 1:
                groups.append(inside)
        elif kind in ("bool_or", "bool_and", "linear") and all(v in position for v in constraint_variables(constraint, kind)):
            checks.append(constraint)

    def value(values: tuple[int, ...], literal: int) -> int:
        return values[position[literal]] if literal >= 0 else 1 - values[position[-literal - 1]]

    def allowed(values: tuple[int, ...]) -> bool:
        if any(sum(value(values, lit) for lit in group) > 1 for group in groups):
            return False
        for constraint in checks:
            if not all(value(values, lit) for lit in constraint.enforcement_literal):
                continue
            kind = constraint.WhichOneof("constraint")
            if kind == "bool_or" and not any(value(values, lit) for lit in constraint.bool_or.literals):
                return False
            if kind == "bool_and" and not all(value(values, lit) for lit in constraint.bool_and.literals):
                return False
            if kind == "linear":
                total = sum(c * values[position[v]] for v, c in zip(constraint.linear.vars, constraint.linear.coeffs))
                domain = list(constraint.linear.domain)
                if not any(low <= total <= high for low, high in zip(domain[::2], domain[1::2])):
                    return False
        return True

    return tuple(values for values in itertools.product((0, 1), repeat=len(monday)) if allowed(values))


@dataclass(frozen=True)
class JunctionModel:
    """A week's junction model (as a message too, for models built on it) and where its
    pieces sit in it (local indices)."""

    block: WeekModel
    message: cp_model_pb2.CpModelProto
    own_monday: tuple[int, ...]
    next_monday: tuple[int, ...]


#: (week, least and most training units, state before, state after): the least the week pays
#: there, None if it cannot be there.
Entry = tuple[int, int, int, int, int]
#: A week's training units between two values (inclusive).
Band = tuple[int, int]


@dataclass
class JunctionEntries:
    """What the junctions have solved: each week's least penalty alone at the volumes looked
    at (None: the week cannot hold them), and the entries."""

    floors: dict[tuple[int, int, int], int | None] = field(default_factory=dict)
    entries: dict[Entry, int | None] = field(default_factory=dict)


class JunctionBound:
    """The junctions of a season model (cut by ``relaxations``' slices) and the entries solved
    so far; ``chain`` adds those a given set of volumes needs."""

    def __init__(self, relaxations: WeekRelaxations) -> None:
        self.relaxations = relaxations
        slices = relaxations.slices
        weeks = len(relaxations.weeks)
        self.junctions = [Junction(0), *(_junction(slices, week) for week in range(1, weeks)), Junction(weeks)]
        self.solved = JunctionEntries()
        self._models: dict[int, JunctionModel] = {}
        self._distinct: dict[bytes, WeekModel] = {}

    @property
    def chained(self) -> bool:
        """Some junction has more than one state: weekends can chain weeks together."""
        return any(len(junction.states) > 1 for junction in self.junctions)

    def model(self, week: int) -> JunctionModel:
        """Week ``week``'s junction model (identical ones shared, as with week models)."""
        if week not in self._models:
            slices = self.relaxations.slices
            after = self.junctions[week + 1]
            members = slices.members.get(week, [])
            variables = [*members, *after.monday]
            # The week's own penalty only: the next Monday's share is that week's to pay.
            coefficients = self.relaxations.coefficients
            own = {index: coefficients[index] for index in members if index in coefficients}
            # What rules over more than the weekend say about the week alone, as its profile has it.
            message = slices.submodel(variables, [*slices.constraints.get(week, []), *after.links], own,
                                      slices.projections((week,)))
            local = {index: position for position, index in enumerate(variables)}
            training = local[members[self.relaxations.weeks[week].training]]
            key = message.SerializeToString(deterministic=True) + training.to_bytes(4, "little")
            if key not in self._distinct:
                self._distinct[key] = WeekModel.of(("junction", key), message, training)
            own_monday = tuple(local[v] for v in self.junctions[week].monday)
            self._models[week] = JunctionModel(self._distinct[key], message, own_monday,
                                               tuple(local[v] for v in after.monday))
        return self._models[week]

    def floor(self, week: int, band: Band) -> int | None:
        """The least week ``week`` pays alone with its units in ``band`` (None: it cannot)."""
        key = (week, *band)
        if key not in self.solved.floors:
            alone = self.relaxations.weeks[week]
            code, value = self.relaxations.solver.minimize(alone, alone.penalty, ({alone.training: 1}, *band))
            self.solved.floors[key] = None if code == cp_model.INFEASIBLE else value
        return self.solved.floors[key]

    def entry(self, week: int, band: Band, before: int, after: int) -> int | None:
        """The least week ``week`` pays with its units in ``band`` and states ``before`` and
        ``after`` around it (None: it cannot)."""
        key = (week, *band, before, after)
        if key not in self.solved.entries:
            code, value, _ = self._solve(week, band, before, after)
            floor = self.floor(week, band)
            if code == cp_model.INFEASIBLE or floor is None:
                self.solved.entries[key] = None
            else:  # where the limit stopped the solve unproven, the week's floor still bounds it
                self.solved.entries[key] = floor if value is None else max(value, floor)
        return self.solved.entries[key]

    def least_units(self, week: int, band: Band, before: int, after: int) -> int | None:
        """The training units of a least solution of ``entry`` (None where none is proven)."""
        code, _, values = self._solve(week, band, before, after)
        return None if code != cp_model.OPTIMAL or values is None else values[self.model(week).block.training]

    def _solve(
        self, week: int, band: Band, before: int, after: int,
    ) -> tuple[cp_model.CpSolverStatus, int | None, list[int] | None]:
        """Week ``week``'s junction model minimised with its units in ``band``, its own Monday
        in state ``before`` and the next in state ``after`` (the solver's answer, cached there:
        status, proven minimum, solution by local index)."""
        model = self.model(week)
        block = model.block
        fixed: list[Bound] = [({index: 1}, value, value) for index, value in
                              (*zip(model.own_monday, self.junctions[week].states[before]),
                               *zip(model.next_monday, self.junctions[week + 1].states[after]))]
        return self.relaxations.solver.solve(block, block.penalty, ({block.training: 1}, *band), *fixed)

    def chain(self, units: Sequence[int], *, limit: float) -> list[int] | None:
        """The cheapest sequence of states (one per junction, the dummy ones at both ends
        included) with every week at exactly ``units``, all its entries solved; None if there
        is none or ``limit`` deterministic work came first. Rules over more than a weekend
        (V5's long-run growth, P11's fortnight before an A race) are not in it."""
        settled = self._settle_at(units, limit=limit)
        return None if settled is None else settled[1]

    def chain_total(self, units: Sequence[int], *, limit: float) -> int | None:
        """What ``chain``'s sequence of states pays at ``units``, over every week (None as
        ``chain``)."""
        settled = self._settle_at(units, limit=limit)
        return None if settled is None else settled[0]

    def _settle_at(self, units: Sequence[int], *, limit: float) -> tuple[int, list[int]] | None:
        """``_settle`` with every week at exactly ``units``."""
        return self._settle([(week_units, week_units) for week_units in units], limit=limit)

    def solution(self, week: int, units: int, before: int, after: int) -> dict[int, int]:
        """Week ``week``'s least-penalty solution at ``units`` between states ``before`` and
        ``after`` (values by full-model index; empty where it has none): ``entry``'s solve,
        read back from the solver's cache."""
        values = self._solve(week, (units, units), before, after)[2]
        if values is None:
            return {}
        variables = [*self.relaxations.slices.members.get(week, []), *self.junctions[week + 1].monday]
        return dict(zip(variables, values))

    def _settle(self, bands: Sequence[Band], *, limit: float) -> tuple[int, list[int]] | None:
        """Solve the entries the cheapest sequence of states with each week's units in its
        band needs, until that sequence uses solved entries only: its total and its states
        (None: no sequence, or ``limit`` deterministic work came first)."""
        solver = self.relaxations.solver
        start = solver.spent
        if any(self.floor(week, band) is None for week, band in enumerate(bands)):
            return None
        for _ in range(MAX_ROUNDS):
            total, path = self._cheapest(bands)
            if path is None:
                return None
            missing = [(week, before, after) for week, (before, after) in enumerate(itertools.pairwise(path))
                       if (week, *bands[week], before, after) not in self.solved.entries]
            if not missing:
                return total, path
            for week, before, after in missing:
                if solver.spent - start > limit:
                    return None
                self.entry(week, bands[week], before, after)
        return None

    def _cheapest(self, bands: Sequence[Band]) -> tuple[int, list[int] | None]:
        """The cheapest sequence of states (one per junction, the dummy ones at both ends
        included) with what is known: solved entries, else the week's floor."""
        best: dict[int, tuple[float, list[int]]] = {0: (0, [0])}
        for week, band in enumerate(bands):
            floor = self.solved.floors[(week, *band)]
            following: dict[int, tuple[float, list[int]]] = {}
            for after in range(len(self.junctions[week + 1].states)):
                for before, (cost, path) in best.items():
                    key = (week, *band, before, after)
                    value = self.solved.entries.get(key, floor)
                    if value is None:
                        continue
                    total = cost + value
                    if after not in following or total < following[after][0]:
                        following[after] = (total, [*path, after])
            best = following
        if not best:
            return 0, None
        total, path = min(best.values(), key=lambda item: item[0])
        return int(total), path
