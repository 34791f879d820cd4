"""What a plan really costs: its days fixed, every penalty at the least those days allow.

Why: the model writes several penalties one-sided, as the LP wants them: O1's minutes above
and below the curve (``above - below``, both free to grow together), O2's minutes over the
budget (``over >=``), O3's "strength the day before quality" (``paid >=``), O6's busy week (a
literal a week may carry without the busy pair outside normal weeks). At an optimum each sits
at its least, since any slack would cost more; a plan the time limit stopped on need not. A
feasible plan of a generated athlete was reported at O3 200 where its days hold one
occurrence (10), another at O6 210 where its weeks hold 205: the plan was right, its cost
and the explanation's week-by-week reading of it disagreed.

How: the full model again, each day's run, minutes and strength session fixed to the plan
(``restrictions.day_indices``: everything else follows from them), minimised. CP-SAT's presolve
settles it at once: nothing is left to choose but the penalties' own variables and the week
literals the days allow (a deload week, the busy pair). The plan's days do not change; only
what it is charged, never more than before, and where that reaches the proven bound, the
plan is proven optimal.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from periodize.solver.cpsat import new_solver
from periodize.solver.model import SeasonModel, fix_variables, replace_hint
from periodize.solver.restrictions import day_indices

#: Deterministic work for the settling solve (it takes about 0.001-0.01 units: the days fixed,
#: presolve alone finds the optimum); a guard, after which the plan keeps its charges.
SETTLE_LIMIT = 1.0


def settle(season: SeasonModel, solver: cp_model.CpSolver, *, seed: int) -> cp_model.CpSolver | None:
    """A solver holding ``solver``'s plan (same days) with every penalty at the least those
    days allow: its objective is what the plan costs. None where that is not proven within
    ``SETTLE_LIMIT`` (the plan then keeps the charges it has)."""
    size = len(season.model.proto.variables)
    values = list(solver.response_proto.solution)[:size]
    model = season.model.clone()
    fix_variables(model, ((index, values[index]) for index in sorted(day_indices(season.variables))))
    replace_hint(model, dict(enumerate(values)))
    settled = new_solver()
    settled.parameters.num_workers = 1
    settled.parameters.random_seed = seed
    settled.parameters.max_deterministic_time = SETTLE_LIMIT
    if settled.solve(model) != cp_model.OPTIMAL:
        return None
    return settled
