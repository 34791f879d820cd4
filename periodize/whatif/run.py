"""Solve every scenario, in parallel, and compare them with the baseline.

``--jobs N`` runs N solves at once: this process and N - 1 worker processes
(``periodize.parallel.SharedLanes``). Workers receive plain data (the scenario's athlete mapping, the baseline plan as JSON) and
return plan JSON: a CpModel does not pickle, so each worker builds its own model. Each solve
uses one CP-SAT worker and the deterministic time limit, and results are put back in scenario
order, so the same call gives the same comparison whatever the scheduling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from periodize.input_problems import InputError, Problem
from periodize.loading import athlete_from_mapping
from periodize.models.plan import Plan
from periodize.parallel import SharedLanes
from periodize.season import Skeleton, build_skeleton
from periodize.solver.solve import solve_skeleton
from periodize.validate import validate_plan
from periodize.whatif.compare import (
    ScenarioResult,
    changed_days,
    measure,
    new_calendar_notes,
    verdict,
    week_changes,
    window_changes,
)
from periodize.whatif.scenario import Scenario

if TYPE_CHECKING:
    from periodize.explain import Explanation


@dataclass(frozen=True)
class SolveJob:
    data: dict[str, Any]
    time_limit: float
    previous_json: str | None
    #: Stop at a plan proven within this share of the best (``solve_skeleton``); 0: prove it.
    relative_gap: float = 0.0


def solve_job(job: SolveJob) -> str:
    """Worker entry point: read the athlete, solve, check the plan with the independent
    validator (as ``solve`` and ``batch`` do; what-if had compared its plans unchecked), return
    the plan as JSON. A plan breaking a hard rule is the solver's bug: it ends the comparison
    as an internal error, as it ends ``solve``."""
    athlete, rules = athlete_from_mapping(job.data)
    previous = Plan.model_validate_json(job.previous_json) if job.previous_json else None
    plan, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=job.time_limit, previous=previous,
                             relative_gap=job.relative_gap)
    if plan.weeks and (violations := validate_plan(athlete, plan, rules)):
        first = violations[0]
        raise RuntimeError(f"the solver's plan breaks {len(violations)} hard rule checks "
                           f"(first: {first.code} {first.date}: {first.message})")
    return plan.model_dump_json()


#: Said of an infeasible scenario whose conflict the explanation could not name within its limit.
NO_CONFLICT_FOUND = ("the search for the conflicting rules ran out of time, so no change was tried; "
                     "periodize explain with a longer --time-limit looks again")

#: Explains a season without a plan (``explain.explain_conflict``): the conflict and its fixes.
ExplainHook = Callable[[Skeleton], "Explanation"]


def run_whatif(
    baseline_data: dict[str, Any],
    scenarios: list[Scenario],
    *,
    time_limit: float = 30.0,
    relative_gap: float = 0.0,
    stable: bool = False,
    jobs: int = 2,
    explain: ExplainHook | None = None,
    baseline_plan: Plan | None = None,
) -> list[ScenarioResult]:
    """Solve the baseline and each scenario; the results, baseline first, with verdicts.

    With ``stable``, the baseline is solved first and every scenario then re-plans against it
    (O5 and hints), so the diff shows what each change forces rather than what the solver
    happened to pick. Raises :class:`InputError` before anything is solved where any scenario
    is not a valid athlete (every problem, each under its scenario's name): a misspelt race or
    date is the user's input to fix, not a column to compare (exit 2, as for any bad input).
    ``baseline_plan``: the baseline's plan, solved before (``--baseline-plan``, checked by the
    caller), which is then not solved again: a coach asking one question after another had paid
    for the baseline's solve each time (season-52: half of each call).
    """
    datas, skeletons = scenario_inputs(baseline_data, scenarios)
    results = [ScenarioResult(scenario.name, "unsolved", False) for scenario in scenarios]
    plans: list[Plan | None] = [baseline_plan] + [None] * (len(scenarios) - 1)
    with SharedLanes(max(1, min(jobs, len(scenarios) - (baseline_plan is not None)))) as lanes:
        given = baseline_plan is not None
        # --stable solves the baseline alone first: every scenario re-plans against its plan.
        first = ([] if given else [0]) if stable else range(int(given), len(scenarios))
        _solve_into(lanes, datas, plans, first, time_limit, None, relative_gap)
        if stable:
            previous = plans[0].model_dump_json() if plans[0] and plans[0].weeks else None
            _solve_into(lanes, datas, plans, range(1, len(scenarios)), time_limit, previous, relative_gap)
    for index, (scenario, skeleton, plan) in enumerate(zip(scenarios, skeletons, plans, strict=True)):
        if plan is None:
            continue
        results[index] = measure(scenario.name, skeleton, plan)
        if results[index].status == "infeasible" and explain is not None:
            explanation = explain(skeleton)
            results[index].explanation = explanation.conflict_texts()
            if explanation.feasible is False:
                results[index].fixes = [suggestion.as_json() for suggestion in explanation.suggestions]
                results[index].no_fix = explanation.why_no_fix()
            else:  # the conflict search ran out of time: nothing was looked for, and that is said
                results[index].no_fix = NO_CONFLICT_FOUND
    baseline_plan, baseline_skeleton = plans[0], skeletons[0]
    for index, result in enumerate(results):
        plan, skeleton = plans[index], skeletons[index]
        if baseline_plan is not None and baseline_plan.weeks and plan is not None and result.feasible:
            result.changed_days = changed_days(plan, baseline_plan)
            result.days_changed = len(result.changed_days)
            result.week_changes = week_changes(plan, baseline_plan)
        if index > 0:
            result.windows = window_changes(skeleton, baseline_skeleton)
            result.calendar_notes = (scenarios[index].replaced_entries(baseline_data)
                                     + new_calendar_notes(skeleton, baseline_skeleton))
        result.verdict = verdict(result, results[0], relative_gap)
    return results


def scenario_inputs(baseline_data: dict[str, Any], scenarios: list[Scenario]) -> tuple[list[dict[str, Any]], list[Skeleton]]:
    """Each scenario's athlete data and season skeleton; :class:`InputError` with the problems
    of every scenario that is not a valid athlete, each named after its scenario."""
    datas: list[dict[str, Any]] = []
    skeletons: list[Skeleton] = []
    problems: list[Problem] = []
    for scenario in scenarios:
        try:
            data = scenario.apply(baseline_data)  # its problems already name the scenario
        except InputError as error:
            problems += error.problems
            continue
        try:
            skeleton = build_skeleton(*athlete_from_mapping(data))
        except InputError as error:
            problems += [Problem(f"{scenario.label}: {problem.path}", problem.message)
                         for problem in error.problems]
            continue
        datas.append(data)
        skeletons.append(skeleton)
    if problems:
        raise InputError(problems)
    return datas, skeletons


def _solve_into(
    lanes: SharedLanes, datas: list[dict[str, Any]], plans: list[Plan | None], indices: range | list[int],
    time_limit: float, previous_json: str | None, relative_gap: float,
) -> None:
    answers = lanes.map(solve_job, [SolveJob(datas[index], time_limit, previous_json, relative_gap) for index in indices])
    for index, answer in zip(indices, answers, strict=True):
        plans[index] = Plan.model_validate_json(answer)
