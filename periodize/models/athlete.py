"""The athlete file: the language a runner or coach writes, validated before any planning.

Every key of the contract's athlete file (``examples/contract-example.yaml``) has a field here. Models forbid unknown
keys so that a typo (``avialability``) is an error rather than a silently ignored setting.
Cross-field checks (races inside the season, exceptions in order) live here too, so that a plan
is only ever built from an athlete that makes sense.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from periodize.models.base import (
    NoBooleanNumbers,
    calendar_date,
    in_its_own_case,
    is_date_shaped,
    takes_a_date,
)

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

Minutes = Annotated[int, Field(ge=0, le=1440)]


def _not_blank(text: str) -> str:
    """Refuses a name with nothing to read: spaces, and the invisible format and control
    characters (a zero-width space, U+200B, had passed as a name)."""
    if all(char.isspace() or unicodedata.category(char) in ("Cf", "Cc") for char in text):
        raise ValueError("must not be blank: give a name a reader can tell apart")
    return _one_line(text)


#: What breaks a line of text on a terminal: control characters (Unicode's Cc: a line break, an
#: escape that recolours the terminal) and Unicode's line and paragraph separators (Zl, Zp:
#: U+2028, U+2029), as a regular expression's character class that Python and JSON Schema
#: both read, so the athlete schema refuses what ``_one_line`` refuses.
LINE_BREAKERS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
#: One line of text, for the athlete schema (``periodize schema athlete``).
ONE_LINE_PATTERN = rf"^[^{LINE_BREAKERS}]*$"
#: A name for the schema: one line with a character to read. ``_not_blank`` reads every
#: invisible format character (Unicode's Cf), which a JSON Schema pattern cannot name; this
#: leaves out the common ones (the soft hyphen, zero-width and direction marks, the BOM).
NAME_PATTERN = (rf"^[^{LINE_BREAKERS}]*"
                rf"[^\s{LINE_BREAKERS}\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
                rf"[^{LINE_BREAKERS}]*$")


def _one_line(text: str) -> str:
    """Refuses text printed in a table or a legend that would not stay one line of it: an
    escape (\x1b[31m) in a name had recoloured the terminal, a line break split the table's
    title, and an exception's note split the legend."""
    breaker = re.search(f"[{LINE_BREAKERS}]", text)
    if breaker is not None:
        raise ValueError(f"must be one line of text: it holds the control character {breaker.group()!r}")
    return text


#: Free text printed as it is (an exception's note): one line of it.
OneLine = Annotated[str, Field(json_schema_extra={"pattern": ONE_LINE_PATTERN}), AfterValidator(_one_line)]


#: An athlete's, a race's or a group session's name: reports, plan files and what-if options
#: name things by it, so one of only spaces is refused.
Name = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": NAME_PATTERN}), AfterValidator(_not_blank)]


class StrictModel(NoBooleanNumbers):
    """Base for every input model: unknown keys are errors, values are not coerced silently
    (a boolean is not a number: ``NoBooleanNumbers``), and a number is finite (YAML's ``.nan``
    had read as "must be at most 400, got nan")."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _as_people_write_it(cls, value: Any, info: ValidationInfo) -> Any:
        """A choice in any case (``priority: a``, ``long_run_day: Sun``) and a date without
        leading zeros (``2027-3-7``), read as what they plainly mean (``base.in_its_own_case``,
        ``base.calendar_date``); anything else is left for the field to judge and name."""
        annotation: Any = cls.model_fields[info.field_name].annotation if info.field_name else None
        if isinstance(value, str) and takes_a_date(annotation) and is_date_shaped(value):
            try:
                return calendar_date(value)
            except ValueError:
                return value  # 2027-2-30: the field's own message, with the reason (input_problems)
        return in_its_own_case(value, annotation)


class Level(StrEnum):
    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


class Priority(StrEnum):
    A = "A"
    B = "B"
    C = "C"


StandardDistance = Literal["5k", "10k", "half", "marathon"]

#: Kilometres of each named distance (RULES.md vocabulary).
DISTANCE_KM: dict[str, float] = {"5k": 5.0, "10k": 10.0, "half": 21.0975, "marathon": 42.195}
#: The paces a race's ``expected_minutes`` may mean, in min/km: faster than 2.4 (the 5k world
#: record is 2.5) or slower than 20 (a 100 km walked with rests is about 18) is a typo.
RACE_PACE_MIN_PER_KM = (2.4, 20.0)
MAX_RACE_MINUTES = 3000


class Season(StrictModel):
    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Season:
        if self.end is not None and self.end < self.start:  # at season.end, as every problem is at its field
            raise CalendarError([(("end",), f"{self.end} is before the season start {self.start}")])
        return self


#: A week's running minutes at most, for the current and the peak week alike (the current
#: week stopped at 1,440, a day's minutes, where the peak allowed 3,000).
MAX_WEEKLY_MINUTES = 3000
WeeklyMinutes = Annotated[int, Field(ge=0, le=MAX_WEEKLY_MINUTES)]


class Volume(StrictModel):
    current_weekly_minutes: WeeklyMinutes = Field(description="Running minutes in the week before the plan starts.")
    peak_weekly_minutes: Annotated[int, Field(gt=0, le=MAX_WEEKLY_MINUTES)] = Field(
        description="The most the athlete wants to run in one week (V9)."
    )
    current_long_run_minutes: Minutes | None = Field(
        default=None, description="Longest recent run; the V5 reference until the plan's first long run."
    )
    weekly_time_budget_minutes: Annotated[int, Field(gt=0, le=5000)] | None = Field(
        default=None, description="Soft cap on running plus strength per week (O2)."
    )


class RunsPerWeek(StrictModel):
    min: Annotated[int, Field(ge=1, le=7)]
    max: Annotated[int, Field(ge=1, le=7)]

    @model_validator(mode="after")
    def _ordered(self) -> RunsPerWeek:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Strength(StrictModel):
    sessions_per_week: Literal[0, 1, 2] = 2
    equipment: Literal["gym", "home"] = "gym"
    plyometrics: bool = False


class Race(StrictModel):
    name: Name
    date: date
    distance: StandardDistance | Annotated[float, Field(gt=0, le=400)]
    priority: Priority
    expected_minutes: Annotated[int, Field(gt=0, le=MAX_RACE_MINUTES)] | None = None

    @field_validator("distance", mode="before")
    @classmethod
    def _distance_text(cls, value: Any) -> Any:
        """Accept '21.1' or '21.1km' written as text, the way people type distances."""
        if isinstance(value, str):
            stripped = value.strip()
            if not stripped.isascii():  # lookalikes: the Kelvin sign's "5\u212a" and "21.1\u212am" lower to k
                raise ValueError("must be 5k, 10k, half, marathon or a number of kilometres")
            text = stripped.lower()
            if text in DISTANCE_KM:
                return text
            number = text.removesuffix("km").strip()
            # Plain decimals only: float() also reads '1_0' as 10 and other scripts' digits.
            if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", number):
                raise ValueError("must be 5k, 10k, half, marathon or a number of kilometres")
            return float(number)
        return value

    @field_validator("expected_minutes")
    @classmethod
    def _plausible_pace(cls, minutes: int | None, info: ValidationInfo) -> int | None:
        """A finish time no runner could run (2,000 minutes for a half, 95 min/km) is a typo,
        and it would be planned as a race of 33 hours: refused with the paces allowed."""
        distance = info.data.get("distance")
        if minutes is None or distance is None:
            return minutes
        km = distance_km(distance)
        pace = minutes / km
        if not RACE_PACE_MIN_PER_KM[0] <= pace <= RACE_PACE_MIN_PER_KM[1]:
            low = math.ceil(RACE_PACE_MIN_PER_KM[0] * km)
            high = min(MAX_RACE_MINUTES, math.floor(RACE_PACE_MIN_PER_KM[1] * km))
            # "takes 1-1 min" for 0.05 km (metres typed as kilometres, most likely) said neither.
            takes = f"about {low} min" if low == high else f"{low}-{high} min" if low < high else "under a minute"
            unit = "; distance is in kilometres (10 for a 10k)" if km < 1 else ""
            raise ValueError(f"{minutes} min for {km:g} km is {pace:.2f} min/km; a race of this distance takes "
                             f"{takes} ({RACE_PACE_MIN_PER_KM[0]:g}-{RACE_PACE_MIN_PER_KM[1]:g} min/km){unit}")
        return minutes

    @property
    def km(self) -> float:
        return distance_km(self.distance)


def distance_km(distance: str | float) -> float:
    """A race distance as the file gives it (``half``, ``30``) in kilometres."""
    return DISTANCE_KM[distance] if isinstance(distance, str) else float(distance)


class Availability(StrictModel):
    """Minutes available for training on each weekday; every weekday must be given."""

    mon: Minutes
    tue: Minutes
    wed: Minutes
    thu: Minutes
    fri: Minutes
    sat: Minutes
    sun: Minutes

    def minutes_on(self, weekday: int) -> int:
        """Minutes for a weekday number (0 = Monday), as ``date.weekday()`` gives it."""
        return int(getattr(self, WEEKDAYS[weekday]))


class AvailabilityException(StrictModel):
    from_: date = Field(alias="from")
    to: date
    minutes: Minutes
    note: OneLine | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AvailabilityException:
        if self.to < self.from_:
            raise ValueError(f"to {self.to} is before from {self.from_}")
        return self

    def covers(self, day: date) -> bool:
        return self.from_ <= day <= self.to


#: JSON Schema's word for ``_each_day_once``, so that editors flag a day given twice.
EACH_DAY_ONCE: dict[str, Any] = {"uniqueItems": True}


class Preferences(StrictModel):
    long_run_day: Weekday | None = None
    quality_days: list[Weekday] = Field(default_factory=list, json_schema_extra=EACH_DAY_ONCE)
    strength_days: list[Weekday] = Field(default_factory=list, json_schema_extra=EACH_DAY_ONCE)
    rest_days: list[Weekday] = Field(default_factory=list, json_schema_extra=EACH_DAY_ONCE)

    @field_validator("quality_days", "strength_days", "rest_days")
    @classmethod
    def _each_day_once(cls, days: list[Weekday]) -> list[Weekday]:
        """``[tue, tue]`` was accepted silently: likely a typo for another day, which the plan
        then does not prefer."""
        seen: set[str] = set()
        for day in days:
            if day in seen:
                raise ValueError(f"{day} is listed more than once; name each day once")
            seen.add(day)
        return days


class GroupSession(StrictModel):
    """A session a coaching group runs together (batch rosters): the plan places this run on
    this weekday in every week where the athlete's own rules allow it (O4, ``group_weight``)."""

    name: Name
    day: Weekday
    run: Literal["easy", "recovery", "quality", "tempo", "long"]


class Athlete(StrictModel):
    """One athlete file, validated. ``rules`` holds raw overrides; ``periodize.models.rules``
    resolves them against RULES.md defaults (kept separate so each rule number lives in one place).
    """

    name: Name
    level: Level
    age: Annotated[int, Field(ge=5, le=110)] | None = None
    season: Season
    volume: Volume
    runs_per_week: RunsPerWeek
    strength: Strength = Field(default_factory=Strength)
    races: list[Race] = Field(default_factory=list)
    availability: Availability
    exceptions: list[AvailabilityException] = Field(default_factory=list)
    preferences: Preferences = Field(default_factory=Preferences)
    group_sessions: list[GroupSession] = Field(default_factory=list)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @property
    def plan_start(self) -> date:
        """The Monday of the start date's week (RULES.md: plans start on a Monday)."""
        return self.season.start - timedelta(days=self.season.start.weekday())

    def weeks_to(self, end: date) -> int:
        """How many Monday-to-Sunday weeks a season ending on ``end`` is planned in: from
        :attr:`plan_start` through the week holding ``end``."""
        return (end - self.plan_start).days // 7 + 1

    @property
    def is_masters(self) -> bool:
        return self.age is not None and self.age >= 50

    @model_validator(mode="after")
    def _calendar_consistent(self) -> Athlete:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        names: set[str] = set()
        race_days: dict[date, str] = {}  # the race of each day, named where a second one falls on it
        for index, race in enumerate(self.races):
            where = ("races", index, "date")
            if race.date < self.season.start:
                problems.append((where, f"race {race.name!r} on {race.date} is before the season start {self.season.start}"))
            elif self.season.end is not None and race.date > self.season.end:
                problems.append((where, f"race {race.name!r} on {race.date} is after the season end {self.season.end}"))
            if race.date in race_days:
                problems.append((where, f"two races on {race.date} ({race_days[race.date]!r} and {race.name!r}); one race a day"))
            race_days.setdefault(race.date, race.name)
            if race.name in names:
                problems.append((("races", index, "name"), f"race name {race.name!r} is used twice"))
            names.add(race.name)
        if self.season.end is None and not self.races:
            problems.append((("season", "end"), "give a season end, or at least one race to end the season after"))
        problems.extend(_season_too_long(self))
        problems.extend(_overlapping_exceptions(self.exceptions))
        problems.extend(clashing_group_sessions(self.group_sessions))
        if problems:
            raise CalendarError(problems)
        return self


#: The longest season periodize plans, in weeks: two years. A season is a year or less, and a
#: longer one is most often a mistyped year (a race in 2072, or 9999), which would otherwise
#: build a model of hundreds of weeks, or a date past the calendar's end.
MAX_SEASON_WEEKS = 104
#: Room the season needs after its end (given, or the last race's date): the races' recoveries
#: (V8: a day per mile of an A race) and the end's week to its Sunday. A season end
#: closer than this to the calendar's last day (9999-12-31) cannot be planned.
_ROOM_AFTER_END = timedelta(days=400)


def _season_too_long(athlete: Athlete) -> list[tuple[tuple[str | int, ...], str]]:
    """The season end (given, or the last race's date) more than ``MAX_SEASON_WEEKS`` after the
    start, or too close to the calendar's end for its last week (a season ending on Friday
    9999-12-31 raised OverflowError finding its Sunday)."""
    start = athlete.season.start
    if athlete.season.end is not None:
        where: tuple[str | int, ...] = ("season", "end")
        last = athlete.season.end
    elif athlete.races:
        index = max(range(len(athlete.races)), key=lambda number: athlete.races[number].date)
        where, last = ("races", index, "date"), athlete.races[index].date
    else:
        return []
    if last > date.max - _ROOM_AFTER_END:
        return [(where, f"{last} is too near the calendar's end to plan the season's last weeks; is the year right?")]
    # The weeks planned, not the whole weeks between the dates: a season of 104 weeks and 6
    # days from a Monday had passed and was planned in 105 weeks.
    weeks = athlete.weeks_to(last)
    if weeks > MAX_SEASON_WEEKS:
        message = (f"{last} makes a season of {weeks} weeks from its start {start}; periodize plans seasons of "
                   f"at most {MAX_SEASON_WEEKS} weeks (is the year right?)")
        return [(where, message)]
    return []


def _overlapping_exceptions(exceptions: list[AvailabilityException]) -> list[tuple[tuple[str | int, ...], str]]:
    """Each exception that shares a day with an earlier one. Why an error: a day's minutes
    would depend on which entry wins, and two ranges that overlap are more often a typo than
    a plan; a day inside a longer exception is written by splitting the range around it."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for index, exception in enumerate(exceptions):
        for earlier, other in enumerate(exceptions[:index]):
            if exception.from_ <= other.to and other.from_ <= exception.to:
                message = (f"{exception.from_} to {exception.to} overlaps exceptions[{earlier}] "
                           f"({other.from_} to {other.to}); give each day at most one exception")
                problems.append((("exceptions", index, "from"), message))
                break
    return problems


def clashing_group_sessions(
    sessions: list[GroupSession], where: Callable[[int], str] = lambda index: f"group_sessions[{index}]",
) -> list[tuple[tuple[str | int, ...], str]]:
    """Each group session whose name or weekday an earlier one has. Why an error: a roster's
    athlete overrides a group session by its name, so two of one name leave it unclear which
    one stands; and a day holds one run (P1), so of two sessions on one weekday the plan
    misses one every week, and pays O4 for it, whatever it does. ``where`` names the earlier
    session by its index (a batch's sessions come from more than one list)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for index, session in enumerate(sessions):
        for earlier, other in enumerate(sessions[:index]):
            if session.name == other.name:
                problems.append((("group_sessions", index, "name"),
                                 f"group session name {session.name!r} is used twice ({where(earlier)})"))
                break
            if session.day == other.day:
                problems.append((("group_sessions", index, "day"),
                                 f"two group sessions on {session.day} ({other.name!r} and {session.name!r}); "
                                 f"a day holds one run"))
                break
    return problems


class CalendarError(ValueError):
    """Cross-field problems, each with its own path in the file (pydantic gives only one)."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))
