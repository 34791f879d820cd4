"""``periodize solve``: athlete file in, a checked plan out.

A plan leaves this command only after the independent validator found nothing wrong with it;
a plan that breaks a hard rule is a bug in the solver, reported as an internal error and never
written, so a file on disk is always a plan the rules allow.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from periodize.cli.errors import EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_NO_PLAN, EXIT_OK, guarded, say_error
from periodize.cli.render import make_console, print_plan
from periodize.cli.validate import violation_line
from periodize.loading import InputError, Problem, load_athlete, write_atomically
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import Rules


class Search(StrEnum):
    bounded = "bounded"
    plain = "plain"
    hinted = "hinted"
    interleaved = "interleaved"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


INFEASIBLE_HINT = (
    "the conflicting rules could not be named; widen availability, lower peak_weekly_minutes or "
    "runs_per_week.min, move a race, or loosen a number under `rules:`"
)


def explain_infeasible(athlete: Athlete, rules: Rules, time_limit: float) -> None:
    """Name the conflicting rules and the verified fixes on stderr (``periodize explain``'s
    text); the plain hint when the explanation finds no conflict within its limits."""
    from periodize.cli.explain import conflict_lines
    from periodize.explain import explain_conflict
    from periodize.season import build_skeleton

    with progress("looking for the rules that conflict"):
        explanation = explain_conflict(build_skeleton(athlete, rules), time_limit=time_limit)
    if explanation.feasible is not False:
        say_error(INFEASIBLE_HINT)
        return
    if not explanation.minimal:
        say_error("these rules conflict (the search for a smaller set ran out of time: some may not be needed):")
    for line in conflict_lines(explanation, athlete.name)[1:]:
        say_error(line)


@guarded
def solve_command(
    athlete_file: Annotated[Path, typer.Argument(help="Athlete file: .yaml, .yml, .json or .toml.", show_default=False)],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the plan JSON to this file (atomically).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: a week-by-week table; json: the plan JSON on stdout.")
    ] = OutputFormat.table,
    time_limit: Annotated[
        float, typer.Option("--time-limit", "-t", min=0.001, help="Solver time limit in seconds (deterministic work calibrated to seconds, so the same input gives the same plan).")
    ] = 60.0,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="CP-SAT search workers.")] = 1,
    search: Annotated[
        Search, typer.Option("--search", help="bounded: a proven lower bound from week and volume relaxations "
                             "first, then plans measured against it (proves optimality far sooner); "
                             "plain: CP-SAT's search alone; hinted: a volume relaxation and a "
                             "week-by-week repair first (often better plans on long seasons); interleaved: "
                             "CP-SAT's portfolio on one thread.")
    ] = Search.bounded,
) -> int:
    """Build the season plan: the best plan the solver finds within the time limit."""
    athlete, rules = load_athlete(athlete_file)
    if out is not None:
        check_out_path(out)

    from periodize.solver.solve import solve_athlete  # late: the other commands work without it
    from periodize.validate import validate_plan

    with progress(f"solving {athlete.name}'s season (time limit {time_limit:g} s)"):
        plan = solve_athlete(athlete, rules, time_limit=time_limit, workers=workers, search=search.value)
    if plan.status == "infeasible":
        say_error(f"no plan satisfies the hard rules for {athlete.name}")
        explain_infeasible(athlete, rules, time_limit)
        return EXIT_INFEASIBLE
    if plan.status == "unknown":
        say_error(
            f"no plan found within the time limit of {time_limit:g} s; "
            "try a longer --time-limit or more --workers"
        )
        return EXIT_NO_PLAN
    if not plan.weeks:
        say_error(f"internal error: the solver reported status {plan.status} but returned no weeks")
        return EXIT_INTERNAL

    violations = validate_plan(athlete, plan, rules)
    if violations:
        say_error(f"internal error: the solver's plan breaks {len(violations)} hard rule checks; it was not written")
        for violation in violations:
            say_error(violation_line(violation))
        return EXIT_INTERNAL

    emit(plan, out, output_format)
    return EXIT_OK


def progress(message: str) -> contextlib.AbstractContextManager[object]:
    """A spinner on stderr while the solver runs, only when a person is watching a terminal."""
    console = Console(stderr=True, markup=False)  # the message holds the athlete's name
    if not console.is_terminal:
        return contextlib.nullcontext()
    return console.status(message, spinner="dots")


def check_out_path(out: Path) -> None:
    """Fail before a long solve, not after, when the plan could not be written."""
    if out.is_dir():
        raise InputError([Problem("--out", f"{out} is a directory; give a file name such as plan.json")])
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise InputError([Problem("--out", f"directory {parent} does not exist")])


def emit(plan: Plan, out: Path | None, output_format: OutputFormat) -> None:
    """Write the file first (so a broken terminal pipe cannot lose it), then show the plan."""
    text = plan.model_dump_json(indent=2)
    if out is not None:
        try:
            write_atomically(out, text + "\n")
        except OSError as error:
            raise InputError([Problem("--out", f"cannot write {out}: {error.strerror or error}")]) from None
    if output_format == OutputFormat.json:
        typer.echo(text)
        if out is not None:
            say_error(f"plan written to {out}")
        return
    console = make_console()
    print_plan(plan, console)
    if out is not None:
        console.print(f"plan written to {out}", markup=False, highlight=False)


__all__ = ["OutputFormat", "check_out_path", "emit", "solve_command"]
