"""``periodize batch GROUP``: plan a whole coaching group in one command, one report.

GROUP is a folder of athlete files or a roster (YAML with ``athletes:``, or CSV with one athlete
per row); see :mod:`periodize.batch.roster` for the formats. Athletes are solved in parallel
worker processes (or on a Dask cluster with ``--dask``), every plan is checked by the validator,
and the summary says who failed and why, and who cannot join which group session and why.

Exit codes: 0 every athlete planned (or kept by ``--resume``); 5 (``EXIT_SOME_FAILED``) at least
one athlete failed, the others' plans are written; 2 the group itself (folder, roster, defaults
or options) is unreadable, nothing solved; 1 internal error.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from periodize.batch.summary import (
    PLANNED,
    AthleteResult,
    attention_lines,
    calendar_lines,
    cannot_join,
    counts,
    csv_text,
    shared_names,
    tally_line,
)
from periodize.cli.errors import EXIT_OK, EXIT_SOME_FAILED, guarded, writing
from periodize.cli.options import (
    MOST_SECONDS,
    GapPercent,
    given_path,
    output_file,
    relative_gap,
)
from periodize.cli.render import make_console, or_dash
from periodize.input_problems import InputError, Problem
from periodize.output_files import unwritable, write_atomically

if TYPE_CHECKING:
    from periodize.batch.roster import Roster

#: The table's columns, narrow enough for an 80-column terminal (a long key or name folds); the
#: CSV has every figure (validator violations too: always 0 for a written plan, and a rejected
#: plan's line below says how many).
COLUMNS = (("athlete", "left"), ("name", "left"), ("status", "left"), ("objective", "right"), ("gap", "right"),
           ("peak\nmin", "right"), ("solve\ns", "right"), ("group\nmissed", "right"))

#: The columns of free text, which share what the figures leave of the terminal's width: they
#: wrap, and a word too long for its column (a key has no spaces) folds onto the next line
#: rather than being cut. A 36-character key had squeezed the name column out of 80 columns,
#: and a key cut short (``alexandra-konst…``) cannot be told from its ``-2`` sibling's.
FOLDED = ("athlete", "name")


def summary_table(results: list[AthleteResult]) -> Table:
    """One row per athlete: the key (the plan's name), the name, the status and figures; a plan
    --resume kept says ``kept`` for its solve time (it was not solved now)."""
    table = Table(title="Batch summary", title_justify="left", caption=_caption(results), caption_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for column, justify in COLUMNS:
        folded = column in FOLDED
        table.add_column(column, justify=justify, no_wrap=not folded,  # type: ignore[arg-type]
                         overflow="fold" if folded else "ellipsis")
    for result in results:
        table.add_row(
            result.key, result.name or "", result.status, or_dash(result.objective), result.gap_share_text(),
            or_dash(result.peak_minutes), _solve_time(result), _missed(result),
        )
    return table


def _caption(results: list[AthleteResult]) -> str:
    """What the less obvious cells mean; group sessions and "kept" only where the batch has them."""
    notes = ["gap: how far the objective may be above the best, as a share of it (0 when optimal)"]
    if any(result.group for result in results):
        notes.append("group missed: group sessions missed of the season's (sessions x weeks)")
    if any(result.kept for result in results):
        notes.append("kept: the plan and its row are the last run's (--resume)")
    return "; ".join(notes)


def _solve_time(result: AthleteResult) -> str:
    if result.kept:
        return "kept"
    return "-" if result.solve_seconds is None else f"{result.solve_seconds:.1f}"


def _missed(result: AthleteResult) -> str:
    """``6/32``: group sessions missed of all the athlete's group sessions in the season (each
    session once a week); the lines under the table say which and why."""
    if not result.group:
        return "-"
    return f"{sum(entry['missed'] for entry in result.group)}/{sum(entry['weeks'] for entry in result.group)}"


def print_report(results: list[AthleteResult], console: Console, out: Path | None = None,
                 gap_asked: float = 0.0) -> None:
    """The table, where the plans are, shared names, each athlete's calendar notes, who cannot
    join which group session, who needs attention (failures with their fixes, unproven plans with their gap), the counts.
    ``gap_asked``: the batch's ``--gap`` as a share, which decides how an unproven plan is told to search on."""
    console.print(summary_table(results))
    planned = counts(results)["planned"]
    if out is not None and planned:
        _say(console, f"plans: {out / '<athlete>.json'}, one per planned athlete ({planned})")
    for line in shared_names(results):
        _say(console, f"note: {line}")
    for title, lines in (("Calendar notes (as periodize solve gives them):", calendar_lines(results)),
                         ("Who cannot join the group sessions, and why:", cannot_join(results)),
                         (f"Needs attention ({sum(result.needs_attention for result in results)}):",
                          attention_lines(results, gap_asked))):
        if lines:
            _say(console, title)
            for line in lines:
                _say(console, f"  {line}")
    _say(console, tally_line(results))


