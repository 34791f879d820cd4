"""Junction potentials: the weekend chain between weeks, folded into each week's profile.

Why: the week profiles (``weeks``) see each week alone, so where weekends chain weeks together
every week takes the Monday it likes best, though no two weeks in a row can. The w52-r4
benchmark athlete runs five days a week on the only five days with time, long on Sunday: each
week alone lifts on Sunday after a Saturday long run and runs its tempo on Monday, and in the
plan the two clash every week (O3, or a session moved off its preferred day). The profiles
miss about 3 points a week, 112 over the season. Posting what each week pays between given
Monday states as charges in the volume relaxation (one literal per state, one enforced bound
per entry) makes that relaxation too hard to solve: on w52-r4 it was not proven in 80 s.

How (a Lagrangian decomposition of the Monday states, with shortest-path potentials as
multipliers):

- Each junction (``junctions.Junction``: week w-1's Sunday meeting week w's Monday) gets a
  *potential* per state, ``lam[w][s]``. A week's *adjusted* penalty is its own penalty, plus
  the potential of its own Monday's state, less the potential of the next Monday's state.
- Over a whole season the potentials cancel in pairs (each junction's is added by the week
  after it and taken away by the week before it; the season's first and last junctions, and
  every junction with a single state, have potential 0), so every plan's placement penalty
  equals the sum of its weeks' adjusted penalties, whatever the potentials are.
- So each week's least adjusted penalty, as a function of its training units, is a valid
  profile (``weeks.WeekProfile``, the same staircase), and the volume relaxation with these
  profiles in place of the plain ones is a lower bound on every plan, with no new variable.
- The potentials chosen are the shortest-path distances over the states with every week's
  volume free: ``lam[w + 1][t]`` is the least the weeks before pay to reach state t. Along the
  cheapest chain each week's adjusted penalty is then 0 and nowhere less, so the profiles
  charge the chain in full: each week's share of it sits in its own profile. Each junction's
  potentials are shifted to least 0 (a constant per junction cancels too), so that identical
  weeks with identical potentials share their solves.

Measured: w52-r4's bound 1066 -> 1159 (the best plan known is 1191; the charges in the volume
relaxation reached 1066 in 82 s); the what-if benchmark's C-10k scenario 488 -> 503, its
optimum, as the charges proved it.

Nothing here is a rule: the models are the junction models ``junctions`` cuts from the full
model, with one indicator literal per Monday state added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from periodize.solver.junctions import JunctionBound
from periodize.solver.weeks import SeasonProfiles, WeekModel, WeekProfile, week_profile


@dataclass(frozen=True)
class _StateModel:
    """A week's junction model with one indicator literal per state of its own Monday and of
    the next (exactly one of each true, each implying its Monday Booleans); local indices."""

    block: WeekModel
    own: tuple[int, ...]
    following: tuple[int, ...]


def _with_indicators(message: cp_model_pb2.CpModelProto, monday: Sequence[int],
                     states: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    """Add to ``message`` one literal per state of the ``monday`` Booleans (local indices),
    each implying its values, exactly one true. None where there is only one state: its
    potential is always 0. Returns the literals."""
    if len(states) <= 1:
        return ()
    literals = []
    for values in states:
        literal = len(message.variables)
        message.variables.add().domain.extend([0, 1])
        implied = message.constraints.add()
        implied.enforcement_literal.append(literal)
        implied.bool_and.literals.extend([bit if value else -bit - 1 for bit, value in zip(monday, values, strict=True)])
        literals.append(literal)
    message.constraints.add().exactly_one.literals.extend(literals)
    return tuple(literals)


@dataclass(frozen=True)
class Potentials:
    """Each junction's potential per state, and the cheapest chain's cost with every week's
    volume free: the sum of the weeks' least adjusted penalties."""

    by_junction: tuple[tuple[int, ...], ...]
    chain: int


