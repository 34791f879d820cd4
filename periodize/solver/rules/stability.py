"""O5, stability when re-planning: days that differ from a previous plan, and that plan as hints.

A changed day is one whose run type, run minutes or strength session differs from the previous
plan's day of the same date (the same notion the what-if diff reports). Each day gets one
literal ``changed``; when it is false the day is pinned to the previous day by enforcement
literals (no big-M), so O5 counts exactly the days the new plan is forced or chooses to change.
Days outside the previous plan's dates, and race days (fixed by the calendar), are not counted:
neither a new race's day nor the day of a race the change drops or moves, which the calendar
forces as surely (a dropped race's day had cost 5, and a moved race's old day 5, where its new
day cost nothing).

The previous plan is also given to CP-SAT as a solution hint: a complete, usually feasible
starting point, from which the search only has to repair what the change forces.
"""

from __future__ import annotations

from periodize.models.plan import Day, Plan, RunType
from periodize.solver.context import ModelContext
from periodize.solver.cpsat import IntExpr
from periodize.solver.variables import UNIT


def previous_days(ctx: ModelContext, previous: Plan) -> dict[int, Day]:
    """The previous plan's days by this season's day index (matched by date)."""
    days: dict[int, Day] = {}
    for day in previous.days():
        index = ctx.skeleton.day_of(day.date)
        if 0 <= index < ctx.skeleton.n_days and ctx.variables.run[index]:
            days[index] = day
    return days


def objective_o5(ctx: ModelContext, previous: Plan) -> IntExpr:
    """O5: per changed day, at ``O5.weight``."""
    weight = ctx.rules.O5.active_weight
    if not weight:
        return 0
    v = ctx.variables
    changed_days = []
    for index, before in previous_days(ctx, previous).items():
        if before.run.type == RunType.race:  # the calendar moved or dropped it: forced, not chosen
            continue
        run_type = v.run[index].get(before.run.type)
        changed = ctx.model.new_bool_var(f"O5_d{index}_changed")
        changed_days.append(changed)
        if run_type is None:  # the previous type is impossible here (e.g. a race moved away)
            ctx.model.add(changed == 1)
            continue
        ctx.model.add(run_type == 1).only_enforce_if(~changed)
        if before.run.minutes % UNIT == 0:
            ctx.model.add(v.run_units(index) == before.run.minutes // UNIT).only_enforce_if(~changed)
        else:
            ctx.model.add(changed == 1)
        for kind, literal in v.strength[index].items():
            held = before.strength is not None and before.strength.session == kind
            ctx.model.add(literal == int(held)).only_enforce_if(~changed)
        if before.strength is not None and before.strength.session not in v.strength[index]:
            ctx.model.add(changed == 1)
    return weight * sum(changed_days)


def hint_previous(ctx: ModelContext, previous: Plan) -> None:
    """Hint every day variable with the previous plan's day (CP-SAT repairs what is infeasible)."""
    for index, before in previous_days(ctx, previous).items():
        for variable, value in ctx.variables.values_of(index, before):
            ctx.model.add_hint(variable, value)
