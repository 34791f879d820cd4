"""``periodize solve``: athlete file in, a checked plan out.

A plan leaves this command only after the independent validator found nothing wrong with it;
a plan that breaks a hard rule is a bug in the solver, reported as an internal error and never
written, so a file on disk is always a plan the rules allow.
"""

from __future__ import annotations

import contextlib
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from periodize.calendar_notes import season_notes
from periodize.cli.errors import (
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    EXIT_NO_PLAN,
    EXIT_OK,
    guarded,
    say_error,
    writing,
)
from periodize.cli.options import (
    MOST_SECONDS,
    MOST_WORKERS,
    GapPercent,
    output_file,
    relative_gap,
)
from periodize.cli.render import make_console, print_plan
from periodize.cli.validate import violation_line
from periodize.input_problems import InputError, Problem
from periodize.loading import load_athlete
from periodize.models.plan import Plan
from periodize.output_files import unwritable, write_atomically

if TYPE_CHECKING:
    from periodize.season import Skeleton


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


def explain_infeasible(skeleton: Skeleton, time_limit: float) -> None:
    """Name the conflicting rules and the verified fixes on stderr, in ``periodize explain``'s
    words (the README's); the plain hint when the explanation finds no conflict within its
    limits."""
    from periodize.cli.explain import conflict_lines
    from periodize.explain import explain_conflict

    with progress("looking for the rules that conflict"):
        explanation = explain_conflict(skeleton, time_limit=time_limit)
    if explanation.feasible is not False:
        say_error(f"no plan satisfies the hard rules for {skeleton.athlete.name}")
        say_error(INFEASIBLE_HINT)
        return
    for line in conflict_lines(explanation, skeleton.athlete.name):
        say_error(line)


@guarded
def solve_command(
    athlete_file: Annotated[Path, typer.Argument(readable=False, help="Athlete file: .yaml, .yml, .json or .toml.", show_default=False)],
    out: Annotated[  # text, not a Path: "plans/" must keep its slash (options.output_file)
        str | None, typer.Option("--out", "-o", metavar="<path>", help="Write the plan JSON to this file (atomically).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: a week-by-week table; json: the plan JSON on stdout.")
    ] = OutputFormat.table,
    time_limit: Annotated[
        float, typer.Option("--time-limit", "-t", min=0.001, max=MOST_SECONDS, metavar="SECONDS", help="Solver time limit in seconds (deterministic work calibrated to seconds, so the same input gives the same plan); a season solved again for S4's busy week gets it twice.")
    ] = 60.0,
    # No -w: show and explain take -w as --week, so "-w 3" here had quietly asked for 3 workers.
    workers: Annotated[int, typer.Option("--workers", min=1, max=MOST_WORKERS, metavar="N",
                                         help="CP-SAT search workers.")] = 1,
    search: Annotated[
        Search, typer.Option("--search", help="bounded: a proven lower bound from week and volume relaxations "
                             "first, then plans measured against it (proves optimality far sooner); "
                             "plain: CP-SAT's search alone; hinted: a volume relaxation and a "
                             "week-by-week repair first (often better plans on long seasons); interleaved: "
                             "CP-SAT's portfolio on one thread.")
    ] = Search.bounded,
    gap: GapPercent = 0.0,
) -> int:
    """Build the season plan: the best plan the solver finds within the time limit."""
    athlete, rules = load_athlete(athlete_file)
    out_path = None if out is None else output_file("--out", out, "plan.json")
    if out_path is not None:
        check_out_path(out_path, athlete_file)

    # Late: the other commands work without the solver.
    from periodize.season import build_skeleton
    from periodize.solver.solve import solve_skeleton
    from periodize.validate import validate_plan

    skeleton = build_skeleton(athlete, rules)
    for note in season_notes(skeleton):
        say_error(f"note: {note}")
    with progress(f"solving {athlete.name}'s season (time limit {time_limit:g} s)"):
        plan, _ = solve_skeleton(skeleton, time_limit=time_limit, workers=workers, search=search.value,
                                 relative_gap=relative_gap(gap))
    if plan.status in ("infeasible", "unknown") and output_format == OutputFormat.json:
        typer.echo(plan.model_dump_json(indent=2))  # the status, for tools reading stdout; no file is written
    if plan.status == "infeasible":
        explain_infeasible(skeleton, time_limit)
        return EXIT_INFEASIBLE
    if plan.status == "unknown":
        say_error(
            f"no plan found within the time limit of {time_limit:g} s; "
            "try a longer --time-limit"
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

    emit(plan, out_path, output_format)
    return EXIT_OK


def progress(message: str) -> contextlib.AbstractContextManager[object]:
    """A spinner on stderr while the solver runs, only when a person is watching a terminal."""
    console = Console(stderr=True, markup=False)  # the message holds the athlete's name
    if not console.is_terminal:
        return contextlib.nullcontext()
    return console.status(message, spinner="dots")


def check_out_path(out: Path, *inputs: Path) -> None:
    """Fail before a long solve, not after, when the plan could not be written, or would be
    written over one of the command's ``inputs`` (``solve a.json --out a.json`` replaced the
    athlete file with its plan)."""
    if out.is_dir():
        raise InputError([Problem("--out", f"{out} is a folder; give a file name such as plan.json")])
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        raise InputError([Problem("--out", f"folder {parent} does not exist")])
    why = unwritable(out)  # a file above it, a folder that takes nothing (/proc), a device that will not open
    if why is not None:
        raise InputError([Problem("--out", why)])
    for given in inputs:
        if out.exists() and given.exists() and os.path.samefile(out, given):
            raise InputError([Problem("--out", f"{out} is the input file {given}; give the plan a file of its own")])


def emit(plan: Plan, out: Path | None, output_format: OutputFormat) -> None:
    """Write the file first (so a broken terminal pipe cannot lose it), then show the plan."""
    text = plan.model_dump_json(indent=2)
    if out is not None:
        with writing("--out", out):
            write_atomically(out, text + "\n")
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