class JunctionPotentials:
    """The season's junction models with state indicators, the potentials, and the week
    profiles adjusted by them."""

    def __init__(self, junctions: JunctionBound) -> None:
        self.junctions = junctions
        self._models: dict[int, _StateModel] = {}
        self._distinct: dict[bytes, _StateModel] = {}
        self._profiles: dict[tuple, WeekProfile] = {}

    def _model(self, week: int) -> _StateModel:
        if week not in self._models:
            junctions = self.junctions
            base = junctions.model(week)
            message = cp_model_pb2.CpModelProto()
            message.CopyFrom(base.message)
            own = _with_indicators(message, base.own_monday, junctions.junctions[week].states)
            following = _with_indicators(message, base.next_monday, junctions.junctions[week + 1].states)
            key = message.SerializeToString(deterministic=True) + base.block.training.to_bytes(4, "little")
            if key not in self._distinct:
                self._distinct[key] = _StateModel(WeekModel.of(("states", key), message, base.block.training), own, following)
            self._models[week] = self._distinct[key]
        return self._models[week]

    def _adjusted(self, week: int, potentials: Sequence[Sequence[int]]) -> WeekModel:
        """Week ``week``'s state model with its penalty adjusted by ``potentials``."""
        model = self._model(week)
        penalty = dict(model.block.penalty)
        for literals, values, sign in ((model.own, potentials[week], 1), (model.following, potentials[week + 1], -1)):
            # A junction with one state has no literal, and its potential is 0.
            for literal, value in zip(literals, values if literals else (), strict=True):
                if value:
                    penalty[literal] = penalty.get(literal, 0) + sign * value
        key = (model.block.key, tuple(potentials[week]), tuple(potentials[week + 1]))
        return WeekModel(key, model.block.model, model.block.training, penalty)

    def potentials(self, *, limit: float) -> Potentials | None:
        """Each junction's potential per state: the least the weeks before it pay, with their
        volumes free, to reach that state (shifted to least 0); 0 where a junction has one
        state. One solve per state of each junction (one for a junction with a single state).
        A state no week before can reach gets the junction's largest potential (any value keeps
        the bound valid; a large one only charges a state the plan cannot take anyway). None
        where ``limit`` deterministic work runs out first."""
        solver = self.junctions.relaxations.solver
        start = solver.spent
        junctions = self.junctions.junctions
        potentials: list[tuple[int, ...]] = [(0,) * len(junctions[0].states)]
        chain = 0
        for week in range(len(junctions) - 1):
            count = len(junctions[week + 1].states)
            model = self._model(week)
            adjusted = self._adjusted(week, [*potentials, (0,) * count])
            reached: list[int | None] = []
            for fixed in [[({literal: 1}, 1, 1)] for literal in model.following] or [[]]:
                if solver.spent - start > limit:
                    return None
                code, value = solver.minimize(adjusted, adjusted.penalty, *fixed)
                reached.append(value if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None)
            known = [value for value in reached if value is not None]
            if not known:  # no state reachable: the season is infeasible, which the search finds
                return None
            least = min(known)
            chain += least
            potentials.append(tuple((max(known) if value is None else value) - least for value in reached))
        return Potentials(tuple(potentials), chain)

    def profiles(self, potentials: Potentials) -> SeasonProfiles:
        """Every week's profile of its adjusted penalty (``week_profile``, as for the plain
        profiles, with the same caps on its units), identical weeks with identical potentials
        solved once."""
        relaxations = self.junctions.relaxations
        profiles = []
        for week, most in enumerate(relaxations.most_units):
            adjusted = self._adjusted(week, potentials.by_junction)
            key = (adjusted.key, most)
            if key not in self._profiles:
                self._profiles[key] = week_profile(relaxations.solver, adjusted, most=most)
            profiles.append(self._profiles[key])
        return SeasonProfiles(tuple(profiles), relaxations.season_wide, len(relaxations.solver.cache),
                              relaxations.solver.spent)
