"""``periodize whatif ATHLETE``: race-calendar scenarios solved side by side with the baseline.

Each ``--add-race``, ``--move-race``, ``--drop-race`` and ``--set-priority`` is one scenario,
and so is each ``--scenario`` file (a patch of the athlete file), so several alternatives are
compared in one call. The baseline is always the first column.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from periodize.cli.errors import EXIT_OK, guarded
from periodize.cli.options import MOST_SECONDS, GapPercent, relative_gap
from periodize.cli.render import make_console, or_dash
from periodize.input_problems import InputError, Problem
from periodize.loading import load_athlete, load_plan, read_mapping
from periodize.models.athlete import Athlete
from periodize.models.plan import Plan
from periodize.models.rules import SOFT_RULE_MEANINGS, Rules
from periodize.spreadsheet import numbered, text_cells
from periodize.whatif.compare import RaceOutlook, ScenarioResult


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


#: Each A race's rows: (label, ``RaceOutlook`` attribute). Build-up weeks are build and peak
#: weeks together, which "build weeks" did not say (9 in a plan of 7 `build` weeks).
RACE_ROWS = (("peak min", "peak_minutes"), ("build-up weeks (build + peak)", "build_weeks"),
             ("taper days", "taper_days"), ("longest long run", "longest_long_run"))


def race_cell(outlook: RaceOutlook | None, attribute: str) -> str:
    """One race figure of one scenario: ``-`` where the scenario has no such race, or the
    figure belongs to a build-up the race has none of (``RaceOutlook.figure``)."""
    value = None if outlook is None else outlook.figure(attribute)
    return "-" if value is None else str(value)


def race_rows(results: list[ScenarioResult]) -> list[tuple[str, list[str]]]:
    names = list(dict.fromkeys(outlook.race for result in results for outlook in result.races))
    rows = []
    for name in names:
        for label, attribute in RACE_ROWS:
            cells = [race_cell(next((o for o in result.races if o.race == name), None), attribute) for result in results]
            rows.append((f"{name}: {label}", cells))
    return rows


#: Without --stable each scenario is planned afresh, and where plans of equal cost differ the
#: count holds those days too (65 days for a C 10k whose --stable diff is 4), and the peak and
#: long-run figures its verdict names may differ with them (a dropped race "cost" 20 minutes of
#: longest long run that the --stable re-plan kept).
DAYS_CHANGED_NOTE = ("days changed: every day that differs from the baseline plan; planned afresh, a scenario may "
                     "pick other days of equal cost too, and with them other peaks and long runs. --stable counts "
                     "what the change forces.")


def window_counts(result: ScenarioResult) -> str:
    """"+1 / -2": the rule windows the scenario adds and removes (each one is in the JSON)."""
    added = sum(1 for window in result.windows if window["change"] == "added")
    return f"+{added} / -{len(result.windows) - added}"


def comparison_table(results: list[ScenarioResult]) -> Table:
    table = Table(title="What-if comparison", title_justify="left")
    table.add_column("")
    for result in results:
        table.add_column(result.name, justify="right")
    codes = sorted({code for result in results for code in result.objective_terms}, key=lambda c: int(c[1:]))
    rows: list[tuple[str, list[str]]] = [
        ("status", [result.status for result in results]),
        ("objective", [or_dash(result.objective) for result in results]),
        # Each term's points with what they are for: "O4" alone told a coach nothing, and "O6
        # strength sessions missing 60" read as a count of 60 (3 sessions at 20 points).
        *[(f"  {code} points: {SOFT_RULE_MEANINGS[code]}" if code in SOFT_RULE_MEANINGS else f"  {code}",
           [or_dash(result.objective_terms.get(code)) for result in results]) for code in codes],
        *([("bound", [or_dash(result.bound) for result in results])]
          if any(result.status == "feasible" for result in results) else []),
        ("weeks", [or_dash(result.weeks) for result in results]),
        *race_rows(results),
        ("quality/tempo sessions", [or_dash(result.quality_sessions) for result in results]),
        ("strength sessions", [or_dash(result.strength_sessions) for result in results]),
        ("run minutes (races in)", [or_dash(result.total_minutes) for result in results]),
        ("days changed", [or_dash(result.days_changed) for result in results]),
        ("rule windows added / removed", [window_counts(result) for result in results]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    return table


def csv_text(results: list[ScenarioResult]) -> str:
    """One row per scenario; race figures in columns named after the race."""
    buffer = io.StringIO()
    races = list(dict.fromkeys(outlook.race for result in results for outlook in result.races))
    codes = sorted({code for result in results for code in result.objective_terms}, key=lambda c: int(c[1:]))
    header = ["scenario", "status", "objective", *codes]
    header += [f"{race} {what}" for race in races for _, what in RACE_ROWS]
    header += ["quality_sessions", "strength_sessions", "total_minutes", "days_changed", "verdict", "bound", "weeks", "fixes",
               "notes"]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(text_cells(header))
    for result in results:
        by_race = {o.race: o for o in result.races}
        row: list[Any] = [result.name, result.status, _blank(result.objective), *[_blank(result.objective_terms.get(c)) for c in codes]]
        for race in races:
            outlook = by_race.get(race)
            cells = [race_cell(outlook, what) for _, what in RACE_ROWS]
            row += ["" if cell == "-" else cell for cell in cells]
        row += [*map(_blank, (result.quality_sessions, result.strength_sessions, result.total_minutes,
                              result.days_changed)), result.verdict, _blank(result.bound), _blank(result.weeks),
                numbered(fix["change"] for fix in result.fixes) or result.no_fix or "", numbered(result.calendar_notes)]
        writer.writerow(text_cells(row))
    return buffer.getvalue()


def _blank(value: int | None) -> Any:
    return "" if value is None else value


def planned_baseline(athlete: Athlete, rules: Rules, path: Path) -> Plan:
    """The baseline's plan from ``--baseline-plan``: a plan of this athlete's season (another's is
    refused, a renamed athlete's noted, as ``validate`` does) that keeps every hard rule, since
    every scenario is measured against it. Anything else is input to fix (exit 2)."""
    from periodize.cli.validate import check_plan_is_for
    from periodize.explain.binding import objective_mismatch
    from periodize.season import build_skeleton
    from periodize.validate import validate_plan

    plan = load_plan(path, BASELINE_PLAN_OPTION)
    if not plan.weeks or plan.status not in ("optimal", "feasible"):
        raise InputError([Problem(BASELINE_PLAN_OPTION, f"{path} holds no plan (status {plan.status!r}); give one "
                                                        "that `periodize solve --out` wrote for the athlete file")])
    skeleton = build_skeleton(athlete, rules)
    check_plan_is_for(plan, path, skeleton)
    violations = validate_plan(athlete, plan, rules)
    if violations:
        first = violations[0]
        raise InputError([Problem(BASELINE_PLAN_OPTION, f"{path} breaks {len(violations)} hard rule check"
                                                        f"{'s' if len(violations) > 1 else ''} of the athlete file "
                                                        f"(first: {first.code} {first.date or '-'}: {first.message}); "
                                                        "periodize validate lists them")])
    # Its figures stand for the baseline's: a plan solved before the file's weights changed (O6
    # at 60) had compared its old objective with scenarios priced anew, "objective +188" for a
    # change of nothing.
    mismatch = objective_mismatch(skeleton, plan)
    if mismatch:
        raise InputError([Problem(BASELINE_PLAN_OPTION, f"{path}: {mismatch} under the athlete file as it is now; "
                                                        "solve it again, or leave --baseline-plan out")])
    return plan


#: The option that names a baseline plan already solved.
BASELINE_PLAN_OPTION = "--baseline-plan"


@guarded
def whatif_command(
    athlete_file: Annotated[Path, typer.Argument(readable=False, help="Athlete file: the baseline.", show_default=False)],
    add_race: Annotated[list[str], typer.Option("--add-race", metavar="NAME,DATE,DISTANCE,PRIORITY[,MINUTES]", help="A race to add (MINUTES: its expected time, optional): one scenario each.")] = [],  # noqa: B006
    move_race: Annotated[list[str], typer.Option("--move-race", metavar="NAME=DATE", help="A race to move: one scenario each.")] = [],  # noqa: B006
    drop_race: Annotated[list[str], typer.Option("--drop-race", metavar="NAME", help="A race to drop: one scenario each.")] = [],  # noqa: B006
    set_priority: Annotated[list[str], typer.Option("--set-priority", metavar="NAME=A|B|C", help="A race's new priority: one scenario each.")] = [],  # noqa: B006
    scenario: Annotated[list[Path], typer.Option("--scenario", metavar="FILE", readable=False, help="A patch of the athlete file (YAML/JSON/TOML): one scenario each.")] = [],  # noqa: B006
    stable: Annotated[bool, typer.Option("--stable", help="Re-plan each scenario against the baseline plan (O5), keeping every day the rules allow.")] = False,
    output: Annotated[Format, typer.Option("--format", "-f", help="table, json ({\"scenarios\": [...]}) or csv.")] = Format.table,
    time_limit: Annotated[float, typer.Option("--time-limit", "-t", min=0.001, max=MOST_SECONDS, metavar="SECONDS", help="Solver time limit per scenario, in seconds.")] = 30.0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Scenarios solved in parallel (one solver worker each).")] = 2,
    gap: GapPercent = 0.0,
    baseline_plan: Annotated[Path | None, typer.Option("--baseline-plan", metavar="PLAN", readable=False, help="The baseline's plan, as `solve --out` wrote it for this file: not solved again.")] = None,
) -> int:
    """Compare race-calendar scenarios side by side with the baseline plan."""
    from periodize.explain import explain_conflict
    from periodize.whatif.run import run_whatif
    from periodize.whatif.scenario import scenarios_from_options

    athlete, rules = load_athlete(athlete_file)  # the baseline must be valid before anything is solved
    scenarios = scenarios_from_options(add_race, move_race, drop_race, set_priority, scenario)
    given = None if baseline_plan is None else planned_baseline(athlete, rules, baseline_plan)
    results = run_whatif(read_mapping(athlete_file, what="athlete"), scenarios, time_limit=time_limit,
                         relative_gap=relative_gap(gap), stable=stable, jobs=jobs,
                         explain=functools.partial(explain_conflict, time_limit=time_limit), baseline_plan=given)
    if output == Format.json:
        typer.echo(json.dumps({"scenarios": [result.as_json() for result in results]}, indent=2))
    elif output == Format.csv:
        typer.echo(csv_text(results), nl=False)
    else:
        console = make_console()
        console.print(comparison_table(results))
        if not stable and any(result.days_changed for result in results):
            console.print(DAYS_CHANGED_NOTE, highlight=False)
        # The baseline's line only where it has no plan: its conflict is what every column shares.
        for result in results if not results[0].feasible else results[1:]:
            console.print(f"{result.name}: {result.verdict}", highlight=False)
            for note in result.calendar_notes:
                console.print(f"  note: {note}", highlight=False)
            for fix in result.fixes:
                console.print(f"  fix: {fix['change']}", highlight=False)
            if result.no_fix:
                console.print(f"  fix: none found: {result.no_fix}", highlight=False)
    return EXIT_OK