def _say(console: Console, line: str) -> None:
    """A line as written: athletes' names and reasons are never markup, and a long line is one
    line (the terminal wraps it; broken at 200 columns, a piped reason lost its end to grep)."""
    console.print(line, markup=False, highlight=False, soft_wrap=True)


@guarded
def batch_command(
    # GROUP and --out as text, not Paths: an empty one is refused, not read as "." (options.given_path)
    group_given: Annotated[str, typer.Argument(metavar="GROUP", help="A folder of athlete files, or a roster (.yaml with athletes:, or .csv).", show_default=False)],
    out_given: Annotated[str | None, typer.Option("--out", "-o", metavar="<path>", help="Folder for the plans: one JSON per athlete (alex.yaml -> alex.json), written atomically.")] = None,
    summary_given: Annotated[str | None, typer.Option("--summary", metavar="<path>", help="Write the summary CSV here (default: OUT/summary.csv with --out).")] = None,
    defaults: Annotated[Path | None, typer.Option("--defaults", readable=False, help="Shared defaults merged under every athlete (a partial athlete file; may hold group_sessions).")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (default: one per core), one solver worker each; with --dask, at most this many athletes in flight (default: the cluster's threads).")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", "-t", min=0.001, max=MOST_SECONDS, metavar="SECONDS", help="Solver time limit per athlete, in seconds (deterministic work, as for solve).")] = 30.0,
    dask: Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", help="Run on an existing Dask cluster: the scheduler address, e.g. tcp://scheduler:8786.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip athletes whose plan in --out still stands: made from the same merged athlete, time limit and --gap, unchanged since.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")] = True,
    gap: GapPercent = 0.0,
) -> int:
    """Plan every athlete of a group in parallel; one plan each and one summary."""
    from periodize.batch.progress import BatchProgress
    from periodize.batch.roster import read_group
    from periodize.batch.run import run_batch

    group = given_path("GROUP", group_given, "a folder of athlete files or a roster")
    out = None if out_given is None else given_path("--out", out_given, "a folder for the plans")
    # text, not a Path: "sums/" must keep its slash (options.output_file)
    summary = None if summary_given is None else output_file("--summary", summary_given, "summary.csv")
    if resume and out is None:
        raise InputError([Problem("--resume", "needs --out: the plans to resume from")])
    if out is not None and out.exists() and not out.is_dir():
        raise InputError([Problem("--out", f"{out} is a file; give a folder for the plans")])
    from periodize.batch.resume import RECORD_NAME

    if out is not None and (out / RECORD_NAME).is_dir():
        # The record of what the batch wrote (``--resume``) goes there: every athlete had been
        # reported failed ("the plan could not be written to OUT/alex.json: Is a directory")
        # with its plan written all the same.
        raise InputError([Problem("--out", f"{out / RECORD_NAME} is a folder; the batch keeps its record of the plans "
                                           "there: remove or rename that folder")])
    if out is not None and group.is_dir() and out.resolve() == group.resolve():
        # The plans would be read as athletes by the next batch of this folder.
        raise InputError([Problem("--out", f"{out} is the group's own folder; give another folder for the plans")])
    if summary is None and out is not None:
        summary = out / "summary.csv"
    # Before solving, not after: a batch can take hours.
    # A folder given as --summary is said once, as such ("cannot write plans: Is a directory"
    # had come first, the same problem twice).
    summary_is_folder = summary is not None and (summary.is_dir() or (out is not None and summary.absolute() == out.absolute()))
    problems = _not_writable("--out", out, folder=True)
    if summary_is_folder:
        problems.append(Problem("--summary", f"{summary} is a folder; give a file name such as summary.csv"))
    else:
        problems += _not_writable("--summary", summary)
    if problems:
        raise InputError(problems)
    roster = read_group(group, defaults)
    clobbered = inputs_written_over(roster, out, summary) + summary_over_an_output(roster, out, summary)
    if clobbered:
        raise InputError(clobbered)
    with BatchProgress(len(roster.entries), enabled=progress) as bar:
        results = run_batch(roster.entries, time_limit=time_limit, relative_gap=relative_gap(gap), jobs=jobs, out=out,
                            resume=resume, dask=dask, on_result=lambda result: bar.advance(failed=result.failed))
    if summary is not None:
        with writing("--summary", summary):  # checked before solving, but the disk may have changed since
            summary.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(summary, csv_text(results))
    console = make_console()
    print_report(results, console, out, relative_gap(gap))
    if summary is not None:
        _say(console, f"summary written to {summary}")
    if out is None and any(result.status in PLANNED for result in results):
        _say(console, "no --out given: the plans were solved but not written (--out DIR keeps them)")
    return EXIT_SOME_FAILED if any(result.failed for result in results) else EXIT_OK


def inputs_written_over(roster: Roster, out: Path | None, summary: Path | None) -> list[Problem]:
    """Where a plan (``OUT/<key>.json``) or the summary would be written over one of the
    group's own files (the roster, ``--defaults``, an athlete file): refused before solving,
    as ``solve --out`` refuses its input. ``alex.json`` beside a roster, planned with ``--out
    .``, had been replaced by its own plan, and ``--summary group.csv`` by the summary."""
    from periodize.batch.resume import plan_path

    inputs = {path.resolve() for entry in roster.entries for path in entry.depends_on}
    if roster.path.is_file():
        inputs.add(roster.path.resolve())
    problems = []
    if summary is not None and summary.resolve() in inputs:
        problems.append(Problem("--summary", f"{summary} is one of the group's input files; give another file"))
    if out is not None:
        for entry in roster.entries:
            plan = plan_path(out, entry)
            if plan.resolve() in inputs:
                problems.append(Problem("--out", f"{entry.source}: its plan {plan} would replace the input file of the same "
                                                 "name; give another folder for the plans"))
    return problems


def summary_over_an_output(roster: Roster, out: Path | None, summary: Path | None) -> list[Problem]:
    """Where ``--summary`` names a file the batch writes itself in ``--out``: a plan
    (``OUT/<key>.json``) or the ``--resume`` record. ``--summary plans/alex.json`` had replaced
    Alex's plan with the summary CSV once every plan was written, exit 0, its row still naming
    the plan."""
    from periodize.batch.resume import RECORD_NAME, plan_path

    if summary is None or out is None:
        return []
    target = summary.resolve()
    if target == (out / RECORD_NAME).resolve():
        return [Problem("--summary", f"{summary} is the record --resume reads; give the summary another file")]
    return [Problem("--summary", f"{summary} is the plan file of {entry.source}; give the summary another file")
            for entry in roster.entries if plan_path(out, entry).resolve() == target]


def _not_writable(option: str, path: Path | None, *, folder: bool = False) -> list[Problem]:
    """A problem where nothing can be written at ``path`` (``output_files.unwritable``): ``--out
    /proc/x`` failed with an internal error, and ``--summary`` only after every plan was
    written. The plans' folder itself is made only when the first plan is written."""
    why = None if path is None else unwritable(path, folder=folder)
    return [] if why is None else [Problem(option, why)]


__all__ = ["batch_command", "print_report", "summary_over_an_output", "summary_table"]
