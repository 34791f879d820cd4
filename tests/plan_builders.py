"""Compact builders for athletes and hand-written plans, for validator and solver tests.

A week is written as seven day tokens, Monday to Sunday::

    "E50+A45 Q50 E50+B45 R E60 R L90"

Run types: ``R`` rest, ``E`` easy, ``Y`` recovery, ``Q`` quality, ``T`` tempo, ``L`` long,
``X`` race; the number is the run's minutes (``R`` alone is 0; ``X`` alone takes the race's
minutes from the skeleton). ``+A45`` adds a strength session: ``A``, ``B``, ``F`` (full) or
``S`` (short) with its minutes; a trailing ``d`` marks deload dose (``+A45d``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from periodize.models.athlete import Athlete
from periodize.models.plan import Day, Plan, Run, RunType, SessionKind, StrengthSession, Week
from periodize.season import build_skeleton

START = date(2027, 1, 4)  # a Monday

RUN_CODES = {
    "R": RunType.rest, "E": RunType.easy, "Y": RunType.recovery, "Q": RunType.quality,
    "T": RunType.tempo, "L": RunType.long, "X": RunType.race,
}
SESSION_CODES = {"A": SessionKind.A, "B": SessionKind.B, "F": SessionKind.full, "S": SessionKind.short}
TOKEN = re.compile(r"^(?P<run>[REYQTLX])(?P<minutes>\d+)?(?:\+(?P<session>[ABFS])(?P<smin>\d+)(?P<deload>d)?)?$")


def make_athlete(
    weeks: int = 2,
    *,
    level: str = "intermediate",
    age: int | None = None,
    runs: tuple[int, int] = (4, 6),
    current: int = 300,
    peak: int = 450,
    long: int | None = 90,
    sessions: int = 0,
    availability: int | dict[str, int] = 120,
    races: Sequence[dict[str, Any]] = (),
    exceptions: Sequence[dict[str, Any]] = (),
    rules: dict[str, dict[str, Any]] | None = None,
    start: date = START,
) -> Athlete:
    """An athlete whose season is exactly ``weeks`` whole weeks from ``start`` (a Monday)."""
    days = {day: 120 for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    if isinstance(availability, int):
        days = dict.fromkeys(days, availability)
    else:
        days.update(availability)
    return Athlete.model_validate({
        "name": "Test Runner",
        "level": level,
        "age": age,
        "season": {"start": start, "end": start + timedelta(days=7 * weeks - 1)},
        "volume": {"current_weekly_minutes": current, "peak_weekly_minutes": peak, "current_long_run_minutes": long},
        "runs_per_week": {"min": runs[0], "max": runs[1]},
        "strength": {"sessions_per_week": sessions},
        "races": list(races),
        "availability": days,
        "exceptions": list(exceptions),
        "rules": rules or {},
    })


def parse_day(token: str, when: date, race_minutes: int | None = None) -> Day:
    """One day token (see the module docstring) as a plan Day."""
    match = TOKEN.match(token)
    if match is None:
        raise ValueError(f"bad day token {token!r}")
    kind = RUN_CODES[match["run"]]
    if match["minutes"] is not None:
        minutes = int(match["minutes"])
    elif kind == RunType.race:
        if race_minutes is None:
            raise ValueError(f"{when}: X without minutes on a day with no race")
        minutes = race_minutes
    elif kind == RunType.rest:
        minutes = 0
    else:
        raise ValueError(f"{token!r} needs minutes")
    strength = None
    if match["session"]:
        strength = StrengthSession(
            session=SESSION_CODES[match["session"]],
            minutes=int(match["smin"]),
            dose="deload" if match["deload"] else "normal",
        )
    return Day(date=when, run=Run(type=kind, minutes=minutes), strength=strength)


def make_week(start: date, days: Sequence[Day], *, phase: str = "base", deload: bool = False) -> Week:
    """A plan week whose totals agree with its days."""
    return Week(
        start=start,
        phase=phase,
        deload=deload,
        run_minutes=sum(day.run.minutes for day in days),
        training_minutes=sum(day.run.minutes for day in days if day.run.type != RunType.race),
        days=list(days),
    )


def make_plan(athlete: Athlete, weeks: Sequence[str], deload: Iterable[int] = ()) -> Plan:
    """A plan from one string of seven day tokens per week; ``deload`` lists week indices
    flagged as V3 deload weeks. Phases come from the skeleton."""
    skeleton = build_skeleton(athlete)
    if len(weeks) != skeleton.n_weeks:
        raise ValueError(f"{len(weeks)} weeks given, the season has {skeleton.n_weeks}")
    deload = set(deload)
    plan_weeks: list[Week] = []
    for index, text in enumerate(weeks):
        tokens = text.split()
        if len(tokens) != 7:
            raise ValueError(f"week {index}: {len(tokens)} day tokens, need 7: {text!r}")
        days = []
        for offset, token in enumerate(tokens):
            day = 7 * index + offset
            race = skeleton.race_on_day.get(day)
            days.append(parse_day(token, skeleton.date_of(day), race.minutes if race else None))
        plan_weeks.append(make_week(skeleton.week_start(index), days, phase=skeleton.phases[index],
                                    deload=index in deload))
    return Plan(athlete=athlete.name, status="feasible", weeks=plan_weeks)


def with_weeks(weeks: Sequence[str], changes: dict[int, str]) -> list[str]:
    """A copy of ``weeks`` with some weeks replaced, by index."""
    return [changes.get(index, text) for index, text in enumerate(weeks)]
