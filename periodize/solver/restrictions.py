"""Restrictions of the full season model: copies with more fixed, so every plan of one is a plan
of the full model.

Why a module of its own: the first plan is looked for in these (``first_plan``), and the
settle step (``settle``) fixes a plan's days the same way; each says what it fixes and nothing
about when it is tried.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ortools.sat.python import cp_model

from periodize.models.plan import RunType
from periodize.solver.junctions import JunctionBound
from periodize.solver.model import SeasonModel, fix_variables, replace_hint
from periodize.solver.variables import SeasonVariables

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
#: Where even ``WIDENED_UNITS`` admits no plan (proven), the widths tried next, each double the
#: one before, and at last None: the full model, only hinted. Why: a generated 52-week season
#: (an advanced runner, 4 runs a week, a Sunday long run and a Saturday B 5k; 2026-11-29) asks
#: 450 minutes of the week before the race, which only a Sunday long run reaches, and 300 of
#: race week, which only a Monday long run reaches, and P2 forbids both: no plan within 4 units,
#: and the main search, hinted with those minutes, found none at --time-limit 60 (exit 4). The
#: dive from the hint found a plan within 0.05 units at every wider width (8 units: 7,488; 16:
#: 8,260; the full model: 10,162), where CP-SAT's own search took 2.6 units at 8 and found none
#: in 7 at 32; the narrowest width is kept, as its plan is nearest the relaxation's minutes.
WIDER_UNITS: tuple[int | None, ...] = (8, 16, None)


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
            post_chain_state(chained, junctions, path, position, enforce=None)
    replace_hint(chained, hint)
    return chained, solver.spent - before


def post_chain_state(
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


def widened_restriction(
    model: cp_model.CpModel, variables: SeasonVariables, units: Sequence[int], hint: dict[int, int],
    width: int | None = WIDENED_UNITS,
) -> cp_model.CpModel:
    """A copy of ``model`` with every week's training units within ``width`` of ``units``
    (None: anywhere), hinted with ``hint``. A restriction, so its plans are plans of ``model``."""
    widened = model.clone()
    if width is not None:
        for week, week_units in enumerate(units):
            training = variables.training[week]
            widened.add(training >= week_units - width)
            widened.add(training <= week_units + width)
    replace_hint(widened, hint)
    return widened
