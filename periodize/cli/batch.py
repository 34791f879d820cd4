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
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from periodize.batch.summary import AthleteResult, cannot_join, counts, csv_text, failures
from periodize.cli.errors import EXIT_OK, EXIT_SOME_FAILED, guarded
from periodize.cli.render import make_console
from periodize.loading import InputError, Problem, write_atomically


def summary_table(results: list[AthleteResult]) -> Table:
    table = Table(title="Batch summary", title_justify="left")
    for column, justify in (("athlete", "left"), ("status", "left"), ("objective", "right"), ("peak min", "right"),
                            ("solve s", "right"), ("violations", "right"), ("group missed", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for result in results:
        missed = sum(entry["missed"] for entry in result.group)
        table.add_row(
            result.key, result.status, _dash(result.objective), _dash(result.peak_minutes),
            "-" if result.solve_seconds is None else f"{result.solve_seconds:.1f}", _dash(result.violations),
            str(missed) if result.group else "-",
        )
    return table


def _dash(value: object) -> str:
    return "-" if value is None else str(value)


def print_report(results: list[AthleteResult], console: Console) -> None:
    console.print(summary_table(results))
    lines = cannot_join(results)
    if lines:
        console.print("Who cannot join the group sessions, and why:", markup=False, highlight=False)
        for line in lines:
            console.print(f"  {line}", markup=False, highlight=False)
    failed = failures(results)
    if failed:
        console.print(f"Failed ({len(failed)}):", markup=False, highlight=False)
        for line in failed:
            console.print(f"  {line}", markup=False, highlight=False)
    tally = counts(results)
    console.print(f"{tally['planned']} planned, {tally['skipped']} skipped, {tally['failed']} failed",
                  markup=False, highlight=False)


@guarded
def batch_command(
    group: Annotated[Path, typer.Argument(help="A folder of athlete files, or a roster (.yaml with athletes:, or .csv).", show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for the plans: one JSON per athlete (alex.yaml -> alex.json), written atomically.")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Write the summary CSV here (default: OUT/summary.csv with --out).")] = None,
    defaults: Annotated[Path | None, typer.Option("--defaults", help="Shared defaults merged under every athlete (a partial athlete file; may hold group_sessions).")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per core), one solver worker each; with --dask, at most this many athletes in flight (default: the cluster's threads).")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", "-t", min=0.001, help="Solver time limit per athlete, in seconds (deterministic work, as for solve).")] = 30.0,
    dask: Annotated[str | None, typer.Option("--dask", help="Run on an existing Dask cluster: the scheduler address, e.g. tcp://scheduler:8786.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip athletes whose plan in --out still stands: newer than their files, made from the same merged athlete and time limit, unchanged since.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")] = True,
) -> int:
    """Plan every athlete of a group in parallel; one plan each and one summary."""
    from periodize.batch.progress import BatchProgress
    from periodize.batch.roster import read_group
    from periodize.batch.run import run_batch

    if resume and out is None:
        raise InputError([Problem("--resume", "needs --out: the plans to resume from")])
    if out is not None and out.exists() and not out.is_dir():
        raise InputError([Problem("--out", f"{out} is a file; give a folder for the plans")])
    if out is not None and group.is_dir() and out.resolve() == group.resolve():
        # The plans would be read as athletes by the next batch of this folder.
        raise InputError([Problem("--out", f"{out} is the group's own folder; give another folder for the plans")])
    if summary is None and out is not None:
        summary = out / "summary.csv"
    # Before solving, not after: a batch can take hours.
    problems = [*_under_a_file("--out", out), *_under_a_file("--summary", summary)]
    if summary is not None and summary.is_dir():
        problems.append(Problem("--summary", f"{summary} is a directory; give a file name such as summary.csv"))
    if problems:
        raise InputError(problems)
    roster = read_group(group, defaults)
    with BatchProgress(len(roster.entries), enabled=progress) as bar:
        results = run_batch(roster.entries, time_limit=time_limit, jobs=jobs, out=out,
                            resume=resume, dask=dask, on_result=lambda result: bar.advance(failed=result.failed))
    if summary is not None:
        summary.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(summary, csv_text(results))
    console = make_console()
    print_report(results, console)
    if summary is not None:
        console.print(f"summary written to {summary}", markup=False, highlight=False)
    if out is None:
        console.print("no --out given: the plans were solved but not written (--out DIR keeps them)",
                      markup=False, highlight=False)
    return EXIT_SOME_FAILED if any(result.failed for result in results) else EXIT_OK


def _under_a_file(option: str, path: Path | None) -> list[Problem]:
    """A problem where a folder above ``path`` is an existing file (nothing can be written there)."""
    for above in () if path is None else path.parents:
        if above.exists():
            return [] if above.is_dir() else [Problem(option, f"{above} is a file, not a folder; cannot write {path}")]
    return []


__all__ = ["batch_command", "print_report", "summary_table"]
