"""What a trade-off trades against: the plan re-planned around one week without the penalty it
pays there, the rest of the season as planned, and the terms that move.

``penalties`` calls a penalty "a trade-off with other terms" where the calendar leaves room and
the plan still pays it. That named no term: a fact-check found that the half-marathon
example's week 9, without a long run beside a C race, is worth O1 +35 and O4 +3 against the
30 of O7 it saves. Here that is measured on the solver's own model: every day outside the week
and its neighbours fixed as planned (``SeasonVariables.values_of``), the penalty forbidden in
the week (the neighbours holding at least the long runs and strength sessions the plan gives
them, so that "one more" is not one moved), solved within a small budget. Only a few weeks
are free, so the solve is small and usually proven; the statement is scoped to those weeks
("weeks 8-10 re-planned"), since re-planning the whole season could spread the cost more
cheaply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from periodize.explain.penalties import (
    BUSY_PAIR,
    LONG_OFF_DAY,
    NO_LONG_RUN,
    SESSIONS_MISSING,
    TRADE_OFF,
    Penalty,
    as_unproven,
    preferred_long_day,
)
from periodize.models.plan import Plan, RunType, SessionKind
from periodize.season import Skeleton
from periodize.solver.cpsat import new_solver
from periodize.solver.model import SeasonModel, build_season_model, fix_variables
from periodize.solver.variables import UNIT

#: Weeks re-planned on either side of the week in question: a long run moved into a week takes
#: minutes from its neighbours (V1, V5 read the weeks before, O1 the week's own target).
NEIGHBOURS = 1
#: Trade-off lines measured at most: each is a solve.
MAX_TRADEOFFS = 3


def no_room(weeks: tuple[int, ...]) -> str:
    """What a measured line says instead of ``TRADE_OFF`` where no plan holds the change beside
    the rest of the plan in its first week (the one measured): "a trade-off with other terms;
    ... no plan holds one more strength session in week 5 ..." had contradicted itself."""
    if len(weeks) == 1:
        return "the rules leave no room for it beside the rest of the plan"
    return f"the rules leave no room for it in week {weeks[0]} beside the rest of the plan (the other weeks not measured)"


Forbid = Callable[[SeasonModel, Plan, int], None]


def _neighbours(season: SeasonModel, week: int) -> list[int]:
    """The re-planned weeks beside ``week``: a line that adds something to ``week`` keeps them
    holding at least what the plan gives them, so that the figure prices one more, not one
    moved. "one more strength session in week 32" on season-52 had been priced by a re-plan
    that moved week 31's session into week 32 (O6 +5 beside "one more")."""
    return [w for w in _free_weeks(season.context.skeleton, week) if w != week]


def _long_run(season: SeasonModel, plan: Plan, week: int) -> None:
    with_long = [w for w in _neighbours(season, week) if any(day.run.type == RunType.long for day in plan.weeks[w].days)]
    for w in [week, *with_long]:
        season.model.add(season.variables.has_long[w] == 1)


def _one_more_session(season: SeasonModel, plan: Plan, week: int) -> None:
    v, skeleton = season.variables, season.context.skeleton
    for w in [week, *_neighbours(season, week)]:
        held = sum(1 for day in plan.weeks[w].days if day.strength)
        wanted = held + 1 if w == week else held
        season.model.add(sum(literal for day in skeleton.week_days(w) for literal in v.strength[day].values()) >= wanted)


def _a_and_b(season: SeasonModel, plan: Plan, week: int) -> None:
    v, skeleton = season.variables, season.context.skeleton
    for kind in (SessionKind.A, SessionKind.B):  # both: forbidding the busy pair alone dropped a session
        season.model.add(sum(literal for day in skeleton.week_days(week) for literal in v.strength_literals(day, kind)) >= 1)


def _long_run_on_preferred_day(season: SeasonModel, plan: Plan, week: int) -> None:
    """The long run on the preferred day; no plan where that day cannot hold one at all. Why
    measured: a weekend runner's Saturday long runs had read "a trade-off with other terms",
    where P10's session, P7 and P8 leave a Sunday long run no day for strength."""
    day = preferred_long_day(season.context.skeleton, week)
    literal = season.variables.run[day].get(RunType.long)
    if literal is None:  # the day's minutes or a race keep a long run off it in every plan
        season.model.add(season.variables.training[week] < 0)
    else:
        season.model.add(literal == 1)


#: Each day-level line a trade-off can be measured for: what it forbids, in words and in the model.
MEASURED: dict[str, tuple[str, Forbid]] = {
    NO_LONG_RUN: ("a long run", _long_run),
    LONG_OFF_DAY: ("the long run on the preferred day", _long_run_on_preferred_day),
    SESSIONS_MISSING: ("one more strength session", _one_more_session),
    BUSY_PAIR: ("A and B instead of full + short", _a_and_b),
}


