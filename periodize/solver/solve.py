"""Solve a season: parameters, the CP-SAT call, and reading the answer back into a Plan.

Determinism: one worker and a fixed seed by default, so the same athlete gives the same plan.
Parallelism belongs across athletes and scenarios (batch, what-if), not inside one solve,
unless the caller asks for more workers.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from periodize.models.athlete import Athlete
from periodize.models.plan import (
    Day,
    Plan,
    PlanRace,
    Run,
    RunType,
    SessionKind,
    Status,
    StrengthSession,
    Week,
)
from periodize.models.rules import Rules, resolve_rules
from periodize.season import Skeleton, build_skeleton
from periodize.solver.bounded import WINDOW_STEP, WINDOW_WEEKS, solve_bounded
from periodize.solver.cpsat import new_solver
from periodize.solver.hint import Incumbent, first_solution, improve
from periodize.solver.model import SeasonModel, build_season_model
from periodize.solver.relaxation import VOLUME_OBJECTIVES, solve_volume_relaxation
from periodize.solver.settle import settle
from periodize.solver.variables import UNIT
from periodize.solver.work_units import DETERMINISTIC_SECONDS_PER_SECOND
from periodize.strength.prescribe import prescribe
from periodize.validate.placement import busy_weeks_with_room, room_for_a_and_b
from periodize.validate.view import PlanView

STATUS_NAMES: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class SolveStatistics:
    """What a benchmark or a report wants beyond the plan itself."""

    build_seconds: float
    solve_seconds: float
    variables: int
    constraints: int
    status: Status


#: Search modes: "bounded" (the default, ``bounded.solve_bounded``) proves a lower bound first and
#: measures plans against it; "plain" is CP-SAT's single default search; "interleaved"
#: runs CP-SAT's portfolio (LP and no-LP searches, core-based bounding, LNS) in one thread,
#: scheduled in deterministic batches. Measured with benchmarks/solve_speed.py (3 runs each,
#: one worker): interleaving halved half-marathon.yaml (11.5 s -> 5.5 s median) but lost on
#: marathon.yaml (optimal in 23.5 s -> not proven in 30 s in 2 of 3 runs), so it is opt-in.
#: "hinted" (opt-in) first finds a good complete incumbent (``hint``: volume relaxation,
#: first plan at those volumes, week-window LNS) and posts the relaxation's proven O1 lower bound
#: as a cut, then runs the plain search on the full model from that hint. Same model, same
#: optimum value; only the way there changes (where optima tie, it may return another of them,
#: which is why it is not the default: tests pin tie-breaks). Measured (1 worker, 30 s limit,
#: one loaded 2-core machine): first-10k optimal 1.3 -> 1.2 s, half-marathon optimal 11 -> 7.7 s,
#: gen-26 still unproven but 704 -> 148 (bound 120); marathon no better (~700, bound ~540).
SEARCH_MODES = ("bounded", "hinted", "plain", "interleaved")

#: The limit (seconds, as --time-limit) for solving a plan whose days are all fixed
#: (``_fixed_plan``): only its week-level variables are left, and a 52-week season takes a few
#: hundredths of a second.
FIXED_PLAN_LIMIT = 2.0

#: The share of the deterministic budget for searching the weeks around a repaired busy week
#: (``_repaired_plan``): a few two- and three-week windows of ``bounded.WINDOW_STEP`` each.
REPAIR_SHARE = 0.1

#: Shares of the deterministic budget for the hinted phases (the main search gets the rest).
VOLUME_SHARE = 0.1
FIRST_SOLUTION_SHARE = 0.1
LNS_SHARE = 0.3
LNS_STEP = 0.05


#: Wall time stops a solve only on a machine many times slower, or far busier, than the one the
#: deterministic rate was measured on; below that, load never changes the plan. (At 2x, two
#: identical what-if calls on a loaded machine once returned different plans.)
WALL_SAFETY_FACTOR = 10.0


def solver_parameters(
    solver: cp_model.CpSolver, *, time_limit: float, workers: int, seed: int, search: str = "plain",
    relative_gap: float = 0.0,
) -> None:
    if search not in SEARCH_MODES:
        raise ValueError(f"unknown search mode {search!r}; one of {SEARCH_MODES}")
    if not 0 <= relative_gap < 1:
        raise ValueError(f"relative_gap must be at least 0 and below 1, not {relative_gap}")
    # CP-SAT's own measure is the README's gap: (objective - bound) / objective. Where it stops
    # there it answers OPTIMAL, which the searches read back as feasible.
    solver.parameters.relative_gap_limit = relative_gap
    # The limit is deterministic work, not wall time: a wall-clock limit stops the search at a
    # point that depends on machine load, and the same athlete would get different plans.
    # Wall time stays as a safety net for machines much slower than the one this was calibrated on.
    solver.parameters.max_deterministic_time = time_limit * DETERMINISTIC_SECONDS_PER_SECOND
    solver.parameters.max_time_in_seconds = time_limit * WALL_SAFETY_FACTOR
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if search == "interleaved" and workers == 1:
        # Deterministic whatever the machine: the subsolvers run in fixed batches on one thread.
        solver.parameters.interleave_search = True


def prepare_hint(season: SeasonModel, *, time_limit: float, seed: int) -> float:
    """The "hinted" mode's phases (see ``hint``): post a complete hint and the O1 cut on
    ``season.model``; returns the deterministic work spent."""
    budget = time_limit * DETERMINISTIC_SECONDS_PER_SECOND
    skeleton = season.context.skeleton
    relaxation = solve_volume_relaxation(skeleton, deterministic_limit=VOLUME_SHARE * budget, seed=seed)
    spent = relaxation.deterministic_time
    volume = sum(season.objective_terms.get(code, 0) for code in VOLUME_OBJECTIVES)
    if relaxation.bound > 0 and not isinstance(volume, int):
        season.model.add(volume >= relaxation.bound)  # exact: the relaxation's proven bound
    incumbent, used = first_solution(season, relaxation.training, limit=FIRST_SOLUTION_SHARE * budget, seed=seed)
    spent += used
    if incumbent is None:
        return spent
    incumbent = improve(season, incumbent, step_limit=LNS_STEP, limit=LNS_SHARE * budget, seed=seed)
    spent += incumbent.deterministic_time - used
    model = season.model
    for index, value in enumerate(incumbent.values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return spent


def solve_skeleton(
    skeleton: Skeleton, *, time_limit: float = 60.0, workers: int = 1, seed: int = 0, search: str = "bounded",
    previous: Plan | None = None, relative_gap: float = 0.0,
) -> tuple[Plan, SolveStatistics]:
    """Build and solve the season model for a skeleton; the plan and how it went. With
    ``previous``, re-plan for stability against it (O5). ``relative_gap``: stop at the first
    plan proven within this share of the best (0: search until proven optimal or out of time).

    Two passes where S4 needs them: the first leaves out S4's busy week (the busy pair only
    where a normal week's runs leave no room for A and B, ``post_busy_only_without_room``),
    and where its plan takes the busy pair in a normal week with room, the season is solved
    again with it, within the time limit again, from the first pass's bound: its model is a
    relaxation of the second's. Why: the rule binds only where preferences or weights make the
    busy pair pay (none of the 24 benchmark seasons, 1 of 100 generated batch athletes), but
    posted in every solve it cost w26-r0 2.3 s and w26-r1 the 0.5 s target
    (docs/architecture.md). A re-plan whose search finds no plan is planned afresh and
    charged O5 (``_fresh_then_stable``)."""
    plan, stats = _solve_pass(skeleton, time_limit=time_limit, workers=workers, seed=seed, search=search,
                              previous=previous, relative_gap=relative_gap, busy_rule=False)
    if previous is not None and plan.status == "unknown":
        return _fresh_then_stable(skeleton, stats, time_limit=time_limit, workers=workers, seed=seed, search=search,
                                  previous=previous, relative_gap=relative_gap)
    busy = busy_weeks_with_room(PlanView(skeleton.athlete, plan, skeleton.rules, skeleton)) if plan.weeks else []
    if not busy:
        return plan, stats
    started = time.perf_counter()
    # The first plan with A and B on the days its busy weeks have room for them keeps every
    # rule; the weeks around them searched again (``_repaired_plan``), it is often as good as
    # the first plan, and then no second pass can beat it by much within the same limit.
    repaired = _repaired_plan(skeleton, plan, busy, previous=previous, seed=seed,
                              limit=REPAIR_SHARE * time_limit * DETERMINISTIC_SECONDS_PER_SECOND)
    if repaired is not None and plan.objective is not None and (repaired.objective or 0) <= plan.objective:
        # (Its own solver's bound is of its windows, not of the season: the first pass's stands.)
        second, more, bound = repaired, stats, plan.bound or 0
    else:
        second, more = _solve_pass(skeleton, time_limit=time_limit, workers=workers, seed=seed, search=search,
                                   previous=previous, relative_gap=relative_gap, busy_rule=True, floor=plan.bound)
        bound = max(plan.bound or 0, second.bound or 0)
    # Where the second pass found nothing better (or nothing: a 52-week season at -t 1.5 had
    # ended with no plan, exit 4, after a first pass of 1,832), the repaired plan is the answer.
    if second.status != "optimal":  # a proven optimum needs no repair
        if repaired is not None and (second.objective is None or (repaired.objective or 0) < second.objective):
            second = repaired
    if second.objective is not None:  # proven where it meets either pass's bound
        second = second.model_copy(update={"status": "optimal" if second.objective <= bound else "feasible",
                                           "bound": bound})
    seconds = stats.solve_seconds + time.perf_counter() - started
    return (second.model_copy(update={"solve_seconds": round(seconds, 3)}),
            replace(more, build_seconds=stats.build_seconds, solve_seconds=seconds, status=second.status))


def _fresh_then_stable(
    skeleton: Skeleton, stats: SolveStatistics, *, time_limit: float, workers: int, seed: int, search: str,
    previous: Plan, relative_gap: float,
) -> tuple[Plan, SolveStatistics]:
    """A re-plan (O5) whose search found no plan in its limit: the season planned afresh
    within the limit again, then charged O5 against ``previous`` (``_fixed_plan``), feasible,
    with the fresh plan's bound (a bound here too: O5 only adds). Why: whatif --stable on the
    season-52 example with its Summer 5k a week earlier had found no plan at --time-limit 3 (at
    6 it did), where planning afresh finds one within 3; a scenario had read "no plan found"
    though the season has plans. (Its cause, the re-plan's week profiles spending the whole
    budget, is capped now: ``season_bound.PROFILES_SHARE``; this stays for what is left.)"""
    started = time.perf_counter()
    fresh, _ = solve_skeleton(skeleton, time_limit=time_limit, workers=workers, seed=seed, search=search,
                              relative_gap=relative_gap)
    if not fresh.weeks:  # none either (or none at all: infeasible is infeasible with O5 too)
        return fresh, replace(stats, status=fresh.status)
    kept = _fixed_plan(skeleton, fresh, previous=previous, seed=seed)
    if kept is None:  # its days keep every rule, so only a broken model gets here
        raise RuntimeError("a plan of the season broke a rule of its re-planning model")
    seconds = stats.solve_seconds + time.perf_counter() - started
    optimal = kept.objective is not None and fresh.bound is not None and kept.objective <= fresh.bound
    status: Status = "optimal" if optimal else "feasible"
    return (kept.model_copy(update={"status": status, "bound": fresh.bound, "solve_seconds": round(seconds, 3)}),
            replace(stats, solve_seconds=seconds, status=status))


def with_a_and_b(skeleton: Skeleton, plan: Plan, weeks: list[int]) -> Plan:
    """``plan`` with A and B instead of the busy pair in ``weeks`` (its normal weeks whose runs
    leave room for them, ``busy_weeks_with_room``), week by week: P9 reads the edge days of the
    weeks changed before. The sessions are placed, not prescribed (``_fixed_plan`` prescribes)."""
    changed = plan.model_copy(deep=True)
    p14 = skeleton.rules.P14
    for week in weeks:
        room = room_for_a_and_b(PlanView(skeleton.athlete, changed, skeleton.rules, skeleton), week)
        if room is None:
            continue
        days = changed.weeks[week].days
        for day in days:
            day.strength = None
        for index, kind in zip(room, (SessionKind.A, SessionKind.B), strict=True):
            days[index - 7 * week].strength = StrengthSession(session=kind, minutes=p14.planned_minutes(kind.value))
    return changed


def _fixed_plan(skeleton: Skeleton, plan: Plan, *, previous: Plan | None, seed: int) -> Plan | None:
    """``plan``'s days as a plan of the full season model (S4's busy week in it): every day's run
    and session fixed, the rest (deloads, the objective's terms) solved, and prescribed. None
    where the days break a rule of the model."""
    fixed = _fixed_solve(skeleton, plan, previous=previous, seed=seed)
    return None if fixed is None else _prescribed(skeleton, *fixed)


def _fixed_solve(
    skeleton: Skeleton, plan: Plan, *, previous: Plan | None, seed: int,
) -> tuple[SeasonModel, cp_model.CpSolver] | None:
    """The full season model and a solver holding ``plan``'s days (``_fixed_plan``); the model
    itself is left free, for a search from them."""
    season = build_season_model(skeleton, previous=previous)
    fixed = season.model.clone()
    for index, day in enumerate(plan.days()):
        for variable, value in season.variables.values_of(index, day):
            fixed.add(variable == value)
    solver = new_solver()
    solver_parameters(solver, time_limit=FIXED_PLAN_LIMIT, workers=1, seed=seed)
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return season, solver


def _prescribed(skeleton: Skeleton, season: SeasonModel, solver: cp_model.CpSolver) -> Plan:
    header = Plan(athlete=skeleton.athlete.name, status="feasible", solve_seconds=0.0, races=plan_races(skeleton))
    return prescribe(skeleton, extract_plan(skeleton, season, solver, header))


def _repaired_plan(
    skeleton: Skeleton, plan: Plan, busy: list[int], *, previous: Plan | None, seed: int, limit: float,
) -> Plan | None:
    """``plan`` with A and B in its ``busy`` weeks (``with_a_and_b``), then each such week
    searched again with its neighbours (two-week windows, then three-week ones as the bounded
    search's ``WINDOW_WEEKS``, ``hint.improve``, within ``limit`` units): the sessions moved,
    the week's runs may move round them. A plan of the full model
    (S4's busy week in it), feasible; None where the days break a rule of it. Why: the first
    pass's plan and its repair differ only there, and where the repair costs nothing the second
    pass, the whole limit again, is not needed (a generated 52-week season at --time-limit 5:
    a first pass proven at 849 in 8 s, then a second pass of 15 s to end at 852 / 849)."""
    fixed = _fixed_solve(skeleton, with_a_and_b(skeleton, plan, busy), previous=previous, seed=seed)
    if fixed is None:
        return None
    season, solver = fixed
    size = len(season.model.proto.variables)
    incumbent = Incumbent(list(solver.response_proto.solution)[:size], round(solver.objective_value), 0.0, solver)
    for width in WINDOW_WEEKS:
        last = max(skeleton.n_weeks - width, 0)  # the last window's first week
        starts = sorted({min(max(week + shift, 0), last) for week in busy for shift in range(1 - width, 1)})
        incumbent = improve(season, incumbent, step_limit=WINDOW_STEP, limit=limit - incumbent.deterministic_time,
                            seed=seed, starts=starts, stop_at=plan.bound, passes=2, window=width)
    return _prescribed(skeleton, season, incumbent.solver or solver)


def _solve_pass(
    skeleton: Skeleton, *, time_limit: float, workers: int, seed: int, search: str, previous: Plan | None,
    relative_gap: float, busy_rule: bool, floor: int | None = None,
) -> tuple[Plan, SolveStatistics]:
    """One build and solve of the season model (``solve_skeleton``); ``floor``: a bound
    proven already, of a relaxation of this model (the first pass's, without S4's busy week)."""
    started = time.perf_counter()
    season = build_season_model(skeleton, previous=previous, busy_rule=busy_rule)
    built = time.perf_counter()
    solver = new_solver()
    solver_parameters(solver, time_limit=time_limit, workers=workers, seed=seed, search=search,
                      relative_gap=relative_gap)
    if search == "hinted" and previous is None:  # re-planning starts from the previous plan's hint
        spent = prepare_hint(season, time_limit=time_limit, seed=seed)
        solver.parameters.max_deterministic_time = max(solver.parameters.max_deterministic_time - spent, 0.01)
        solver.parameters.max_time_in_seconds = max(
            solver.parameters.max_time_in_seconds - (time.perf_counter() - built), 0.01)
    bound: int | None = None
    if search == "bounded":
        outcome = solve_bounded(season, solver, seed=seed, relative_gap=relative_gap, floor=floor)
        solver, code, bound = outcome.solver, outcome.code, outcome.bound
    else:
        code = solver.solve(season.model)
        if code == cp_model.OPTIMAL and round(solver.objective_value) > math.ceil(solver.best_objective_bound - 1e-6):
            code = cp_model.FEASIBLE  # stopped by the relative gap, not proven
        if code == cp_model.FEASIBLE and math.isfinite(solver.best_objective_bound):
            bound = math.ceil(solver.best_objective_bound - 1e-6)
    if bound is not None:
        # Every term is a count times a weight of at least 0, so no plan costs less than 0:
        # stopped within its first hundredth of a second, a search had reported a bound of -206
        # (a gap of 143 %) where 0 is proven by the model's form.
        bound = max(bound, 0, floor or 0)
    if code == cp_model.FEASIBLE and bound is not None:
        # A plan the limit stopped on may carry slack in its penalties (``settle``); an
        # optimum never does. The bound stays the search's: the settling solve's own is its
        # plan's cost.
        settled = settle(season, solver, seed=seed)
        if settled is not None:
            solver = settled
            if round(settled.objective_value) <= bound:
                code = cp_model.OPTIMAL
    solve_seconds = time.perf_counter() - built
    status = STATUS_NAMES.get(code)
    if status is None:  # MODEL_INVALID is a bug in the model, never the athlete's fault
        raise RuntimeError(f"CP-SAT rejected the model: {solver.status_name(code)} {season.model.validate()}")
    plan = Plan(athlete=skeleton.athlete.name, status=status, solve_seconds=round(solve_seconds, 3),
                races=plan_races(skeleton))
    if status in ("optimal", "feasible"):
        plan = prescribe(skeleton, extract_plan(skeleton, season, solver, plan, bound=bound))
    stats = SolveStatistics(
        build_seconds=built - started,
        solve_seconds=solve_seconds,
        variables=len(season.model.proto.variables),
        constraints=len(season.model.proto.constraints),
        status=status,
    )
    return plan, stats


def plan_races(skeleton: Skeleton) -> list[PlanRace]:
    """The season's races for the plan, distances as the athlete file gives them (``half``,
    ``30`` km), minutes as the plan runs them."""
    given = {race.name: race.distance for race in skeleton.athlete.races}
    return [PlanRace(date=race.date, name=race.name, priority=race.priority.value,
                     distance=f"{given[race.name]:g} km" if isinstance(given[race.name], float) else str(given[race.name]),
                     minutes=race.minutes) for race in skeleton.races]


def solve_athlete(
    athlete: Athlete, rules: Rules | None = None, *, time_limit: float = 60.0, workers: int = 1, seed: int = 0,
    search: str = "bounded", relative_gap: float = 0.0,
) -> Plan:
    """The optimal season plan for an athlete (status says whether optimality was proven)."""
    skeleton = build_skeleton(athlete, rules or resolve_rules(athlete))
    plan, _ = solve_skeleton(skeleton, time_limit=time_limit, workers=workers, seed=seed, search=search,
                             relative_gap=relative_gap)
    return plan


def extract_plan(
    skeleton: Skeleton, season: SeasonModel, solver: cp_model.CpSolver, header: Plan, *, bound: int | None = None,
) -> Plan:
    """Read the solution into plain plan data, with the objective by rule code; ``bound`` is
    the proven bound where it is better known than the solver's own."""
    v = season.variables
    light_days = {day for race in skeleton.races for day in skeleton.pre_race(race).days()}
    weeks: list[Week] = []
    for week in range(skeleton.n_weeks):
        deload = week in v.deload and bool(solver.boolean_value(v.deload[week]))
        days: list[Day] = []
        for day in skeleton.week_days(week):
            race = skeleton.race_on_day.get(day)
            if race is not None:
                run = Run(type=RunType.race, minutes=race.minutes)
            else:
                kind = next(t for t, literal in v.run[day].items() if solver.boolean_value(literal))
                run = Run(type=kind, minutes=UNIT * solver.value(v.run_units(day)))
            strength = None
            for session, literal in v.strength[day].items():
                if solver.boolean_value(literal):
                    strength = StrengthSession(
                        session=session,
                        minutes=skeleton.rules.P14.planned_minutes(session),
                        dose="deload" if deload or day in light_days else "normal",
                    )
            days.append(Day(date=skeleton.date_of(day), run=run, strength=strength))
        run_minutes = sum(d.run.minutes for d in days)
        training = sum(d.run.minutes for d in days if d.run.type != RunType.race)
        weeks.append(Week(start=skeleton.week_start(week), phase=skeleton.phases[week], deload=deload,
                          run_minutes=run_minutes, training_minutes=training, days=days,
                          note=skeleton.exception_note(week)))
    terms = {code: int(solver.value(term)) for code, term in season.objective_terms.items()}
    objective = sum(terms.values())
    return header.model_copy(update={
        "objective": objective,
        "objective_terms": terms,
        "bound": bound if bound is not None else round(solver.best_objective_bound),
        "weeks": weeks,
    })
