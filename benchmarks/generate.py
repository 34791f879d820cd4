"""Seeded benchmark instances, written as athlete files under ``benchmarks/instances/``.

Run from the repository root::

    python -m benchmarks.generate            # (re)write every instance, checking each solves
    python -m benchmarks.generate --no-check # write without the feasibility check (fast)

The grid is season length (8, 12, 26, 52 weeks) x number of races (0-5): one instance per cell,
named ``w<weeks>-r<races>`` (``w26-r1``, ``w52-r4``, ...). Across the grid the three levels and
three availability patterns (generous, moderate, tight) rotate so that every season length sees
each of them; distances (5k, 10k, half, marathon and numbers of km) and priorities (A, B, C) are
drawn from a ``random.Random`` seeded by the cell; longer seasons get busy-week exceptions. Two
cells are pinned to the issue's targets: ``w26-r1`` has one A race, ``w52-r4`` two A races.

Calendars are built to be feasible by construction where RULES.md makes it cheap to see:

- Races are placed in order with room before each one (an A race: its taper plus two weeks; a B race:
  10 days; a C race: 5 days) counted from the end of the
  previous race's recovery (V8), and the last race's recovery ends inside the season. So no two
  races fall on consecutive days (P2), nothing hard falls in the 2 days before a B race (V7) and
  the day before an A or B race is free to be rest (P13).
- Availability holds the runs: ``runs_per_week`` fits the days with at least 20 minutes and P5's
  rest days (P6), the long-run day has room for the longest run (P14, V4), and two days that are
  not neighbours have room for a strength session beside an easy run (P10, P12).
- Busy weeks (exceptions) avoid race weeks and the taper of A races.

Each drawn athlete is validated with :func:`periodize.loading.load_athlete` (after writing) and,
unless ``--no-check``, solved briefly (``CHECK_TIME_LIMIT``); an athlete that is not solved
(infeasible, or no plan within the limit) is redrawn with the next attempt number, so the output
is a deterministic function of the seed, the attempt count being recorded in the file header.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from periodize.loading import load_athlete
from periodize.models.athlete import DISTANCE_KM, WEEKDAYS, Race
from periodize.models.rules import Rules
from periodize.output_files import write_atomically
from periodize.season import PACE_MIN_PER_KM, standard_distance
from periodize.season import recovery_days as season_recovery_days

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "benchmarks" / "instances"

SEED = 7
SEASON_WEEKS = (8, 12, 26, 52)
RACE_COUNTS = (0, 1, 2, 3, 4, 5)
LEVELS = ("beginner", "intermediate", "advanced")
PATTERNS = ("generous", "moderate", "tight")
PLAN_START = date(2027, 1, 4)  # a Monday
CHECK_TIME_LIMIT = 20.0
MAX_ATTEMPTS = 8

#: RULES.md defaults: V7 taper days and V8 recovery days come from the solver's own rules.
DEFAULT_RULES = Rules()
PACE = {level.value: pace for level, pace in PACE_MIN_PER_KM.items()}


def recovery_days(km: float, priority: str) -> int:
    race = Race(name="r", date=PLAN_START, distance=km, priority=priority)
    return season_recovery_days(race, DEFAULT_RULES)


def room_before(km: float, priority: str) -> int:
    """Days a race needs after the previous race's recovery (or the season start)."""
    return {"A": DEFAULT_RULES.V7.taper_days(standard_distance(km)) + 14, "B": 10, "C": 5}[priority]


def name(weeks: int, races: int) -> str:
    return f"w{weeks:02d}-r{races}"


# ---- drawing one athlete ------------------------------------------------------------------------
def _distance(rng: random.Random, priority: str) -> str | float:
    options: list[str | float] = ["5k", "10k", "half", "marathon", round(rng.uniform(6, 35), 1)]
    if priority == "C":
        options = ["5k", "10k", "half", round(rng.uniform(5, 16), 1)]
    return rng.choice(options)


