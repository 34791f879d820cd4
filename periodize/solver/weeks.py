"""Week-isolated relaxations of the season model: an exact lower bound on the placement penalties.

Why: on one worker, CP-SAT's linear relaxation bounds the day-level penalties (O3, O4, O6, O7)
poorly, because a week's run-type literals can be fractional there; that weak bound, not the
search for good plans, is what keeps it from proving optimality on long seasons. A single week
is a small model CP-SAT solves to optimality in milliseconds, so each week's integral minimum is
cheap, and the season's penalty is at least their sum.

Each week's model is cut out of the full model's proto (``SeasonSlices``, in
:mod:`periodize.solver.week_slices`), which only enlarges the feasible set, and each objective
coefficient is counted in exactly one week, so

    min over the season of the placement terms >= sum over weeks of the week minimum.

Nothing is re-derived from RULES.md here: the constraints are the full model's own, which keeps
each rule in one place. Weeks whose sliced models are identical (most normal weeks) are solved
once. Each week's profile (``WeekProfile``) is its least penalty as a staircase over its
training units, each step exact where it ends.

Pairs of neighbouring weeks (``PairGain``) are cut the same way, keeping the constraints between
the two: what they pay together beyond their two minima is what the week bound missed there.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypedDict

from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model, cp_model_helper

from periodize.solver.cpsat import IntExpr, new_solver
from periodize.solver.week_slices import (
    SeasonSlices,
    linear_terms,
    solvable,
    variable_bounds,
)

#: One step of a week profile's staircase (``WeekProfile``): training units, least penalty.
Step = tuple[int, int]


@dataclass(frozen=True)
class WeekProfile:
    """What one week alone says about its share of the penalty as a function of its training
    units T: T lies in ``feasible``; the penalty is at least ``minimum`` everywhere, and, where
    the week's solves were proven, reaches it at both ends of ``best`` and nowhere outside (where
    they were not, ``_ranged_profile`` and ``_unknown_profile``, ``best`` is the whole feasible
    range and ``minimum`` a bound that may not be reached). Outside ``best`` it is a staircase: each
    step of ``above`` is (units, least), "at these units or more the week pays at least this",
    units and least both rising; each step of ``below`` is the same for "at these units or
    fewer", units falling. Empty where no such T is feasible; a single step at ``minimum``
    where its solve was not proven (``_staircase``)."""

    minimum: int
    feasible: tuple[int, int]
    best: tuple[int, int]
    below: tuple[Step, ...] = ()
    above: tuple[Step, ...] = ()

    def at(self, units: int) -> int | None:
        """The least penalty the profile promises the week at ``units`` training units, as the
        volume relaxation charges it (None: the week cannot hold that many)."""
        if not self.feasible[0] <= units <= self.feasible[1]:
            return None
        least = self.minimum
        for edge, value in self.below:
            if units <= edge:
                least = value
        for edge, value in self.above:
            if units >= edge:
                least = value
        return least


@dataclass(frozen=True)
class PairGain:
    """What weeks ``week`` and ``week + 1`` pay together beyond their two profiles' minima
    while both volumes lie in their best ranges: the cost of the rules between them, which
    each week alone drops (a strength session on Sunday before Monday's quality, a run-up to a
    race that starts in the week before, V5's long-run reference over the week before them,
    which the pair's model holds as context: ``WeekRelaxations._pair_block``). None: the two
    cannot both lie in their best ranges.

    ``profiles``: where the pair pays more at given volumes than its two profiles and its
    gain say (``at_volumes``, from ``WeekRelaxations.pair_gains`` with ``at``), the pair's
    least penalty against each week's training units with the other week's free
    (``WeekRelaxations.pair_profiles``). Why: a gain holds
    over the whole of both best ranges, and one end of a wide range can escape what the other
    end pays (generated 52-week season of seed 10: P11's fortnight before its A race costs
    weeks 42 and 43 together 3 points over their minima with week 42 at 54 units or fewer, 11
    from 59 on, where the relaxation puts it at 66; the gain says 3)."""

    week: int
    gain: int | None
    profiles: tuple[WeekProfile, ...] = ()
    #: What the pair pays at the volumes asked about beyond its two profiles there (0 where not
    #: asked): with the gain, what ``summable`` weighs the pair by.
    at_volumes: int = 0

    @property
    def weight(self) -> int:
        """What choosing this pair may add to a bound (None gains aside)."""
        return max(self.gain or 0, self.at_volumes)


def summable(gains: Sequence[PairGain]) -> tuple[PairGain, ...]:
    """The gains a bound may add up: pairs sharing no week (each week's penalty is counted
    once), the set with the largest total weight (``PairGain.weight``; a path, so a simple
    dynamic program). Pairs that cannot both lie in their best ranges are facts about the
    plan, not shares of its penalty, so they are all kept."""
    by_week = {gain.week: gain for gain in gains if gain.gain is not None}
    best: dict[int, tuple[int, tuple[PairGain, ...]]] = {-1: (0, ()), 0: (0, ())}
    last = max(by_week, default=-1) + 1
    for week in range(1, last + 1):
        # ``best[w]``: the best choice among pairs inside weeks 0..w.
        skip = best[week - 1]
        take = best.get(week - 2, (0, ()))
        pair = by_week.get(week - 1)
        if pair is not None and take[0] + pair.weight > skip[0]:
            best[week] = (take[0] + pair.weight, (*take[1], pair))
        else:
            best[week] = skip
    infeasible = tuple(gain for gain in gains if gain.gain is None)
    return tuple(sorted((*best[last][1], *infeasible), key=lambda gain: gain.week))


@dataclass(frozen=True)
class SeasonProfiles:
    """Every week's profile, and the bound's season-wide part: the expression's constant plus
    the least that variables of no week can add."""

    per_week: tuple[WeekProfile, ...]
    season_wide: int
    solved: int
    deterministic_time: float

    @property
    def minimum(self) -> int:
        """The week-isolated bound with T free in every week."""
        return self.season_wide + sum(profile.minimum for profile in self.per_week)


#: A linear constraint on a week model: (coefficient by local index, least, greatest).
Bound = tuple[dict[int, int], int, int]


@dataclass(frozen=True)
class WeekModel:
    """One distinct block model (a week, or a pair of weeks): its key (identical blocks share
    it), the model, a training variable's local index (a pair's first week's), and its penalty
    by local index."""

    key: tuple
    model: cp_model_helper.CpModelProto
    training: int
    penalty: dict[int, int]

    @classmethod
    def of(cls, key: tuple, message: cp_model_pb2.CpModelProto, training: int) -> WeekModel:
        return cls(key, solvable(message), training, dict(zip(message.objective.vars, message.objective.coeffs)))


#: Week solves kept per process (least recently used first out): what-if scenarios share most
#: weeks with the baseline, and a worker solves several in turn. Results do not depend on it:
#: a solve is deterministic, and a cached answer charges the work the solve took.
SOLVED_CACHE_SIZE = 1024
_SOLVED: OrderedDict[tuple, tuple[cp_model.CpSolverStatus, int | None, list[int] | None, float]] = OrderedDict()


def forget_solved_weeks() -> None:
    """Empty this process's cache of week solves: benchmarks call it before each timed run, so
    a repeated run costs what a new process would."""
    _SOLVED.clear()


class _WeekSolver:
    """Solves variants of week models (another objective, extra linear constraints), each
    distinct variant once, within a deterministic limit apiece."""

    def __init__(self, seed: int, limit: float) -> None:
        self.seed, self.limit = seed, limit
        self.cache: dict[tuple, tuple[cp_model.CpSolverStatus, int | None, list[int] | None]] = {}
        self.spent = 0.0
        # One scratch model for every variant: building a fresh ``CpModel`` costs more than
        # solving one of these.
        self.scratch = cp_model.CpModel()

    def minimize(
        self, week: WeekModel, objective: dict[int, int], *constraints: Bound,
    ) -> tuple[cp_model.CpSolverStatus, int | None]:
        """(status, proven minimum or None): the minimum where proven optimal; a valid lower
        bound on it where the limit stopped the search first."""
        code, value, _ = self.solve(week, objective, *constraints)
        return code, value

    def solve(
        self, week: WeekModel, objective: dict[int, int], *constraints: Bound,
    ) -> tuple[cp_model.CpSolverStatus, int | None, list[int] | None]:
        """``minimize``'s answer and the best solution found (None without one)."""
        key = (week.key, tuple(objective.items()),
               tuple((tuple(coefficients.items()), low, high) for coefficients, low, high in constraints))
        shared = (key, self.seed, self.limit)
        if key not in self.cache and shared in _SOLVED:
            # Solved before in this process (an earlier scenario or athlete with the same week):
            # the same answer, and the same deterministic work charged, as solving it again.
            *answer, spent = _SOLVED[shared]
            _SOLVED.move_to_end(shared)
            self.spent += spent
            self.cache[key] = tuple(answer)  # type: ignore[assignment]
        if key not in self.cache:
            solver = new_solver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = self.seed
            solver.parameters.max_deterministic_time = self.limit
            # A week model is tiny: CP-SAT's presolve, linear relaxation, symmetry detection,
            # probing and clause inprocessing (vivification) cost more than the search itself
            # (measured on one w26-r1 week: 9.6 ms a solve with them all, 2.1 ms without the
            # first two, 0.9 ms without the first four; another week 1.44 ms with inprocessing
            # and 0.88 without; w26-r1's 73 week solves 0.147 -> 0.120 s).
            solver.parameters.cp_model_presolve = False
            solver.parameters.linearization_level = 0
            solver.parameters.symmetry_level = 0
            solver.parameters.cp_model_probing_level = 0
            solver.parameters.use_sat_inprocessing = False
            code = solver.solve(self._variant(week.model, objective, constraints))
            self.spent += solver.deterministic_time
            value = None
            if code == cp_model.OPTIMAL:
                value = int(round(solver.objective_value))
            elif code == cp_model.FEASIBLE and math.isfinite(solver.best_objective_bound):
                value = math.ceil(solver.best_objective_bound - 1e-6)
            found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            self.cache[key] = (code, value, list(solver.response_proto.solution) if found else None)
            _SOLVED[shared] = (*self.cache[key], solver.deterministic_time)
            if len(_SOLVED) > SOLVED_CACHE_SIZE:
                _SOLVED.popitem(last=False)
        return self.cache[key]

    def _variant(self, model: cp_model_helper.CpModelProto, objective: dict[int, int], constraints: Sequence[Bound]) -> cp_model.CpModel:
        proto = self.scratch.proto
        proto.copy_from(model)
        proto.objective.vars.clear()
        proto.objective.coeffs.clear()
        # Whole lists at once: a call per coefficient into OR-Tools' proto costs about 2 us.
        proto.objective.vars.extend(list(objective))
        proto.objective.coeffs.extend(list(objective.values()))
        for coefficients, low, high in constraints:
            linear = proto.constraints.add().linear
            linear.vars.extend(list(coefficients))
            linear.coeffs.extend(list(coefficients.values()))
            linear.domain.extend([low, high])
        return self.scratch


#: A linear expression over a week model's variables: coefficient by local index.
Units = dict[int, int]


def _expression_bounds(week: WeekModel, expression: Units) -> tuple[int, int]:
    """The least and greatest values of ``expression`` over the variables' domains."""
    variables = week.model.variables
    least = sum(min(c * bound for bound in variable_bounds(variables[v])) for v, c in expression.items())
    greatest = sum(max(c * bound for bound in variable_bounds(variables[v])) for v, c in expression.items())
    return least, greatest


def _unknown_profile(week: WeekModel, units: Units) -> WeekProfile:
    """What the variables' domains alone say: used where the week's numbers are not proven
    within the limit (or the week alone is infeasible, when the season is too)."""
    domain = _expression_bounds(week, units)
    return WeekProfile(_expression_bounds(week, week.penalty)[0], domain, domain)


def _ranged_profile(solver: _WeekSolver, week: WeekModel, units: Units, feasible: tuple[int, int]) -> WeekProfile:
    """The week's profile where its ranges are proven but the lexicographic solves of its best
    range are not: its least penalty alone (or the bound the limit stopped at), everywhere in
    its feasible range. Why: those solves can take far longer than the penalty alone (a
    masters marathoner's peak and taper weeks: not proven in 0.075 units each, where the
    penalty's minimum takes a few thousandths), and the domains alone had charged each such
    week -590 against -70, a whole season's bound lost."""
    least_code, least = solver.minimize(week, week.penalty, (units, *feasible))
    floor = _expression_bounds(week, week.penalty)[0]
    minimum = max(floor, least) if least is not None and least_code != cp_model.INFEASIBLE else floor
    return WeekProfile(minimum, feasible, feasible)


#: Most steps computed on each side of a week profile's best range (one solve each). Where the
#: staircase goes on, its last step still bounds every volume beyond it, only less tightly.
#: Measured on the distinct weeks of the 24 benchmark seasons and the examples: of 724 sides,
#: 400 have no step, 232 one, 61 two, and 31 three to nine; the most, nine, above the marathon
#: example's B-race week (its days so full that each 5 minutes more push out a strength
#: session or a preferred rest day).
PROFILE_STEPS = 12


#: Steps on each side of a profile beside the long run (``beside_long_profiles``): a plan's
#: units there lie near the best range, and the steps farther out cost solves the bound
#: rarely uses. Measured at --time-limit 15: the marathon example's bound reaches its
#: optimum with 2 as with 12, and the step costs 0.045 units on w26-r4 instead of 0.065
#: (with 12, the main search was 0.03 units short of proving w26-r4's optimum).
BESIDE_LONG_STEPS = 2


def _least_then_units(week: WeekModel, scale: int, direction: int, units: Units) -> dict[int, int]:
    """A lexicographic objective: the week's penalty first, then its ``units`` (the fewest
    for ``direction`` 1, the most for -1). Units span less than ``scale``, so the least
    penalty decodes exactly from the optimum."""
    lexicographic = {index: scale * coefficient for index, coefficient in week.penalty.items()}
    for index, coefficient in units.items():
        lexicographic[index] = lexicographic.get(index, 0) + direction * coefficient
    return lexicographic


def _staircase(
    solver: _WeekSolver, week: WeekModel, units: Units, feasible: tuple[int, int], edge: int, side: int, minimum: int,
    most_steps: int = PROFILE_STEPS,
) -> tuple[Step, ...]:
    """The steps of the week's least penalty beyond ``edge`` (the best range's end), going up
    (``side`` 1) or down (-1) to the end of ``feasible``. One lexicographic solve per step,
    the least penalty first, then the units farthest out: everything from the step's first
    units on pays at least its least penalty, and up to the farthest units at that penalty,
    exactly it; the next step starts just beyond. A step not proven ends the staircase (the
    steps found still bound everything beyond them); where that is the first, the side gets
    one step at the week's ``minimum``, all that is known there, so that the side stays open
    and a pair gain still sees the week leave its best range; so does a side with no steps
    asked (``most_steps`` 0)."""
    low, high = feasible
    scale = high - low + 1
    objective = _least_then_units(week, scale, -side, units)
    steps: list[Step] = []
    while len(steps) < most_steps and (edge < high if side > 0 else edge > low):
        start = edge + side
        first, last = sorted((start, high if side > 0 else low))
        code, value = solver.minimize(week, objective, (units, first, last))
        if code != cp_model.OPTIMAL or value is None:
            if not steps:
                steps.append((start, minimum))
            break
        # value = scale * least - side * units, with units - low in [0, scale).
        least = -(-(value + low) // scale) if side > 0 else (value - low) // scale
        steps.append((start, least))
        edge = side * (scale * least - value)
    if not steps and (edge < high if side > 0 else edge > low):  # no step asked: the side stays open
        steps.append((edge + side, minimum))
    return tuple(steps)


def week_profile(
    solver: _WeekSolver, week: WeekModel, units: Units | None = None, most_steps: int = PROFILE_STEPS,
    most: int | None = None,
) -> WeekProfile:
    """The week's profile against ``units`` (its training units unless given: another
    linear expression, ``WeekRelaxations.beside_long_profiles``): four small solves for its
    feasible and best ranges, then one per step of the staircase on each side, at most
    ``most_steps``; where one is not proven, the profile says less but stays valid.
    ``most``: at most this many units in every plan of the full model (``WeekRelaxations``'
    ``most_units``), posted in the solve for the most units."""
    units = {week.training: 1} if units is None else units
    low_code, low = solver.minimize(week, units)
    capped = () if most is None else ((units, _expression_bounds(week, units)[0], most),)
    high_code, negated_high = solver.minimize(week, {index: -coefficient for index, coefficient in units.items()},
                                              *capped)
    if low_code != cp_model.OPTIMAL or high_code != cp_model.OPTIMAL or low is None or negated_high is None:
        return _unknown_profile(week, units)
    high = -negated_high
    # Lexicographic, one solve each: the least penalty first, then the fewest (most) units.
    scale = high - low + 1
    # The range just proven, posted: it changes no optimum, and spares the lexicographic
    # solves some of the proof (w26-r1's week 20: 384 conflicts instead of 458, 134 instead
    # of 323).
    within = (units, low, high)
    first_code, first = solver.minimize(week, _least_then_units(week, scale, 1, units), within)
    last_code, last = solver.minimize(week, _least_then_units(week, scale, -1, units), within)
    if first_code != cp_model.OPTIMAL or last_code != cp_model.OPTIMAL or first is None or last is None:
        return _ranged_profile(solver, week, units, (low, high))
    minimum = (first - low) // scale
    best = (first - scale * minimum, scale * minimum - last)
    return WeekProfile(minimum, (low, high), best,
                       _staircase(solver, week, units, (low, high), best[0], -1, minimum, most_steps),
                       _staircase(solver, week, units, (low, high), best[1], 1, minimum, most_steps))


class _Keywords(TypedDict):
    """The keyword arguments ``WeekRelaxations.with_fortnight`` builds its copy with."""

    bounded_elsewhere: IntExpr
    seed: int
    limit_per_solve: float
    long_run: Sequence[int]
    size: int | None
    most_units: Sequence[int | None]


class WeekRelaxations:
    """The week-isolated models of a season model, with ``expression`` (a sum of objective
    terms) split among them: each week's profile against its training units, and each week's
    best solution at given units (a hint for the full model)."""

    def __init__(
        self, model: cp_model.CpModel, training: list[int], expression: IntExpr, *,
        bounded_elsewhere: IntExpr = 0, seed: int = 0, limit_per_solve: float = 0.5,
        long_run: Sequence[int] = (), read_per_week: bool = False, size: int | None = None,
        most_units: Sequence[int | None] = (),
    ) -> None:
        """``bounded_elsewhere``: the objective's other terms (O1 and O2, which the volume
        relaxation bounds). Their own variables and the constraints defining them are left out
        of the week models: they change no week's minimum, and without them weeks that differ
        only in their phase target are identical models, solved once. ``long_run``: each week's
        long-run units (full-model indices), for ``beside_long_profiles``. ``size``: how many of
        ``model``'s variables are the full model's (``SeasonSlices.of``). ``read_per_week``:
        see ``SeasonSlices.of`` and ``with_fortnight``. ``most_units``: each week's most
        training units in any plan of the full model (None: not known), which the rules imply
        but a week model can take many conflicts to prove (w26-r1's week 20, its first base
        week after recovery: 1,481 conflicts and 40-80 ms for its most units, 33 conflicts and
        2 ms with them posted; see ``relaxation.week_capacity_units``)."""
        self._arguments: tuple[cp_model.CpModel, list[int], IntExpr, _Keywords] = (
            model, training, expression,
            {"bounded_elsewhere": bounded_elsewhere, "seed": seed, "limit_per_solve": limit_per_solve,
             "long_run": long_run, "size": size, "most_units": most_units})
        self._fortnight: WeekRelaxations | None = None
        self.coefficients, constant = linear_terms(expression)
        self.slices = SeasonSlices.of(model, leave_out=set(linear_terms(bounded_elsewhere)[0]) - set(training),
                                      read_per_week=read_per_week, size=size)
        self.season_wide = constant
        for index, coefficient in self.coefficients.items():
            if self.slices.weeks[index] is None:  # not a week's: bounded by its domain alone
                self.season_wide += min(coefficient * bound for bound in variable_bounds(self.slices.source.variables[index]))
        self.solver = _WeekSolver(seed, limit_per_solve)
        # Identical weeks (most normal weeks) share one model, one profile and one hint per
        # volume; only distinct ones are turned into CP-SAT models.
        distinct: dict[tuple[int, bytes], WeekModel] = {}
        self.weeks: list[WeekModel] = []
        for week in range(len(training)):
            message = self.slices.block_model((week,), self.coefficients)
            local_training = self.slices.members[week].index(training[week])
            key = (local_training, message.SerializeToString(deterministic=True))
            if key not in distinct:
                distinct[key] = WeekModel.of(key, message, local_training)
            self.weeks.append(distinct[key])
        self._profiles: dict[tuple, WeekProfile] = {}
        self._pairs: dict[tuple, WeekModel] = {}
        #: each pair's model and its second week's training variable there, by its first week
        self._pair_blocks: dict[int, tuple[WeekModel, int]] = {}
        self.long_run = tuple(long_run)
        self.most_units = tuple(most_units) or (None,) * len(self.weeks)

    def with_fortnight(self) -> WeekRelaxations:
        """The same week relaxations with P11's fortnight before an A race read through one
        literal per week (``_read_per_week``), built once, when first asked for: for the
        junctions (``junctions``), which then carry it across Mondays. Why not here too: the
        week models' best solutions are the same, but CP-SAT breaks their ties differently on
        the changed models, and the first plans built from them moved (100 batch athletes at
        --time-limit 3: 9 plans worse, 4 better, two proofs lost and three gained)."""
        if self._fortnight is None:
            model, training, expression, keywords = self._arguments
            self._fortnight = WeekRelaxations(model, training, expression, read_per_week=True, **keywords)
            # One solver for both: the weeks the fortnight leaves alone are the same models,
            # solved (and their work charged) once.
            self._fortnight.solver = self.solver
        return self._fortnight

    def beside_long_profiles(self, *, limit: float = math.inf) -> tuple[WeekProfile, ...] | None:
        """Each week's profile against its training units beside its long run (training less
        long-run units), as ``profiles`` gives it against its training units. Why: a week's
        penalty depends on how its minutes split, not only on their total. With its long run
        held short (V5: at most 15 minutes over the two weeks before), the rest of the week's
        minutes need another running day or an off-preference one (the marathon example's
        peak week: 3 points at 90 units with a 20-unit long run, none with a longer one), which
        neither profile alone shows; the volume relaxation charges the larger of the two
        (``relaxation.week_profile_penalty``) with V5 over its long runs. None where ``limit``
        deterministic work runs out first."""
        profiles = []
        start = self.solver.spent
        for number, week in enumerate(self.weeks):
            local = self.slices.members[number].index(self.long_run[number])
            key = ("beside long", week.key, local)
            if key not in self._profiles:
                if self.solver.spent - start > limit:
                    return None
                self._profiles[key] = week_profile(self.solver, week, {week.training: 1, local: -1}, BESIDE_LONG_STEPS)
            profiles.append(self._profiles[key])
        return tuple(profiles)

    def profiles(self, *, limit: float = math.inf) -> SeasonProfiles:
        """Each week's profile against its training units. ``limit``: the deterministic work
        for staircases; once this call has spent it, the weeks left get their feasible and best
        ranges only (``week_profile`` without steps: valid, less tight outside the best range).
        Why: a re-plan (O5) makes most weeks distinct, each with its own steps around the
        previous plan's volume: season-52 with a race moved took 1.17 units in 651 solves,
        more than --time-limit 3's whole budget (0.75), and the re-plan found no plan."""
        profiles = []
        start = self.solver.spent
        for week, most in zip(self.weeks, self.most_units, strict=True):
            key = (week.key, most)
            if key not in self._profiles:
                steps = PROFILE_STEPS if self.solver.spent - start <= limit else 0
                self._profiles[key] = week_profile(self.solver, week, most=most, most_steps=steps)
            profiles.append(self._profiles[key])
        return SeasonProfiles(tuple(profiles), self.season_wide, len(self.solver.cache), self.solver.spent)

    def pair_gains(self, profiles: Sequence[WeekProfile], at: Sequence[int] | None = None) -> tuple[PairGain, ...]:
        """Each pair of neighbouring weeks that some rule links, solved as one model with both
        volumes in their best ranges: the pairs that pay more there than their two minima, or
        cannot be there at all. With ``at`` (training units per week, the volume relaxation's
        optimum), each pair is also solved at those units: what it pays there beyond its two
        profiles is its ``at_volumes`` (``pair_profiles`` then gives the pairs chosen their
        own profiles). Identical pairs are solved once.

        At ``at`` the pair's model also holds the week before it where a rule reads that week
        with the pair's second (``_pair_block``): V5's long-run reference, which binds at the
        relaxation's volumes and not inside the best ranges (w26-r3's three such pairs pay
        nothing more there). So the gains, which the short budgets ask for alone
        (``season_bound.with_pairs``), keep the smaller two-week models (asked with the week
        before everywhere, 100 batch athletes at --time-limit 3: one plan 14 points worse,
        none better)."""
        gains = []
        for week in range(len(self.weeks) - 1):
            linked = bool(self.slices.links(week, week + 1))
            context = week >= 1 and bool(self.slices.spanning.get((week - 1, week + 1)))
            if not (linked or (context and at)):
                continue
            gain = 0
            if linked:
                block, second_training = self._pair_block(week, context=False)
                low, high = profiles[week].best, profiles[week + 1].best
                code, value = self.solver.minimize(block, block.penalty, ({block.training: 1}, *low),
                                                   ({second_training: 1}, *high))
                if code == cp_model.INFEASIBLE:
                    gains.append(PairGain(week, None))
                    continue
                minima = profiles[week].minimum + profiles[week + 1].minimum
                gain = value - minima if value is not None and value > minima else 0
            beyond = 0
            if at:
                if context:
                    block, second_training = self._pair_block(week, context=True)
                self._pair_blocks[week] = (block, second_training)
                beyond = self._pair_beyond(block, second_training, profiles[week:week + 2], at[week:week + 2])
            if beyond > gain or gain:
                gains.append(PairGain(week, gain, at_volumes=beyond if beyond > gain else 0))
        return tuple(gains)

    def pair_profiles(self, pairs: Sequence[PairGain], *, limit: float = math.inf) -> tuple[PairGain, ...]:
        """``pairs`` (from ``pair_gains`` with ``at``), each that pays more at those volumes
        than its gain with its own profiles (``PairGain.profiles``, ``_pair_profiles``), the
        pairs paying most beyond their gain first, within ``limit`` deterministic work: where it
        runs out, the pairs left keep their gain alone (and no ``at_volumes``)."""
        start = self.solver.spent
        chosen = {pair.week: pair for pair in pairs}
        wanting = [pair for pair in pairs if pair.gain is not None and pair.at_volumes > pair.gain]
        for pair in sorted(wanting, key=lambda pair: pair.gain - pair.at_volumes):  # type: ignore[operator]
            if self.solver.spent - start <= limit:
                chosen[pair.week] = replace(pair, profiles=self._pair_profiles(*self._pair_blocks[pair.week]))
            else:
                chosen[pair.week] = replace(pair, at_volumes=0)
        return tuple(chosen[pair.week] for pair in pairs)

    def _pair_block(self, week: int, context: bool) -> tuple[WeekModel, int]:
        """The model of weeks ``week`` and ``week + 1`` together (its ``training``: the first
        week's training variable there), and the second week's training variable there. With ``context``, week ``week - 1`` is in it too, its variables and
        constraints but not its penalty: the pair's least penalty then still bounds what the
        two weeks pay in every plan, and sees the rules that read the week before as well. Why:
        V5 caps a week's long run by the longer of the two weeks before, a maximum over three
        weeks that a pair alone cannot project, so it dropped it (w26-r3: at the relaxation's
        volumes weeks 16-17, 19-20 and 24-25 pay 2, 3 and 2 more than their profiles with the
        week before them in, nothing more without; its whole gap of 7). Identical blocks with
        identical links between them are one model: the links alone are built for the key,
        the whole model only when it is new."""
        weeks = (week - 1, week, week + 1) if context else (week, week + 1)
        first, second = self.weeks[week], self.weeks[week + 1]
        before = len(self.slices.members.get(week - 1, [])) if context else 0
        first_training = before + first.training
        second_training = before + len(self.slices.members.get(week, [])) + second.training
        links = self.slices.block_model(weeks, {}, inner=False).SerializeToString(deterministic=True)
        key = ("pair", self.weeks[week - 1].key if context else None, first.key, second.key, links)
        if key not in self._pairs:
            outside = set(self.slices.members.get(week - 1, [])) if context else set()
            objective = {index: coefficient for index, coefficient in self.coefficients.items() if index not in outside}
            self._pairs[key] = WeekModel.of(key, self.slices.block_model(weeks, objective), first_training)
        return self._pairs[key], second_training

    def _pair_beyond(self, block: WeekModel, second_training: int, profiles: Sequence[WeekProfile], units: Sequence[int]) -> int:
        """What the pair ``block`` pays at training ``units`` beyond its two ``profiles``
        there (0 where not proven, or where a week cannot hold its units). ``second_training``:
        the second week's training variable in the pair model (the first's is ``block``'s)."""
        charged = [profile.at(each) for profile, each in zip(profiles, units, strict=True)]
        if None in charged:
            return 0
        code, value = self.solver.minimize(block, block.penalty, ({block.training: 1}, units[0], units[0]),
                                           ({second_training: 1}, units[1], units[1]))
        if code != cp_model.OPTIMAL or value is None:
            return 0
        return max(value - sum(charged), 0)  # type: ignore[arg-type]  # None ruled out above

    def _pair_profiles(self, block: WeekModel, second_training: int) -> tuple[WeekProfile, WeekProfile]:
        """The pair's profiles against its first week's training units and against its
        second's, each with the other week free (``week_profile``), solved once per pair."""
        found = []
        for units in ({block.training: 1}, {second_training: 1}):
            key = ("pair profile", block.key, tuple(units))
            if key not in self._profiles:
                self._profiles[key] = week_profile(self.solver, block, units)
            found.append(self._profiles[key])
        return found[0], found[1]

    def hint(self, units: Sequence[int]) -> dict[int, int]:
        """Values (by full-model index) of every week's variables: each week alone at its least
        penalty with its training units fixed to ``units[week]``. Weeks solved in isolation
        may disagree across Sunday and Monday; CP-SAT repairs a hint, so this only guides."""
        values: dict[int, int] = {}
        for number, (week, week_units) in enumerate(zip(self.weeks, units, strict=True)):
            solution = self.solver.solve(week, week.penalty, ({week.training: 1}, week_units, week_units))[2]
            if solution is not None:
                values.update(zip(self.slices.members[number], solution))
        size = self.slices.size
        return {index: value for index, value in values.items() if index < size}  # not the slices' own literals
