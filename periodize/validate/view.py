"""The plan as the checks read it: :class:`PlanView` lays a finished Plan over the season
skeleton (days by index, training minutes by week), and :class:`Violation` is one broken rule.
The readings every check shares are in the package docstring (:mod:`periodize.validate`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from periodize.models.athlete import Athlete
from periodize.models.plan import (
    HARD_RUN_TYPES,
    QUALITY_RUN_TYPES,
    Day,
    Plan,
    Run,
    RunType,
    StrengthSession,
)
from periodize.models.rules import Rules
from periodize.season import RaceInfo, Skeleton


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: its code, the day or week (its Monday) it concerns, and what is
    wrong with the numbers."""

    code: str
    date: date | None
    message: str


class PlanView:
    """The plan laid over the skeleton: days by day index, training minutes by week index."""

    def __init__(self, athlete: Athlete, plan: Plan, rules: Rules, skeleton: Skeleton) -> None:
        self.athlete = athlete
        self.plan = plan
        self.rules = rules
        self.skeleton = skeleton
        by_index: dict[int, Day] = {}
        for day in plan.days():
            index = skeleton.day_of(day.date)
            if 0 <= index < skeleton.n_days and index not in by_index:
                by_index[index] = day
        self.missing: frozenset[int] = frozenset(set(range(skeleton.n_days)) - set(by_index))
        self.days: tuple[Day, ...] = tuple(
            by_index.get(index) or Day(date=skeleton.date_of(index), run=Run(type=RunType.rest, minutes=0))
            for index in range(skeleton.n_days)
        )
        flags = {week.start: week.deload for week in plan.weeks}
        self.deload: tuple[bool, ...] = tuple(
            flags.get(skeleton.week_start(week), False) for week in range(skeleton.n_weeks)
        )

    # ---- days ---------------------------------------------------------------------------
    def run_type(self, day: int) -> RunType:
        return self.days[day].run.type

    def run_minutes(self, day: int) -> int:
        return self.days[day].run.minutes

    def strength(self, day: int) -> StrengthSession | None:
        return self.days[day].strength

    def is_hard(self, day: int) -> bool:
        return self.run_type(day) in HARD_RUN_TYPES

    def is_race_day(self, day: int) -> bool:
        return day in self.skeleton.race_on_day

    def on(self, day: int) -> date:
        return self.skeleton.date_of(day)

    # ---- weeks --------------------------------------------------------------------------
    @property
    def n_weeks(self) -> int:
        return self.skeleton.n_weeks

    def week_days(self, week: int) -> range:
        return self.skeleton.week_days(week)

    def monday(self, week: int) -> date:
        return self.skeleton.week_start(week)

    @cached_property
    def training(self) -> tuple[int, ...]:
        """T[w]: run minutes of week w without the minutes of its race days."""
        return tuple(
            sum(self.run_minutes(day) for day in self.week_days(week) if not self.is_race_day(day))
            for week in range(self.n_weeks)
        )

    def T(self, week: int) -> int:
        """Training minutes of a week; weeks before the plan are ``current_weekly_minutes``."""
        if week < 0:
            return self.athlete.volume.current_weekly_minutes
        return self.training[week]

    def running_days(self, week: int) -> int:
        return sum(1 for day in self.week_days(week) if self.run_type(day) != RunType.rest)

    def long_days(self, week: int) -> list[int]:
        return [day for day in self.week_days(week) if self.run_type(day) == RunType.long]

    def quality_days(self, week: int) -> list[int]:
        return [day for day in self.week_days(week) if self.run_type(day) in QUALITY_RUN_TYPES]

    def c_race_days(self, week: int) -> list[int]:
        return self.skeleton.c_race_days(week)

    def reference_minutes(self, race: RaceInfo) -> int:
        """V7: R, the most training minutes among the race's reference weeks."""
        weeks = self.skeleton.reference_weeks(race)
        return max((self.T(week) for week in weeks), default=self.T(-1))


Check = Callable[[PlanView], list[Violation]]

