"""Rich rendering of a plan: one row per week, each day as a compact code (``E45+A``, ``L90``).

A season is 12-52 weeks of seven days; a compact week-by-week table is what a runner scans to
see the shape (phases, deloads, the long run growing), so each day gets a few characters only
and a legend explains the codes once.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from periodize.models.plan import (
    Day,
    Plan,
    PlanRace,
    RunType,
    SessionKind,
    StrengthSession,
    Week,
)
from periodize.search_hint import gap_share

WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RUN_CODES: dict[RunType, str] = {
    RunType.easy: "E",
    RunType.recovery: "R",
    RunType.quality: "Q",
    RunType.tempo: "T",
    RunType.long: "L",
    RunType.race: "RACE",
}
STRENGTH_CODES: dict[SessionKind, str] = {
    SessionKind.A: "A",
    SessionKind.B: "B",
    SessionKind.full: "F",
    SessionKind.short: "S",
}
PHASE_STYLES: dict[str, str] = {
    "base": "cyan",
    "build": "green",
    "peak": "bold green",
    "taper": "yellow",
    "race": "bold magenta",
    "recovery": "blue",
}
#: A runner read "Train 285" in a week with 90 minutes of strength as counting it: the columns
#: are run minutes (RULES.md's training minutes leave races out; strength is in neither).
LEGEND = (
    "E easy, R recovery, Q quality, T tempo, L long, RACE race, number = minutes; "
    "+A/+B strength A/B, +F full, +S short; lower case = deload dose; "
    "Train = run minutes without races (what the volume rules count), Run = with races; strength in neither"
)


def make_console() -> Console:
    """A console on the current stdout; wide when not a terminal so piped tables do not wrap.
    No Rich markup: every line holds text from the athlete's or the plan's file (names of
    athletes, races, exercises), shown as written; a race named "[B] Half" read as markup
    ended ``periodize solve`` with an internal error after the plan was written."""
    console = PipedConsole(file=sys.stdout, highlight=False, markup=False)
    if not console.is_terminal:
        console = PipedConsole(file=sys.stdout, highlight=False, markup=False, width=200)
    return console


class PipedConsole(Console):
    """A console whose closed pipe ends the command as any other output's does
    (``errors.guarded``: exit 141, quietly); rich's own way exits 1, the code of violations."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError

    def render_str(self, text: str, **options: Any) -> Text:
        """Text the output's encoding lacks, escaped before it is measured: where stdout is
        ASCII, "Jörg" is printed as ``J\\xf6rg`` (``errors.tolerate_unencodable_output``), and
        a table measured on the name had printed its row three columns out of line."""
        return super().render_str(text.encode(self.encoding, "backslashreplace").decode(self.encoding), **options)


def strength_code(session: StrengthSession) -> str:
    code = STRENGTH_CODES[session.session]
    return code.lower() if session.dose == "deload" else code


def day_cell(day: Day) -> str:
    """``E45+A``, ``L90``, ``rest``, ``rest+B``, ``RACE225``."""
    run = day.run
    text = "rest" if run.type == RunType.rest or run.minutes == 0 else f"{RUN_CODES[run.type]}{run.minutes}"
    if day.strength is not None:
        text += "+" + strength_code(day.strength)
    return text


#: Marks a week the table notes below the legend (an availability exception, say).
NOTE_MARK = "*"


def week_row(week: Week, noted: bool = False) -> list[Text | str]:
    cells: list[str] = [""] * 7
    for day in week.days:
        cells[day.date.weekday()] = day_cell(day)
    styled_days: list[Text | str] = [
        Text(cell, style="bold magenta") if cell.startswith("RACE") else Text(cell, style="dim") if cell == "rest" else cell
        for cell in cells
    ]
    return [
        _iso(week.start),
        Text(week.phase + (NOTE_MARK if noted else ""), style=PHASE_STYLES.get(week.phase, "")),
        "deload" if week.deload else "",
        str(week.training_minutes),
        str(week.run_minutes),
        *styled_days,
    ]


def week_table(plan: Plan) -> Table:
    """The week-by-week table; a week with a note (an availability exception) carries a mark."""
    table = Table(title=f"{plan.athlete}: {len(plan.weeks)} weeks", title_justify="left")
    table.add_column("Week", no_wrap=True)
    table.add_column("Phase", no_wrap=True)
    table.add_column("Deload", no_wrap=True)
    table.add_column("Train", justify="right", no_wrap=True)
    table.add_column("Run", justify="right", no_wrap=True)
    for name in WEEKDAY_NAMES:
        table.add_column(name, no_wrap=True)
    for week in plan.weeks:
        table.add_row(*week_row(week, week.note is not None))
    return table


def race_text(race: PlanRace) -> str:
    """``Sun 2027-04-25 City Marathon (A, marathon, 225 min)``."""
    return f"{race.date:%a} {_iso(race.date)} {race.name} ({race.priority}, {race.distance}, {race.minutes} min)"


def summary_line(plan: Plan) -> str:
    """Status, objective, bound, objective terms by code, solve time: one line."""
    terms = ", ".join(f"{code} {value}" for code, value in sorted(plan.objective_terms.items(), key=_code_order) if value)
    parts = [
        f"status {plan.status}",
        f"objective {or_dash(plan.objective)}",
        f"bound {or_dash(plan.bound)}{_gap_note(plan)}",
        f"terms {terms or 'none'}",
        f"solved in {plan.solve_seconds:.2f} s",
    ]
    return "  ".join(parts)


def _gap_note(plan: Plan) -> str:
    """`` (gap 0.6 %)`` after an unproven plan's bound: how far above the best it may be, as a
    share of its objective (what ``--gap`` asks about); nothing for an optimal plan."""
    share = gap_share(plan.objective, plan.bound) if plan.status == "feasible" else None
    return "" if share is None else f" (gap {100 * share:.1f} %)"


def print_plan(plan: Plan, console: Console | None = None) -> None:
    """The week table, the legend, a line for each noted week and the summary line. The notes
    are the plan's (``Week.note``): a holiday week of rest days read as a "build" week of 0
    minutes without a word."""
    console = console or make_console()
    console.print(week_table(plan))
    console.print(LEGEND, style="dim", markup=False)
    if plan.races:
        console.print("races: " + "; ".join(race_text(race) for race in plan.races), markup=False, highlight=False)
    for week in plan.weeks:
        if week.note is not None:
            console.print(f"{NOTE_MARK} week of {_iso(week.start)}: {week.note}", markup=False, highlight=False)
    console.print(summary_line(plan), markup=False)


def _code_order(item: tuple[str, int]) -> tuple[str, int]:
    code = item[0]
    digits = code[1:]
    return (code[:1], int(digits) if digits.isdigit() else 0)


def or_dash(value: object) -> str:
    """A missing figure as ``-``."""
    return "-" if value is None else str(value)


def _iso(value: date) -> str:
    return value.isoformat()