def _km(distance: str | float) -> float:
    return DISTANCE_KM[distance] if isinstance(distance, str) else float(distance)


def _priorities(rng: random.Random, weeks: int, count: int) -> list[str]:
    """At least one A race (the season goal) in any season with races; more A races in longer ones."""
    if count == 0:
        return []
    max_a = 1 if weeks < 26 else 2 if weeks < 52 else 3
    n_a = 1 if count == 1 else rng.randint(1, min(max_a, count - 1))
    rest = [rng.choice("BCC") for _ in range(count - n_a)]
    if count >= 3 and "B" not in rest:
        rest[0] = "B"
    order = ["A"] * n_a + rest
    rng.shuffle(order)
    if count == 1 or "A" not in order[-2:]:
        order.remove("A")
        order.append("A")  # the last A race ends the season's build; it is the goal
    return order


def _races(rng: random.Random, weeks: int, count: int, level: str) -> list[dict[str, Any]]:
    n_days = 7 * weeks
    priorities = _priorities(rng, weeks, count)
    distances = [_distance(rng, priority) for priority in priorities]

    def span() -> int:
        total = 0
        for priority, distance in zip(priorities, distances, strict=True):
            km = _km(distance)
            total += room_before(km, priority) + recovery_days(km, priority)
        return total

    # Shorten the calendar until it fits: the longest race first becomes a shorter one, then
    # an A race (other than the last) becomes a B race.
    shorter = {"marathon": "half", "half": "10k", "10k": "5k"}
    while priorities and span() > n_days - 1:
        def cost(i: int) -> int:
            km = _km(distances[i])
            return room_before(km, priorities[i]) + recovery_days(km, priorities[i])

        shrinkable = [i for i in range(len(priorities))
                      if isinstance(distances[i], float) or distances[i] in shorter]
        demotable = [i for i in range(len(priorities) - 1) if priorities[i] in "AB"]
        if shrinkable:
            widest = max(shrinkable, key=cost)
            distance = distances[widest]
            distances[widest] = ("10k" if distance >= 10 else "5k") if isinstance(distance, float) else shorter[distance]
        elif demotable:
            widest = max(demotable, key=cost)
            priorities[widest] = "B" if priorities[widest] == "A" and priorities.count("A") > 1 else "C"
        else:
            raise ValueError(f"{count} races do not fit {weeks} weeks")

    slack = n_days - 1 - span()
    # Spread the slack at random between the season start and the races; a race then moves to
    # the next Saturday or Sunday where the slack left allows (most races are at weekends).
    cuts = sorted(rng.randint(0, slack) for _ in range(len(priorities)))
    gaps = [b - a for a, b in zip([0, *cuts], cuts)]
    races: list[dict[str, Any]] = []
    day = used = 0
    for index, (priority, distance, gap) in enumerate(zip(priorities, distances, gaps)):
        km = _km(distance)
        gap = min(gap, slack - used)
        day += gap + room_before(km, priority)
        used += gap
        to_weekend = min((5 - day % 7) % 7, (6 - day % 7) % 7)  # day 0 is a Monday
        if to_weekend <= slack - used:
            day += to_weekend
            used += to_weekend
        race: dict[str, Any] = {
            "name": f"{priority} race {index + 1} ({distance if isinstance(distance, str) else f'{distance} km'})",
            "date": PLAN_START + timedelta(days=day),
            "distance": distance,
            "priority": priority,
        }
        if rng.random() < 0.4:
            slowdown = 1.10 if km >= 42 else 1.05 if km >= 21 else 1.0
            race["expected_minutes"] = max(15, round(km * PACE[level] * slowdown * rng.uniform(0.9, 1.1)))
        races.append(race)
        day += recovery_days(km, priority)
    return races


