"""``periodize validate``: check any plan file against an athlete with the independent validator.

The validator shares no code path with the solver's constraints, so this is how a plan edited by
hand, or written by another tool, is shown to keep every hard rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from periodize.cli.errors import EXIT_OK, EXIT_VIOLATIONS, guarded, say_error
from periodize.input_problems import InputError, Problem
from periodize.loading import load_athlete, load_plan, looks_like_roster, read_mapping

if TYPE_CHECKING:
    from periodize.models.athlete import Athlete
    from periodize.models.plan import Plan
    from periodize.models.rules import Rules
    from periodize.season import Skeleton


def violation_line(violation: Any) -> str:
    """``CODE  DATE  message``; a violation without a date (a whole-plan one) shows ``-``."""
    when = getattr(violation, "date", None)
    message = violation.message
    if when is not None:  # "P12  2027-03-08  2027-03-08: ..." said the date twice
        message = message.removeprefix(f"{when.isoformat()}: ")
    return f"{violation.code}  {when.isoformat() if when is not None else '-'}  {message}"


def check_plan_is_for(plan: Plan, plan_file: Path, skeleton: Skeleton) -> None:
    """Where the plan names another athlete than the file: a note on stderr where its weeks
    are the athlete's season's (a renamed athlete keeps their plan; it is checked all the
    same), refused (exit 2) where they are not. Another athlete's plan had been checked, and
    the one note that said so was lost above a hundred P1 lines about dates, with exit 1."""
    athlete = skeleton.athlete
    if plan.athlete == athlete.name:
        return
    starts = [week.start for week in plan.weeks]
    season = [skeleton.week_start(index) for index in range(skeleton.n_weeks)]
    if not starts or starts == season:
        say_error(f"note: the plan is for {plan.athlete!r}, the athlete file for {athlete.name!r}")
        return
    raise InputError([Problem("athlete", f"the plan is for {plan.athlete!r} ({_span(starts)}), the athlete file for "
                                         f"{athlete.name!r} ({_span(season)}); give the plan solved for "
                                         f"{athlete.name!r}", file=str(plan_file))])


def _span(starts: Sequence[date]) -> str:
    """``16 weeks from 2027-01-04``."""
    return f"{len(starts)} week{'s' if len(starts) != 1 else ''} from {starts[0]}"


def note_status_mismatch(plan: Plan) -> None:
    """A note on stderr where the status says no plan was found (infeasible, unknown), yet the
    file holds weeks (edited by hand, or written by another tool): the weeks are used as any
    plan's, and the mismatch is said, since the rules alone would pass such a file. Likewise
    where it says ``optimal`` over a bound below its objective (``Plan.proven_optimal``), and
    where its bound is above its objective."""
    if plan.status in ("infeasible", "unknown") and plan.weeks:
        say_error(f"note: the plan's status is {plan.status!r}, yet it holds {len(plan.weeks)} weeks; they are checked")
    elif plan.status == "optimal" and plan.objective is not None and not plan.proven_optimal:
        # (no objective at all is note_objective_mismatch's to say: "below its objective None" said nothing)
        say_error(f"note: the plan's status is 'optimal', yet its bound {plan.bound} is below its objective "
                  f"{plan.objective}; it is read as a plan not proven optimal")
    if plan.objective is not None and plan.bound is not None and plan.bound > plan.objective:
        # A bound is what no plan can cost less than, this one included: edited by hand, or
        # another tool's; explain and batch would have shown a negative gap.
        say_error(f"note: the plan's bound {plan.bound} is above its objective {plan.objective}, which no plan's "
                  "bound can be; the figures are not the solver's")


def note_other_phases(plan: Plan, phases: Sequence[str]) -> None:
    """A note on stderr where the plan's weeks are labelled with other phases than RULES.md
    gives the season (tools read them: a calendar, a chart). Not a violation: phases are
    labels derived from the race calendar, and no hard rule reads them (a plan's `deload` flags
    are its choices, not labels: V3 reads them, README "Readings")."""
    other = [(week, phase) for week, phase in zip(plan.weeks, phases, strict=False) if week.phase != phase]
    if other:
        week, phase = other[0]
        say_error(f"note: {len(other)} week{'s' if len(other) > 1 else ''} labelled with another phase than the "
                  f"season's (first: the week of {week.start} is {week.phase!r}, RULES.md makes it {phase!r})")


def note_objective_mismatch(plan: Plan, skeleton: Skeleton) -> None:
    """A note on stderr where the objective the plan states is not what its days cost (a plan
    edited after it was solved): validate checks the hard rules, so such a plan can pass with
    figures no plan has, and a coach comparing plans by them would be misled. Not a violation:
    the soft objectives are costs, not rules."""
    from periodize.explain.binding import objective_mismatch

    mismatch = objective_mismatch(skeleton, plan)
    if mismatch:
        say_error(f"note: {mismatch}; edited after it was solved? The hard rules are checked all the same")


def load_athlete_and_plan(athlete_file: Path, plan_file: Path, defaults: Path | None = None,
                          plan_option: str | None = None) -> tuple[Athlete, Rules, Plan]:
    """The plan and the athlete it is for: an athlete file (read first, and once, so that files
    given the wrong way round are named as such), or the group a batch planned (a folder, a
    CSV roster, or a file with ``athletes:``, with the batch's ``--defaults``), whose athlete
    is found by the name the plan holds, else by the plan's file name. ``--defaults`` without a
    group is refused: it would be silently unused. ``plan_option`` is the option that named the
    plan file (``explain --plan``), where one did."""
    from periodize.batch.roster import athlete_of_plan

    if not (athlete_file.is_dir() or athlete_file.suffix.lower() == ".csv"):  # the groups read_group reads
        data = read_mapping(athlete_file, what="athlete")
        if not looks_like_roster(data):
            if defaults is not None:
                raise InputError([Problem("--defaults", "is for a batch's group (a roster or a folder); "
                                                        f"{athlete_file.name} is one athlete's file")])
            athlete, rules = load_athlete(athlete_file, data)
            return athlete, rules, load_plan(plan_file, plan_option)
    plan = load_plan(plan_file, plan_option)
    return (*athlete_of_plan(athlete_file, plan_file, plan.athlete, defaults), plan)


@guarded
def validate_command(
    athlete_file: Annotated[Path, typer.Argument(readable=False,
        help="Athlete file (.yaml, .yml, .json or .toml), or the roster or folder `periodize batch` planned: "
             "the plan's athlete is found by the name the plan holds, else by the plan's file name.", show_default=False)],
    plan_file: Annotated[Path, typer.Argument(readable=False, help="Plan file, as written by `periodize solve --out` or `batch --out`.", show_default=False)],
    defaults: Annotated[Path | None, typer.Option("--defaults", readable=False, help="With a group: the --defaults file the batch was given.")] = None,
) -> int:
    """Check a plan against the hard rules; one line per violation. Exit 1 when any."""
    athlete, rules, plan = load_athlete_and_plan(athlete_file, plan_file, defaults)

    # Late: loading errors never need the season or the validator.
    from periodize.season import build_skeleton
    from periodize.validate import counted, validate_plan

    skeleton = build_skeleton(athlete, rules)
    check_plan_is_for(plan, plan_file, skeleton)
    note_status_mismatch(plan)
    note_other_phases(plan, skeleton.phases)
    note_objective_mismatch(plan, skeleton)
    violations = validate_plan(athlete, plan, rules)
    for violation in violations:
        typer.echo(violation_line(violation))
    typer.echo(counted(violations))
    return EXIT_VIOLATIONS if violations else EXIT_OK
