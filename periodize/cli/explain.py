"""``periodize explain``: why there is no plan (the conflicting rules and verified fixes), or why
the plan is as it is (binding rules, caps it sits on, the objective by rule and by week).

Text for people, ``--format json`` for tools, with the same content. Exit codes follow
``periodize solve``: 0 explained a plan, 3 explained why there is none, 4 the limit ran out.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from periodize.cli.errors import (
    EXIT_INFEASIBLE,
    EXIT_NO_PLAN,
    EXIT_OK,
    guarded,
)
from periodize.cli.options import MOST_SECONDS
from periodize.cli.validate import load_athlete_and_plan
from periodize.input_problems import InputError, Problem
from periodize.loading import load_athlete, load_plan
from periodize.models.rules import SOFT_RULE_MEANINGS

if TYPE_CHECKING:
    from periodize.explain import Explanation
    from periodize.models.plan import Plan
    from periodize.season import Skeleton


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"


def conflict_lines(explanation: Explanation, name: str) -> list[str]:
    """The infeasible case in words: the conflicting rules, then the verified changes."""
    needed = "each one is needed; relaxing one alone may leave another conflict" if explanation.minimal else "the search for a smaller set ran out of time"
    lines = [f"No plan keeps the hard rules for {name}. These rules conflict ({needed}):"]
    lines += [f"  {conflict.code:<4} {conflict.text}" for conflict in explanation.conflicts]
    if explanation.suggestions:
        lines.append("Smallest changes that make the season solvable (each checked by solving again):")
        lines += [f"  {index}. {s.change}" for index, s in enumerate(explanation.suggestions, start=1)]
    else:
        lines.append(f"{(explanation.why_no_fix() or '').capitalize()}.")
    return lines


def plan_lines(explanation: Explanation, name: str) -> list[str]:
    """The feasible case in words: binding rules, caps, the objective by rule and by week."""
    lines = [f"Plan for {name}: {explanation.status}, objective {explanation.objective}."]
    proven = [b for b in explanation.binding if b.kind == "relaxed"]
    capped = [b for b in explanation.binding if b.kind == "at_cap"]
    if explanation.binding_elsewhere:
        week = explanation.objective_by_week[0]["week"]
        lines.append(f"Rules that bind in other weeks (relaxing each one gives a better plan; none of them sits on "
                     f"a cap in week {week}):")
    else:
        lines.append("Rules that bind (relaxing each one gives a better plan):")
    lines += [f"  {b.code:<4} {b.text}" for b in proven] or ["  none of the rules tried"]
    if explanation.rules_tried:
        untried = (f"; at a cap but not tried: {', '.join(explanation.at_cap_not_tried)} (--rules tries more)"
                   if explanation.at_cap_not_tried else "")
        lines.append(f"  (tried: {', '.join(explanation.rules_tried)}{untried})")
    if explanation.undecided:
        lines.append("Rules tried but undecided (relaxing each proved neither that it binds nor that it does not):")
        lines += [f"  {b.code:<4} {b.text}" for b in explanation.undecided]
    if capped:
        lines.append("Where the plan sits on a rule's cap:")
        lines += cap_lines(capped, every_week=len(explanation.objective_by_week) <= 1)
    terms = ", ".join(f"{code} {value} for {SOFT_RULE_MEANINGS.get(code, code)}"
                      for code, value in explanation.objective_by_code.items() if value)
    lines.append(f"Objective by rule, in weighted points: {terms or 'nothing to pay'}")
    if explanation.penalties:
        lines.append("Why each penalty is paid:")
        lines += [f"  {p.code:<4} {p.text}" for p in explanation.penalties]
    codes = sorted({code for row in explanation.objective_by_week for code, v in row["terms"].items() if v},
                   key=lambda code: int(code[1:]))
    if explanation.objective_by_week:
        lines.append("Objective by week:")
        lines.append("  " + "  ".join(["week", "start     ", "phase   ", "total"] + [f"{c:>4}" for c in codes]))
        for row in explanation.objective_by_week:
            cells = [f"{row['week']:>4}", row["start"], f"{row['phase']:<8}", f"{row['total']:>5}"]
            lines.append("  " + "  ".join(cells + [f"{row['terms'][c]:>4}" for c in codes]))
    return lines


def cap_lines(capped: list, *, every_week: bool) -> list[str]:
    """One line per rule (its weeks and the first week's numbers), or every sentence when one
    week is explained."""
    if every_week:
        return [f"  {b.code:<4} {b.text}" for b in capped]
    by_code: dict[str, list] = {}
    for binding in capped:
        by_code.setdefault(binding.code, []).append(binding)
    lines = []
    for code, found in by_code.items():
        weeks = list(dict.fromkeys(w for b in found for w in b.weeks))  # V3 may cap a week twice
        listed = ", ".join(map(str, weeks))
        lines.append(f"  {code:<4} at its cap in week{'s' if len(weeks) > 1 else ''} {listed} (first: {found[0].text})")
    return lines


@guarded
def explain_command(
    athlete_file: Annotated[Path, typer.Argument(readable=False,
        help="Athlete file (.yaml, .yml, .json or .toml); with --plan also the roster or folder `periodize batch` planned.",
        show_default=False)],
    week: Annotated[int | None, typer.Option("--week", "-W", "-w", min=1, metavar="N", help="Explain this week only (1-based).")] = None,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="text for people, json for tools.")
    ] = ExplainFormat.text,
    time_limit: Annotated[
        float, typer.Option("--time-limit", "-t", min=0.001, max=MOST_SECONDS, metavar="SECONDS", help="Limit for solving the plan (deterministic, as in `solve`); each rule relaxed gets a quarter of it.")
    ] = 60.0,
    plan_file: Annotated[
        Path | None, typer.Option("--plan", readable=False, help="Explain this plan (as written by `solve --out` or `batch --out`) instead of solving the season again.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Rules relaxed at once, each in its own process with one solver worker (the answer does not depend on it).")] = 2,
    max_rules: Annotated[int, typer.Option("--rules", min=1, metavar="N", help="Rules relaxed to see whether they bind: those the plan sits on a cap of first.")] = 4,
    defaults: Annotated[Path | None, typer.Option("--defaults", readable=False, help="With a group and --plan: the --defaults file the batch was given.")] = None,
) -> int:
    """Explain a season: the conflicting rules when no plan exists, the binding rules when one does."""
    if plan_file is not None:
        athlete, rules, _ = load_athlete_and_plan(athlete_file, plan_file, defaults, plan_option="--plan")
    elif defaults is not None:
        raise InputError([Problem("--defaults", "is for a batch's group, given with --plan")])
    else:
        athlete, rules = load_athlete(athlete_file)
    from periodize.explain import (  # late: loading errors never need the solver
        explain_athlete,
        explain_plan,
        relaxed_time_limit,
    )
    from periodize.season import build_skeleton

    skeleton = build_skeleton(athlete, rules)
    if week is not None and week > skeleton.n_weeks:
        raise InputError([Problem("--week", f"the season has {skeleton.n_weeks} weeks; give 1 to {skeleton.n_weeks}, not {week}")])
    if plan_file is not None:
        explanation = explain_plan(skeleton, saved_plan(plan_file, skeleton), week=week,
                                   time_limit=relaxed_time_limit(time_limit), max_rules=max_rules, jobs=jobs)
    else:
        explanation = explain_athlete(athlete, rules, week=week, time_limit=time_limit, max_rules=max_rules, jobs=jobs)
    if output_format == ExplainFormat.json:
        typer.echo(json.dumps(explanation.as_json(), indent=2))
    elif explanation.feasible is False:
        typer.echo("\n".join(conflict_lines(explanation, athlete.name)))
    elif explanation.feasible:
        typer.echo("\n".join(plan_lines(explanation, athlete.name)))
    else:
        typer.echo(f"no plan found within the time limit of {time_limit:g} s; try a longer --time-limit")
    if explanation.feasible is None:
        return EXIT_NO_PLAN
    return EXIT_OK if explanation.feasible else EXIT_INFEASIBLE


def saved_plan(path: Path, skeleton: Skeleton) -> Plan:
    """The plan of ``--plan``, refused (exit 2) where there is nothing to explain or it cannot
    be trusted: no weeks, a hard rule broken, or an objective its days do not add up to (a plan
    edited by hand: the rules it binds on are proven against that number). Why a saved plan at
    all: solving again may give another plan of the same cost (a different time limit, another
    optimum), and the explanation would then be of a plan the user never saw."""
    from periodize.cli.validate import check_plan_is_for, note_status_mismatch
    from periodize.explain.binding import objective_mismatch
    from periodize.validate import validate_plan

    athlete = skeleton.athlete
    plan = load_plan(path, "--plan")
    check_plan_is_for(plan, path, skeleton)
    if not plan.weeks:
        raise InputError([Problem("--plan", f"the plan holds no weeks (status {plan.status}): nothing to explain")])
    violations = validate_plan(athlete, plan, skeleton.rules)
    if violations:
        raise InputError([Problem("--plan", f"the plan breaks the hard rules {len(violations)} time{'s' if len(violations) > 1 else ''} (first: "
                                            f"{violations[0].code} {violations[0].message}); `periodize validate` lists them")])
    mismatch = objective_mismatch(skeleton, plan)
    if mismatch:
        raise InputError([Problem("--plan", f"{mismatch}; solve it again, or explain without --plan")])
    note_status_mismatch(plan)
    return plan


__all__ = ["conflict_lines", "explain_command", "plan_lines", "saved_plan"]