def _availability(rng: random.Random, pattern: str, level: str) -> tuple[dict[str, int], str, list[str]]:
    """Weekday minutes, the long-run day and the days off, by pattern."""
    long_day = rng.choice(["sat", "sun", "sun", "sun"])
    others = [day for day in WEEKDAYS if day != long_day]
    if pattern == "generous":
        off = rng.sample(others, 1 if level != "beginner" else 2)
        minutes = {day: rng.choice([75, 90, 105, 120]) for day in WEEKDAYS}
        minutes[long_day] = 180
    elif pattern == "moderate":
        off = rng.sample(others, 2)
        minutes = {day: rng.choice([60, 65, 75, 90]) for day in WEEKDAYS}
        minutes[long_day] = rng.choice([135, 150])
    else:  # tight: few days, short ones; two of them hold a run plus a strength session
        off = rng.sample(others, 3 if level != "beginner" else 3)
        minutes = {day: rng.choice([40, 45, 50]) for day in WEEKDAYS}
        minutes[long_day] = rng.choice([100, 110, 120])
        open_days = [day for day in others if day not in off]
        longer = open_days[0::2][:2]  # two days that are not neighbours in the open-day list
        for day in longer:
            minutes[day] = 70
    for day in off:
        minutes[day] = 0
    return minutes, long_day, sorted(off, key=WEEKDAYS.index)


