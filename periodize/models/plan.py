"""The finished plan, exactly the fields of ``docs/PLAN-OUTPUT.md`` (and a few more).

A Plan is plain data: the solver produces one, the validator reads one, the CLI renders and
writes one. Nothing here knows about CP-SAT, so a plan written by any tool can be checked.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from periodize.models.base import NoBooleanNumbers


class RunType(StrEnum):
    rest = "rest"
    easy = "easy"
    recovery = "recovery"
    quality = "quality"
    tempo = "tempo"
    long = "long"
    race = "race"


class SessionKind(StrEnum):
    A = "A"
    B = "B"
    full = "full"
    short = "short"


#: RULES.md: a hard day is a day whose run is quality, tempo, long or race.
HARD_RUN_TYPES: frozenset[RunType] = frozenset({RunType.quality, RunType.tempo, RunType.long, RunType.race})
#: P7: strength only on days whose run is one of these.
STRENGTH_COMPATIBLE_RUNS: frozenset[RunType] = frozenset({RunType.easy, RunType.recovery, RunType.rest})
#: P4 and V6 count these as quality sessions.
QUALITY_RUN_TYPES: frozenset[RunType] = frozenset({RunType.quality, RunType.tempo})

Phase = Literal["base", "build", "peak", "taper", "race", "recovery"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]


class PlanModel(NoBooleanNumbers):
    model_config = ConfigDict(extra="forbid")


class Run(PlanModel):
    type: RunType
    minutes: int = Field(ge=0)


class Exercise(PlanModel):
    name: str
    sets: int = Field(ge=0)
    reps: str
    load_change_pct: float = 0.0
    reps_in_reserve: str | None = None


#: How plans before 2026-11-28 wrote the warm-up: the first entry of ``exercises``, named
#: ``"Warm-up: <steps>"`` with the steps joined by ``"; "``. Still read (``StrengthSession``).
LEGACY_WARMUP_PREFIX = "Warm-up: "


class Warmup(PlanModel):
    """The 8-12 minute warm-up every strength session starts with (RULES.md vocabulary).

    Its own field, not an entry of ``exercises``: the contract's exercises are lifts with sets,
    reps and a load, and a tool counting a session's working sets or lifts from the contract
    had counted the warm-up, written there as "1 set of 8-12 min", as one of them."""

    duration: str
    steps: list[str] = Field(min_length=1)


class StrengthSession(PlanModel):
    session: SessionKind
    minutes: int = Field(ge=0)
    #: "deload" marks a session at deload dose (S2), which RULES.md counts as light (P11).
    dose: Literal["normal", "deload"] = "normal"
    #: None in a plan that places sessions without prescribing them (and in a prescribed
    #: session that lacks it, which the validator reports under S1).
    warmup: Warmup | None = None
    exercises: list[Exercise] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _legacy_warmup(cls, data: Any) -> Any:
        """A plan written before the warm-up had its own field: its first exercise moves to
        ``warmup``, so that those plans still read and validate."""
        if not isinstance(data, dict) or "warmup" in data:
            return data
        exercises = data.get("exercises")
        if not (isinstance(exercises, list) and exercises and isinstance(exercises[0], dict)):
            return data
        first: dict[str, Any] = exercises[0]
        name = first.get("name")
        if not (isinstance(name, str) and name.startswith(LEGACY_WARMUP_PREFIX)):
            return data
        steps = name.removeprefix(LEGACY_WARMUP_PREFIX).split("; ")
        return {**data, "warmup": {"duration": first.get("reps"), "steps": steps}, "exercises": exercises[1:]}

    @property
    def is_light(self) -> bool:
        """RULES.md: a light session is a short session or any session at deload dose."""
        return self.session == SessionKind.short or self.dose == "deload"


class Day(PlanModel):
    date: date
    run: Run
    strength: StrengthSession | None = None


class Week(PlanModel):
    start: date
    phase: Phase
    deload: bool = False
    run_minutes: int = Field(ge=0)
    training_minutes: int = Field(ge=0)
    days: list[Day]
    #: The availability exceptions the week touches, in words (their notes, dates and minutes),
    #: so that every reader of the plan (the table, ``show``, a tool) can tell a holiday week
    #: of rest days from a build week gone wrong; informational, as ``races`` is.
    note: str | None = None

    @property
    def days_training(self) -> int:
        """The training minutes its days hold (race days left out): what ``training_minutes``
        states of a plan as written. Readers that cost a plan read this, not the stated figure,
        which a hand edit may have changed alone (a training_minutes of 9,999 had made explain
        and validate cost the week's O1 and O2 at 30,109 for days that cost 743)."""
        return sum(day.run.minutes for day in self.days if day.run.type != RunType.race)


class PlanRace(PlanModel):
    """A race of the season as the plan holds it: a race day's run says only ``race``, and a
    season of eight races read as "Sun 2027-04-11 race 115 min" eight times over."""

    date: date
    name: str
    priority: Literal["A", "B", "C"]
    distance: str
    minutes: int = Field(ge=0)


class Plan(PlanModel):
    athlete: str
    status: Status
    objective: int | None = None
    objective_terms: dict[str, int] = Field(default_factory=dict)
    bound: int | None = None
    #: Finite and not negative: a hand-edited ``NaN`` or ``Infinity`` had been read as a time.
    solve_seconds: float = Field(0.0, ge=0, allow_inf_nan=False)
    #: The season's races in date order (informational: the validator reads them from the
    #: athlete file, never from here).
    races: list[PlanRace] = Field(default_factory=list)
    weeks: list[Week] = Field(default_factory=list)
    #: S6: how to choose starting loads and when to progress (present when the plan lifts).
    strength_guidance: list[str] = Field(default_factory=list)

    @property
    def proven_optimal(self) -> bool:
        """Whether the plan is proven optimal: status ``optimal`` and no bound below its
        objective. A plan edited after solving can keep its ``optimal`` and its bound (700)
        under a new objective (703): explain had then read it as the optimum, and said a rule
        bound that does not."""
        return (self.status == "optimal" and self.objective is not None
                and (self.bound is None or self.bound >= self.objective))

    def days(self) -> list[Day]:
        """Every day of the season in date order."""
        return [day for week in self.weeks for day in week.days]

    def race_on(self, when: date) -> PlanRace | None:
        return next((race for race in self.races if race.date == when), None)
