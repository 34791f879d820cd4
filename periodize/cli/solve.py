"""``periodize solve``: athlete file in, a checked plan out.

A plan leaves this command only after the independent validator found nothing wrong with it;
a plan that breaks a hard rule is a bug in the solver, reported as an internal error and never
written, so a file on disk is always a plan the rules allow.
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from periodize.calendar_notes import race_clashes
from periodize.cli.errors import (
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    EXIT_NO_PLAN,
    EXIT_OK,
    guarded,
    say_error,
    writing,
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


def season_notes(skeleton: Skeleton) -> list[str]:
    """Notes on how the file was read where a runner may not expect it (RULES.md, not errors):
    a season starting after a Monday is planned from that Monday, and one ending before a
    Sunday to that Sunday, whole weeks; races placed where a coach would look twice
    (``calendar_notes``: in another race's recovery, on a day without minutes); an exception
    outside the plan's weeks changes nothing (a mistyped year, most likely); plyometrics asked
    for at fewer than two sessions a week are never written."""
    athlete = skeleton.athlete
    first, last = skeleton.start, skeleton.date_of(skeleton.n_days - 1)
    notes = []
    before_start = range((athlete.season.start - first).days)
    if any(skeleton.available[day] for day in before_start):  # days already at 0 need no note
        notes.append(f"note: the plan starts on Monday {first}, the Monday of season.start {athlete.season.start} "
                     "(RULES.md: plans are whole weeks, Monday to Sunday); to keep the days before it free, add an "
                     f"exception with minutes: 0 from {first} to {athlete.season.start - timedelta(days=1)}")
    end = athlete.season.end
    if end is not None and any(skeleton.available[day] for day in range(skeleton.day_of(end) + 1, skeleton.n_days)):
        notes.append(f"note: the plan ends on Sunday {last}, the Sunday of season.end {end} (RULES.md: plans are "
                     "whole weeks, Monday to Sunday); to keep the days after it free, add an exception with "
                     f"minutes: 0 from {end + timedelta(days=1)} to {last}")
    notes += [f"note: {clash}" for clash in race_clashes(skeleton)]
    for index, exception in enumerate(athlete.exceptions):
        if exception.to < first or exception.from_ > last:
            notes.append(f"note: exceptions[{index}] ({exception.from_} to {exception.to}) is outside the plan's weeks "
                         f"({first} to {last}) and changes nothing")
    # late: the season is loaded by now, not at start-up
    from periodize.strength.prescribe import PLYO_SESSIONS

    sessions = athlete.strength.sessions_per_week
    if athlete.strength.plyometrics and sessions == 0:
        notes.append("note: strength.plyometrics is on, but sessions_per_week is 0: the plan holds no strength "
                     "session to put them in")
    elif athlete.strength.plyometrics and sessions < len(PLYO_SESSIONS):
        notes.append(f"note: strength.plyometrics is on, but plyometrics go into A and B sessions only (the minimal "
                     f"full session keeps to the lifts, S4); at sessions_per_week {sessions} the plan holds none")
    return notes


@guarded
def solve_command(
    athlete_file: Annotated[Path, typer.Argument(readable=False, help="Athlete file: .yaml, .yml, .json or .toml.", show_default=False)],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", readable=False, help="Write the plan JSON to this file (atomically).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: a week-by-week table; json: the plan JSON on stdout.")
    ] = OutputFormat.table,
    time_limit: Annotated[
        float, typer.Option("--time-limit", "-t", min=0.001, metavar="SECONDS", help="Solver time limit in seconds (deterministic work calibrated to seconds, so the same input gives the same plan).")
    ] = 60.0,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, metavar="N", help="CP-SAT search workers.")] = 1,
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
        check_out_path(out, athlete_file)

    # Late: the other commands work without the solver.
    from periodize.season import build_skeleton
    from periodize.solver.solve import solve_skeleton
    from periodize.validate import validate_plan

    skeleton = build_skeleton(athlete, rules)
    for note in season_notes(skeleton):
        say_error(note)
    with progress(f"solving {athlete.name}'s season (time limit {time_limit:g} s)"):
        plan, _ = solve_skeleton(skeleton, time_limit=time_limit, workers=workers, search=search.value)
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

    emit(plan, out, output_format)
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
        raise InputError([Problem("--out", f"{out} is a directory; give a file name such as plan.json")])
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        raise InputError([Problem("--out", f"directory {parent} does not exist")])
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