def with_tradeoffs(skeleton: Skeleton, plan: Plan, penalties: list[Penalty], *, time_limit: float) -> list[Penalty]:
    """``penalties`` with what each trade-off line's first week trades against (at most
    ``MAX_TRADEOFFS`` lines, each solve within ``time_limit``). In a plan not proven optimal,
    a trade-off line left unmeasured says it may be slack (``as_unproven``)."""
    # Late, as in binding: solver.solve imports the search steps, which a conflict never needs.
    from periodize.solver.solve import solver_parameters

    def unmeasured(penalty: Penalty) -> Penalty:
        return penalty if plan.proven_optimal else as_unproven(penalty)

    if any(day.run.minutes % UNIT for day in plan.days() if day.run.type != RunType.race):  # a race's minutes are its own
        # A saved plan off the 5-minute grid (the validator allows it) is not a solution of the
        # model: its re-planned weeks would be measured against totals it cannot reproduce.
        return [unmeasured(penalty) for penalty in penalties]
    measured, out = 0, []
    for penalty in penalties:
        what = next((entry for prefix, entry in MEASURED.items() if penalty.text.startswith(prefix)), None)
        if what is None or TRADE_OFF not in penalty.text or measured >= MAX_TRADEOFFS or not plan.objective_terms:
            out.append(unmeasured(penalty))
            continue
        measured += 1
        week = penalty.weeks[0] - 1
        season = _around(skeleton, plan, week)
        what[1](season, plan, week)
        solver = new_solver()
        solver_parameters(solver, time_limit=time_limit, workers=1, seed=0)
        status = solver.solve(season.model)
        terms = ({code: int(solver.value(term)) for code, term in season.objective_terms.items()}
                 if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None)
        # Proven: the optimum, or that none exists (INFEASIBLE), within the re-planned weeks.
        text = tradeoff_text(skeleton, plan, week, what[0], terms, proven=status in (cp_model.OPTIMAL, cp_model.INFEASIBLE))
        said = penalty.text
        if status == cp_model.INFEASIBLE:  # no plan beside the rest of this one: not traded for a cost
            said = said.replace(TRADE_OFF, no_room(penalty.weeks))
        out.append(replace(penalty, text=f"{said}; {text}") if text else unmeasured(penalty))
    return out


def _around(skeleton: Skeleton, plan: Plan, week: int) -> SeasonModel:
    """The solver's model with every day and deload flag outside ``week`` and its neighbours
    fixed as planned, the days inside hinted with the plan."""
    season = build_season_model(skeleton)
    v, free = season.variables, _free_weeks(skeleton, week)
    fixed: list[tuple[int, int]] = []
    for index, day in enumerate(plan.days()):
        inside = index // 7 in free
        for variable, value in v.values_of(index, day):
            if inside:
                season.model.add_hint(variable, value)
            else:
                fixed.append((variable.index, value))
    fixed += [(flag.index, int(plan.weeks[w].deload)) for w, flag in v.deload.items() if w not in free]
    fix_variables(season.model, fixed)
    return season


def _free_weeks(skeleton: Skeleton, week: int) -> range:
    return range(max(0, week - NEIGHBOURS), min(skeleton.n_weeks, week + NEIGHBOURS + 1))


def _o6_weights(skeleton: Skeleton, change: int) -> str:
    """Where O6 moves by other than whole sessions: its two weights, so that "for the 15 of O6
    it saves" reads as a session (20) less the busy pair's charge (5), not a number from nowhere."""
    o6 = skeleton.rules.O6
    if not change or not o6.weight or change % o6.weight == 0:
        return ""
    return f" (O6 is {o6.weight} a missing session, {o6.busy_week_weight} for a week of full + short, or of a lone full or short, without an exception)"


def tradeoff_text(skeleton: Skeleton, plan: Plan, week: int, what: str, terms: dict[str, int] | None, *,
                  proven: bool) -> str | None:
    """``a long run in week 9 (weeks 8-10 re-planned, the others as planned) costs O1 +35 and
    O4 +3 for the 30 of O7 it saves: 8 more``; None where the solve found nothing in its time."""
    free = _free_weeks(skeleton, week)
    scope = f"week{'s' if len(free) > 1 else ''} {free[0] + 1}" + (f"-{free[-1] + 1}" if len(free) > 1 else "")
    subject = f"{what} in week {week + 1} ({scope} re-planned, the others as planned)"
    if terms is None:
        return f"no plan holds {what} in week {week + 1} with {scope} re-planned and the others as planned" if proven else None
    moves = {code: value - plan.objective_terms.get(code, 0) for code, value in terms.items()
             if value != plan.objective_terms.get(code, 0)}
    costs = " and ".join(f"{code} +{change}" for code, change in moves.items() if change > 0)
    saves = " and ".join(f"{-change} of {code}" for code, change in moves.items() if change < 0)
    net = sum(moves.values())
    found = "" if proven else " (the best found within the time limit)"
    if net > 0:
        return (f"{subject} costs {costs or 'nothing'}{f' for the {saves} it saves' if saves else ''}: {net} more{found}"
                f"{_o6_weights(skeleton, moves.get('O6', 0))}")
    if net == 0:
        return f"{subject} costs the same: another plan of equal cost holds it"
    return f"{subject} costs {-net} less{found}: the plan was not proven optimal"
