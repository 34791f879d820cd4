"""``periodize show PLAN [--week N]``: one week of a plan, day by day, with every strength
session exercise by exercise and the load guidance (S6) the athlete needs to turn load changes
into weights. Reads only the plan file, so it works on any plan, however it was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from periodize.cli.errors import EXIT_INPUT, EXIT_OK, guarded, say_error
from periodize.cli.render import make_console
from periodize.loading import load_plan
from periodize.models.plan import Day, Plan, RunType, StrengthSession, Week


def session_table(day: Day, session: StrengthSession) -> Table:
    dose = " (deload dose)" if session.dose == "deload" else ""
    table = Table(title=f"{day.date:%a %Y-%m-%d}: strength {session.session}, {session.minutes} min{dose}",
                  title_justify="left")
    table.add_column("exercise", max_width=60)
    for column in ("sets", "reps", "load", "RIR"):
        table.add_column(column)
    if session.warmup is not None:
        table.add_row("Warm-up: " + "; ".join(session.warmup.steps), "", session.warmup.duration, "", "")
    for exercise in session.exercises:
        load = f"{exercise.load_change_pct:+g} %" if exercise.load_change_pct else "cycle baseline"
        table.add_row(exercise.name, str(exercise.sets), exercise.reps, load, exercise.reps_in_reserve or "-")
    if not session.exercises:
        table.add_row("(placement only: this plan carries no prescription)", "", "", "", "")
    return table


def week_lines(week: Week, plan: Plan | None = None) -> list[str]:
    deload = ", deload week" if week.deload else ""
    races = week.run_minutes - week.training_minutes
    strength = sum(day.strength.minutes for day in week.days if day.strength)
    # "400 training minutes" in a week with 90 minutes of strength read as counting it.
    minutes = (f"{week.training_minutes} training minutes of running"
               + (f" (+ {races} racing)" if races else "") + (f", {strength} min of strength" if strength else ""))
    lines = [f"Week of {week.start}: {week.phase}{deload}, {minutes}"]
    if week.note is not None:
        lines.append(f"  note: {week.note}")
    for day in week.days:
        run = f"{day.run.type} {day.run.minutes} min" if day.run.minutes else str(day.run.type)
        race = plan.race_on(day.date) if plan is not None and day.run.type == RunType.race else None
        if race is not None:
            run += f": {race.name} ({race.priority} race, {race.distance})"
        lift = f" + strength {day.strength.session}" if day.strength else ""
        lines.append(f"  {day.date:%a %Y-%m-%d}  {run}{lift}")
    return lines


def print_week(plan: Plan, index: int) -> None:
    console = make_console()
    week = plan.weeks[index]
    for line in week_lines(week, plan):
        console.print(line, highlight=False)
    for day in week.days:
        if day.strength is not None:
            console.print(session_table(day, day.strength))
    if plan.strength_guidance and any(day.strength for day in week.days):
        console.print("Loads:", style="bold")
        for line in plan.strength_guidance:
            console.print(f"  - {line}", highlight=False)


@guarded
def show_command(
    plan_file: Annotated[Path, typer.Argument(readable=False, help="Plan file, as written by `periodize solve --out` or `batch --out`.", show_default=False)],
    week: Annotated[int, typer.Option("--week", "-w", "-W", min=1, metavar="N", help="Week number, 1 = the plan's first week.")] = 1,
) -> int:
    """Show one week of a plan: each day's run, and each strength session exercise by exercise."""
    plan = load_plan(plan_file)
    if not plan.weeks:
        say_error(f"{plan_file}: the plan holds no weeks (status {plan.status}): nothing to show")
        return EXIT_INPUT
    if not 1 <= week <= len(plan.weeks):
        # As explain's --week says it: how many weeks there are, what to give, what was given.
        say_error(f"--week: the plan has {len(plan.weeks)} weeks; give 1 to {len(plan.weeks)}, not {week}")
        return EXIT_INPUT
    shown = plan.weeks[week - 1]
    if len(shown.days) != 7:  # shown as it is; the hard rules are validate's to check
        say_error(f"note: the week of {shown.start} holds {len(shown.days)} days, not 7 (edited by hand?); "
                  "`periodize validate` checks the plan")
    print_week(plan, week - 1)
    return EXIT_OK
