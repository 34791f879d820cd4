"""Races the calendar places where a coach would look twice: notes, not errors.

The rules plan around each of these (a race is fixed, its day exempt from P12; a race inside
another's recovery window keeps V8), so the season stays valid. But a runner adding a B half
seven days after another half, or a 10k on a ski-trip day, should hear it said rather than
find it in the plan. ``solve`` prints them before solving, and ``whatif`` names the ones a
scenario adds. Read from the skeleton alone, as the rules are.
"""

from __future__ import annotations

from periodize.models.athlete import WEEKDAYS, Priority
from periodize.season import RaceInfo, Skeleton


def _race(race: RaceInfo) -> str:
    return f"{race.name} ({race.priority} race, {WEEKDAYS[race.date.weekday()]} {race.date})"


def _span(skeleton: Skeleton, first: int, last: int) -> str:
    """A window's dates as the rule defines it, not cut where the plan starts or ends."""
    return f"{skeleton.date_of(first)} to {skeleton.date_of(last)}"


def race_clashes(skeleton: Skeleton) -> list[str]:
    """One line per race that falls in another race's recovery (V8) or an A race's taper (V7),
    on a day with no minutes available, or whose own taper starts before the plan does."""
    notes: list[str] = []
    for race in skeleton.races:
        for other in skeleton.races:
            if other is race:
                continue
            recovery, taper = skeleton.recovery(other), skeleton.taper(other)
            if race.day in recovery:
                span = _span(skeleton, other.day + 1, other.day + other.recovery_days)
                notes.append(f"{_race(race)} falls in the recovery after {other.name} (V8, {span})")
            elif race.day in taper:
                span = _span(skeleton, other.day - other.taper_days, other.day - 1)
                notes.append(f"{_race(race)} falls in the taper before {other.name} (V7, {span})")
        if skeleton.available[race.day] == 0:
            why = skeleton.exception_notes[race.day] or ("an availability exception" if skeleton.exception_day[race.day]
                                                          else f"availability.{WEEKDAYS[race.date.weekday()]}")
            notes.append(f"{_race(race)} falls on a day with 0 minutes available ({why}); a race day is exempt "
                         "from P12, so the race is kept")
        if race.priority == Priority.A and race.day < race.taper_days:
            notes.append(f"{_race(race)}: its {race.taper_days}-day taper (V7) starts before the plan's first day "
                         f"{skeleton.start}; the plan holds {race.day} of its days")
    return notes


__all__ = ["race_clashes"]
