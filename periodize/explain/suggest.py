"""The smallest edits to the athlete file that make an infeasible season solvable.

Candidates come from the rules in the conflict: P6 and P5 suggest fewer running days or more
minutes on a day without time; P12, P14, P3 and P10 more minutes on a day (or an exception)
that cannot hold the session, or fewer strength sessions; rules about races (P2, P11, P13,
V7, V8) moving a race or lowering its priority; a rule whose numbers the athlete overrode, a
number back toward its default. Each candidate is an edit of the athlete file, validated like
the file itself and then proven feasible on the feasibility-only model before it is offered.
Candidates are tried cheapest first; of one kind of edit (say, raising Friday's minutes) only
the smallest that works is kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from periodize.explain.conflict import WorkBudget, season_is_feasible
from periodize.explain.sentences import RuleConflict
from periodize.models.athlete import WEEKDAYS, Athlete, Priority
from periodize.models.rules import (
    MINUTE_STEP,
    Rules,
    days_past_a_week,
    level_defaults,
    number_step,
    resolve_rules,
)
from periodize.season import Skeleton, recovery_past_limits

#: What moving an A race costs beyond its days, against the other changes' costs: after
#: changing a B race's priority (3) and most one-number changes.
A_RACE_MOVE_COST = 4
#: Most feasibility solves spent on suggestions, and how far a race is moved at most.
MAX_CHECKS = 60
MAX_RACE_SHIFT_DAYS = 14
RACE_CODES = frozenset({"P2", "P11", "P13", "V7", "V8"})
DAY_CODES = frozenset({"P3", "P6", "P10", "P12", "P14"})


@dataclass(frozen=True)
class Suggestion:
    """A verified change: ``change`` in words, ``patch`` as ``{path in the athlete file: new value}``
    (paths as the loader reports them: ``runs_per_week.min``, ``races[1].date``)."""

    change: str
    patch: dict[str, Any]
    cost: float

    def as_json(self) -> dict[str, Any]:
        return {"change": self.change, "patch": {path: jsonable(value) for path, value in self.patch.items()}}


@dataclass(frozen=True)
class Candidate:
    family: str
    cost: float
    change: str
    patch: dict[str, Any]


def jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# ---- applying a patch ----------------------------------------------------------------------------
PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def apply_patch(athlete: Athlete, patch: dict[str, Any]) -> Athlete:
    """The athlete with each ``path: value`` set, validated again (raises ``ValidationError``)."""
    data = athlete.model_dump(by_alias=True)
    for path, value in patch.items():
        parts: list[str | int] = [int(index) if index else name for name, index in PATH_PART.findall(path)]
        target: Any = data
        for part in parts[:-1]:
            if isinstance(part, str) and part not in target:
                target[part] = {}
            target = target[part]
        target[parts[-1]] = value
    return Athlete.model_validate(data)


# ---- candidates ------------------------------------------------------------------------------------
def day_sources(skeleton: Skeleton, conflicts: list[RuleConflict]) -> dict[str, tuple[str, int, str]]:
    """Where a short day's minutes come from: ``{path: (label, current minutes, family)}`` for
    the weekday or the exception behind each day the conflict names (P12 days; for P6, the days
    of its weeks without time for a run)."""
    athlete = skeleton.athlete
    shortest = skeleton.rules.P14.shortest_easy_run
    days: set[int] = set()
    for conflict in conflicts:
        for kind, value in conflict.groups:
            if kind == "day" and conflict.code in ("P12", "P14"):
                days.add(int(value))
            elif kind == "week" and conflict.code == "P6":
                days.update(d for d in skeleton.week_days(int(value))
                            if skeleton.available[d] < shortest and d not in skeleton.race_on_day)
    sources: dict[str, tuple[str, int, str]] = {}
    for day in sorted(days):
        when = skeleton.date_of(day)
        if skeleton.exception_day[day]:
            index = max(i for i, exc in enumerate(athlete.exceptions) if exc.covers(when))
            exc = athlete.exceptions[index]
            label = f"the exception {exc.note or ''} ({exc.from_} to {exc.to})".replace("exception  (", "exception (")
            sources[f"exceptions[{index}].minutes"] = (label, exc.minutes, f"exception{index}")
        else:
            name = WEEKDAYS[when.weekday()]
            sources[f"availability.{name}"] = (name, athlete.availability.minutes_on(when.weekday()), name)
    return sources


def session_thresholds(rules: Rules) -> list[int]:
    """Minutes at which one more kind of day becomes possible: a run, a long run, a strength
    session alone or beside the shortest run."""
    p14 = rules.P14
    runs = [p14.shortest_easy_run, p14.quality_min, p14.long_min]
    sessions = [p14.ab_planned, p14.full_planned, p14.short_planned]
    return sorted({*runs, *sessions, *(runs[0] + s for s in sessions), *(p14.long_min + s for s in sessions)})


def minute_candidates(skeleton: Skeleton, conflicts: list[RuleConflict]) -> Iterator[Candidate]:
    for path, (label, current, family) in day_sources(skeleton, conflicts).items():
        for value in session_thresholds(skeleton.rules):
            if value > current:
                yield Candidate(f"minutes:{family}", (value - current) / 10,
                                f"raise {label} from {current} to {value} min ({path})", {path: value})


def runs_candidates(skeleton: Skeleton) -> Iterator[Candidate]:
    limits = skeleton.athlete.runs_per_week
    for value in range(limits.min - 1, 0, -1):
        yield Candidate("runs_min", limits.min - value,
                        f"lower runs_per_week.min from {limits.min} to {value}", {"runs_per_week.min": value})


#: Rules that more running days a week can settle: a long run and quality sessions beside the
#: other runs (P3, P4, P6), and the shares of a week they may take (V4, V6).
RUN_COUNT_CODES = frozenset({"P3", "P4", "P6", "V4", "V6"})


def runs_max_candidates(skeleton: Skeleton) -> Iterator[Candidate]:
    limits = skeleton.athlete.runs_per_week
    for value in range(limits.max + 1, 8):
        yield Candidate("runs_max", value - limits.max,
                        f"raise runs_per_week.max from {limits.max} to {value}", {"runs_per_week.max": value})


def peak_candidates(skeleton: Skeleton) -> Iterator[Candidate]:
    """V9 below what a week must hold: peak_weekly_minutes raised to the minimum week (RULES.md:
    the fewest training minutes a normal week allows), then by a quarter of it at a time."""
    current = skeleton.athlete.volume.peak_weekly_minutes
    floor = skeleton.minimum_week
    steps = (5 * math.ceil(floor * quarters / 4 / 5) for quarters in (4, 5, 6, 8))  # on the 5-minute grid
    values = sorted({value for value in steps if value > current})
    for rank, value in enumerate(values, start=1):
        yield Candidate("peak", rank, f"raise volume.peak_weekly_minutes from {current} to {value}",
                        {"volume.peak_weekly_minutes": value})


#: The strength sessions each ``sessions_per_week`` plans (S4's busy pair beside A and B), by
#: the prefix of their P14 numbers.
SESSION_PREFIXES = {1: ("full",), 2: ("ab", "full", "short")}


def strength_candidates(skeleton: Skeleton) -> Iterator[Candidate]:
    """Fewer sessions, or the sessions planned shorter within P14's range: a parent with 35
    minutes a day had been offered only more minutes or no strength, where P14's ``full`` runs
    from 35 and the plan gives it 40 (``full_planned``). In 5-minute steps, priced as a day's
    minutes are; an override above the default is stepped back by ``rule_number_candidates``."""
    current = skeleton.athlete.strength.sessions_per_week
    p14, default = skeleton.rules.P14, Rules.model_validate(level_defaults(skeleton.athlete)).P14
    for prefix in SESSION_PREFIXES.get(current, ()):
        planned, shortest = getattr(p14, f"{prefix}_planned"), getattr(p14, f"{prefix}_min")
        for value in range(min(planned, getattr(default, f"{prefix}_planned")) - MINUTE_STEP, shortest - 1, -MINUTE_STEP):
            yield Candidate(f"planned:{prefix}", (planned - value) / 10,
                            f"plan the {prefix.replace('ab', 'A and B')} sessions at {value} minutes, not {planned} "
                            f"(rules.P14.{prefix}_planned; P14 allows {shortest}-{getattr(p14, f'{prefix}_max')})",
                            {f"rules.P14.{prefix}_planned": value})
    for value in range(current - 1, -1, -1):
        yield Candidate("sessions", 2 * (current - value),
                        f"lower strength.sessions_per_week from {current} to {value}",
                        {"strength.sessions_per_week": value})


def involved_races(skeleton: Skeleton, conflicts: list[RuleConflict]) -> list[str]:
    """Races the conflict names, races on the days it names, and races close before a named B
    or A race: the ones crowding its mini taper (V7's ``mini_taper_days``, RULES.md's windows),
    its easy days (V7) or the day before it (P13)."""
    v7 = skeleton.rules.V7
    crowded_days = max(v7.mini_taper_days, v7.b_race_easy_days, 1)
    names: list[str] = []
    for conflict in conflicts:
        for kind, value in conflict.groups:
            if kind == "race":
                race = next(r for r in skeleton.races if r.name == value)
                crowding = [r.name for r in skeleton.races if race.day - crowded_days <= r.day < race.day]
                names += crowding + [race.name]
            elif kind == "day" and conflict.code in RACE_CODES:
                names += [skeleton.race_on_day[d].name for d in (int(value), int(value) + 1) if d in skeleton.race_on_day]
    return list(dict.fromkeys(names))


def race_candidates(skeleton: Skeleton, conflicts: list[RuleConflict]) -> Iterator[Candidate]:
    athlete = skeleton.athlete
    index_of = {race.name: i for i, race in enumerate(athlete.races)}
    for name in involved_races(skeleton, conflicts):
        index = index_of[name]
        race = athlete.races[index]
        # A race's date is the organiser's: the change says so, and an A race (the season's
        # goal) is moved only after cheaper changes, its change to priority B (3) among them
        # (an A half "1 day later" had come first).
        settle_first = A_RACE_MOVE_COST if race.priority == Priority.A else 0
        for shift in range(1, MAX_RACE_SHIFT_DAYS + 1):
            for sign, word in ((1, "later"), (-1, "earlier")):
                moved = race.date + timedelta(days=sign * shift)
                day = skeleton.day_of(moved)
                # As solve's calendar note says it: a fix onto a day the athlete gave no minutes
                # had read as an ordinary day (first-10k's Saturday half moved to a 0-minute Friday).
                empty = "; 0 minutes are available that day" if 0 <= day < skeleton.n_days and not skeleton.available[day] else ""
                yield Candidate(f"move:{name}:{word}", settle_first + shift / 2,
                                f"move {name} from {race.date} to {moved} ({shift} day{'s' if shift > 1 else ''} {word}, "
                                f"where a race that day is an option{empty})", {f"races[{index}].date": moved})
        lower = {Priority.A: Priority.B, Priority.B: Priority.C}.get(race.priority)
        if lower is not None:
            yield Candidate(f"priority:{name}", 3, f"change {name} from priority {race.priority.value} to {lower.value}",
                            {f"races[{index}].priority": lower.value})


#: Rules whose numbers another rule's constraints read, so an override of the one shows in
#: a conflict as the other: P14's long run ends at V4's cap (RULES.md P14: "long from 60 up
#: to V4's cap"), posted as P14's upper bound.
NUMBERS_READ = {"P14": frozenset({"V4"})}
#: Integer overrides at most this far from the default are stepped back one by one (the
#: smallest change that works); farther ones in ``INTEGER_STEPS`` even steps, so that the
#: default is reached within the checks (``long_min: 300`` is 240 minutes from its default).
UNIT_STEPS_UP_TO = 12
INTEGER_STEPS = 8


def _integer_steps(current: int, default: int) -> list[int]:
    """Whole numbers from ``current`` toward ``default``, the default last: every one where
    they are ``UNIT_STEPS_UP_TO`` or fewer apart, else ``INTEGER_STEPS`` even steps."""
    if abs(default - current) <= UNIT_STEPS_UP_TO:
        step = 1 if default > current else -1
        return list(range(current + step, default + step, step))
    return list(dict.fromkeys(round(current + (default - current) * k / INTEGER_STEPS) for k in range(1, INTEGER_STEPS + 1)))


def rule_number_candidates(skeleton: Skeleton, codes: set[str]) -> Iterator[Candidate]:
    """Numbers the athlete overrode, for rules in the conflict (and the rules whose numbers
    they read, ``NUMBERS_READ``), stepped back toward the default."""
    athlete = skeleton.athlete
    defaults = Rules.model_validate(level_defaults(athlete))
    codes = codes.union(*(NUMBERS_READ.get(code, frozenset()) for code in codes))
    for code in sorted(codes & set(athlete.rules)):
        for param, current in athlete.rules[code].items():
            default = getattr(getattr(defaults, code), param, None)
            if not isinstance(current, (int, float)) or isinstance(current, bool) or default is None or default == current:
                continue
            if isinstance(current, int) and isinstance(default, int):
                # In the number's own steps: a run length stepped by one minute (24, 23, ...)
                # would be refused, since run lengths are whole 5-minute steps.
                size = number_step(code, param)
                values: list[float] = [size * value for value in _integer_steps(current // size, default // size)]
            else:
                values = [current + (default - current) * k / 4 for k in (1, 2, 3, 4)]
            for rank, value in enumerate(values, start=1):
                shown = value if isinstance(value, int) else round(value, 2)
                yield Candidate(f"rule:{code}.{param}", rank,
                                f"change rules.{code}.{param} from {current} to {shown} (default {default})",
                                {f"rules.{code}.{param}": shown})


def candidates(skeleton: Skeleton, conflicts: list[RuleConflict]) -> list[Candidate]:
    codes = {conflict.code for conflict in conflicts}
    found: list[Candidate] = []
    if codes & {"P5", "P6"}:
        found += runs_candidates(skeleton)
    if codes & RUN_COUNT_CODES:
        found += runs_max_candidates(skeleton)
    if "V9" in codes:
        found += peak_candidates(skeleton)
    if codes & DAY_CODES:
        found += minute_candidates(skeleton, conflicts)
    if "P10" in codes or ("P12" in codes and skeleton.athlete.strength.sessions_per_week):
        found += strength_candidates(skeleton)
    if codes & RACE_CODES:
        found += race_candidates(skeleton, conflicts)
    found += rule_number_candidates(skeleton, codes)
    return sorted(found, key=lambda candidate: candidate.cost)  # stable: generation order breaks ties


def kind_of(family: str) -> str:
    """Suggestions are kept varied: one per kind of edit (one day's minutes, not three days'
    alternatives; one move per race, whichever direction is nearer)."""
    kind = family.split(":")[0]
    return family.rsplit(":", 1)[0] if kind == "move" else kind


@dataclass(frozen=True)
class Suggestions:
    """``suggest``'s answer: the verified changes, and whether candidates were left untried at
    ``MAX_CHECKS`` (a season with no verified change then says so: "no single change tried made
    the season solvable" had been said where raising Monday's minutes alone solved it, the 61st
    candidate)."""

    verified: list[Suggestion]
    untried: bool = False


def suggest(
    skeleton: Skeleton, conflicts: list[RuleConflict], *, limit: int = 3, max_checks: int = MAX_CHECKS,
    work: float = 2.0, budget: WorkBudget | None = None,
) -> Suggestions:
    """Up to ``limit`` verified changes, cheapest first; each solves the season when applied.
    Fewer where ``budget`` runs out first: a change is offered only once a solve shows it works."""
    verified: list[Suggestion] = []
    settled: set[str] = set()
    #: A stepped rule number's value last found to leave the season infeasible, by family.
    failed: dict[str, Any] = {}
    checks = 0

    def solvable(patch: dict[str, Any]) -> bool | None:
        """Whether the season solves with ``patch`` applied; None where the edit makes a file
        periodize refuses (a race moved out of the season, recoveries past the weeks planned)."""
        nonlocal checks
        try:
            athlete = apply_patch(skeleton.athlete, patch)
            rules = resolve_rules(athlete)
        except (ValidationError, ValueError):
            return None
        if recovery_past_limits(athlete, rules) or days_past_a_week(athlete, rules):
            return None
        checks += 1
        return season_is_feasible(athlete, rules, work=work, budget=budget)

    def out_of_checks() -> bool:
        return checks >= max_checks or (budget is not None and budget.exhausted)

    untried = False
    for candidate in candidates(skeleton, conflicts):
        if len(verified) >= limit:
            break
        if out_of_checks():
            untried = checks >= max_checks
            break
        if candidate.family in settled or kind_of(candidate.family) in settled:
            continue
        works = solvable(candidate.patch)
        if works is None:
            continue
        if not works:
            if candidate.family.startswith("rule:"):
                failed[candidate.family] = next(iter(candidate.patch.values()))
            continue
        settled.update({candidate.family, kind_of(candidate.family)})
        if candidate.family.startswith("rule:"):
            candidate = _nearest_that_works(skeleton, candidate, failed.get(candidate.family), solvable, out_of_checks)
        verified.append(Suggestion(candidate.change, candidate.patch, candidate.cost))
    return Suggestions(verified, untried)


def _nearest_that_works(
    skeleton: Skeleton, candidate: Candidate, failing: Any, solvable: Callable[[dict[str, Any]], bool | None],
    out_of_checks: Callable[[], bool],
) -> Candidate:
    """A stepped-back rule number that works, moved as near its current value as checks
    show: bisected in the number's own steps between it and the nearest value found not to
    work (the current value where none was tried). Far overrides are stepped in
    ``INTEGER_STEPS`` even steps, so "V4.max_minutes from 55 to 70" had been offered where 60
    solves. Whole numbers only."""
    (path, works), = candidate.patch.items()
    code, param = path.removeprefix("rules.").split(".")
    current = skeleton.athlete.rules[code][param]
    failing = current if failing is None else failing
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (works, failing)):
        return candidate
    size = number_step(code, param)
    while abs(works - failing) > size and not out_of_checks():
        middle = failing + size * round((works - failing) / size / 2)
        if solvable({path: middle}):
            works = middle
        else:
            failing = middle
    change = candidate.change.replace(f" to {candidate.patch[path]} (", f" to {works} (")
    return Candidate(candidate.family, candidate.cost, change, {path: works})