def _exceptions(rng: random.Random, weeks: int, races: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Busy weeks: none in 8 weeks, one in 12 and 26, two or three in 52; never in a race week or
    the four weeks before an A race."""
    count = {8: 0, 12: 1, 26: 1, 52: rng.randint(2, 3)}[weeks]
    blocked: set[int] = set()
    for race in races:
        week = (race["date"] - PLAN_START).days // 7
        before = 4 if race["priority"] == "A" else 1
        blocked.update(range(week - before, week + 2))
    free = [week for week in range(1, weeks - 1) if week not in blocked]
    chosen = sorted(rng.sample(free, min(count, len(free))))
    exceptions = []
    for week in chosen:
        monday = PLAN_START + timedelta(weeks=week)
        kind = rng.choice(["work", "travel", "family"])
        if kind == "travel":  # a few days away with no training at all
            first = monday + timedelta(days=rng.randint(0, 2))
            exceptions.append({"from": first, "to": first + timedelta(days=rng.randint(2, 4)),
                               "minutes": 0, "note": "travel"})
        else:  # a whole week of short days
            exceptions.append({"from": monday, "to": monday + timedelta(days=6),
                               "minutes": rng.choice([30, 40, 45]), "note": f"busy {kind} week"})
    return exceptions


def draw(weeks: int, races: int, attempt: int = 0, seed: int = SEED) -> dict[str, Any]:
    """One athlete file, as the dict its YAML loads to; a pure function of its arguments."""
    rng = random.Random(f"{seed}:{weeks}:{races}:{attempt}")
    length_index = SEASON_WEEKS.index(weeks)
    level = LEVELS[(races + length_index) % 3]
    pattern = PATTERNS[(races + 2 * length_index) % 3]
    age = rng.choice([24, 31, 38, 45, 52, 61])
    availability, long_day, off = _availability(rng, pattern, level)
    rest = 2 if level == "beginner" else 1
    open_days = sum(1 for minutes in availability.values() if minutes >= 20)
    runs_max = min(open_days, 7 - rest, {"beginner": 4, "intermediate": 6, "advanced": 6}[level])
    runs_min = max(3, runs_max - rng.randint(0, 1))
    current = {"beginner": rng.choice([90, 100, 120]), "intermediate": rng.choice([180, 210, 240]),
               "advanced": rng.choice([300, 330, 360])}[level]
    if pattern == "tight":
        current = min(current, 200)
    peak = round(current * rng.uniform(1.5, 1.9) / 10) * 10
    race_list = _races(rng, weeks, races, level)
    strength = {"sessions_per_week": rng.choice([1, 2, 2, 2]) if pattern != "tight" else rng.choice([1, 2]),
                "equipment": rng.choice(["gym", "home"])}
    if rng.random() < 0.25:
        strength["plyometrics"] = True
    data: dict[str, Any] = {
        "name": f"Benchmark {name(weeks, races)} ({level}, {pattern} availability)",
        "level": level,
        "age": age,
        "season": {"start": PLAN_START, "end": PLAN_START + timedelta(days=7 * weeks - 1)},
        "volume": {"current_weekly_minutes": current, "peak_weekly_minutes": peak,
                   "current_long_run_minutes": max(45, round(current * 0.3 / 5) * 5)},
        "runs_per_week": {"min": runs_min, "max": runs_max},
        "strength": strength,
        "races": race_list,
        "availability": availability,
        "exceptions": _exceptions(rng, weeks, race_list),
        "preferences": {"long_run_day": long_day,
                        "quality_days": rng.choice([["tue", "thu"], ["wed"], ["tue", "fri"]]),
                        "rest_days": off[:1]},
    }
    if rng.random() < 0.5:
        data["volume"]["weekly_time_budget_minutes"] = peak + rng.choice([60, 90, 120])
    if rng.random() < 0.3:
        data["preferences"]["strength_days"] = rng.choice([["mon", "thu"], ["tue", "fri"]])
    if not data["exceptions"]:
        del data["exceptions"]
    return data


# ---- writing and checking ----------------------------------------------------------------------
def as_yaml(data: dict[str, Any], header: str) -> str:
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=110)
    return header + body


def check(path: Path, time_limit: float = CHECK_TIME_LIMIT) -> str:
    """Load the file and solve it briefly: the solver's status."""
    from periodize.season import build_skeleton
    from periodize.solver.solve import solve_skeleton

    athlete, rules = load_athlete(path)
    plan, _ = solve_skeleton(build_skeleton(athlete, rules), time_limit=time_limit, workers=1, seed=0)
    return plan.status


def generate(directory: Path = INSTANCES, *, solve_check: bool = True, seed: int = SEED,
             cells: list[tuple[int, int]] | None = None) -> dict[str, str]:
    """Write every instance; ``{name: status}`` (``"unchecked"`` without the solve check)."""
    directory.mkdir(parents=True, exist_ok=True)
    outcome: dict[str, str] = {}
    for weeks, races in cells or [(w, r) for w in SEASON_WEEKS for r in RACE_COUNTS]:
        path = directory / f"{name(weeks, races)}.yaml"
        for attempt in range(MAX_ATTEMPTS):
            data = draw(weeks, races, attempt, seed)
            header = (f"# Benchmark instance {name(weeks, races)}: {weeks} weeks, {races} race{'' if races == 1 else 's'}.\n"
                      f"# Generated by benchmarks/generate.py (seed {seed}, attempt {attempt}); do not edit by hand.\n"
                      f"# Rerun one with:  periodize solve benchmarks/instances/{path.name}\n")
            write_atomically(path, as_yaml(data, header))
            load_athlete(path)  # raises InputError if the generator wrote something invalid
            status = check(path) if solve_check else "unchecked"
            print(f"{path.name}: attempt {attempt} {status}", flush=True)
            if status in ("optimal", "feasible", "unchecked"):
                break
        else:
            raise RuntimeError(f"{path.name}: no solvable draw in {MAX_ATTEMPTS} attempts")
        outcome[path.stem] = status
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the seeded benchmark instances.")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-check", action="store_true", help="skip the brief solve of each instance")
    parser.add_argument("--only", nargs="*", help="cells as WEEKSxRACES, e.g. 26x1 52x4")
    parser.add_argument("--out", type=Path, default=INSTANCES)
    args = parser.parse_args(argv)
    cells = [tuple(int(part) for part in cell.split("x")) for cell in args.only] if args.only else None
    generate(args.out, solve_check=not args.no_check, seed=args.seed, cells=cells)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
