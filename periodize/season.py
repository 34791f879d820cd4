"""The season skeleton: every fact about the season that follows from the calendar alone.

Weeks, race days, the windows RULES.md defines (taper, mini taper, recovery, pre-race), normal
weeks, phases and the O1 phase targets are plain Python here, with no CP-SAT: the solver posts
rules over this skeleton and the validator checks a plan against the very same skeleton, so the
two can never disagree about which week is a taper week. Windows come from the race calendar,
never from labels in a plan (RULES.md vocabulary).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from periodize.models.athlete import (
    DISTANCE_KM,
    MAX_SEASON_WEEKS,
    MAX_WEEKLY_MINUTES,
    Athlete,
    Level,
    Priority,
    Race,
)
from periodize.models.plan import Phase
from periodize.models.rules import MINUTE_STEP, Rules, level_defaults, resolve_rules

#: RULES.md race pace by level, minutes per km.
PACE_MIN_PER_KM: dict[Level, float] = {Level.beginner: 7.0, Level.intermediate: 5.75, Level.advanced: 4.75}
KM_PER_MILE = 1.609


def standard_distance(km: float) -> str:
    """The standard distance at or below ``km`` (RULES.md), which sets taper length."""
    if km < 10:
        return "5k"
    if km < 21:
        return "10k"
    if km < 42:
        return "half"
    return "marathon"


def race_minutes(race: Race, level: Level) -> int:
    """The race's expected minutes, else distance x pace by level, +5 % from 21 km, +10 % from 42,
    halves up as the miles raced are (a 6 km race at 4.75 min/km is 29 minutes, not round()'s 28)."""
    if race.expected_minutes is not None:
        return race.expected_minutes
    km = race.km
    slowdown = 1.10 if km >= 42 else 1.05 if km >= 21 else 1.0
    return round_half_up(km * PACE_MIN_PER_KM[level] * slowdown)


@dataclass(frozen=True)
class DayRange:
    """Inclusive range of day indices of the plan (clipped to the plan by the skeleton)."""

    first: int
    last: int

    def __contains__(self, day: object) -> bool:
        return isinstance(day, int) and self.first <= day <= self.last

    def days(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def empty(self) -> bool:
        return self.last < self.first


@dataclass(frozen=True)
class RaceInfo:
    """A race placed on the plan, with the numbers the rules derive from it."""

    name: str
    day: int
    date: date
    priority: Priority
    km: float
    distance: str
    miles: int
    minutes: int
    taper_days: int
    recovery_days: int

    @property
    def week(self) -> int:
        return self.day // 7


@dataclass(frozen=True)
class Skeleton:
    """The season, day by day and week by week. Day ``d`` is ``start + d days``; week ``w``
    holds days ``7w .. 7w+6``."""

    athlete: Athlete
    rules: Rules
    start: date
    n_weeks: int
    available: tuple[int, ...]
    exception_day: tuple[bool, ...]
    exception_notes: tuple[str | None, ...]
    races: tuple[RaceInfo, ...]

    # ---- calendar ------------------------------------------------------------------------
    @property
    def n_days(self) -> int:
        return 7 * self.n_weeks

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.start).days

    def week_days(self, week: int) -> range:
        return range(7 * week, 7 * week + 7)

    def week_start(self, week: int) -> date:
        return self.date_of(7 * week)

    def clip(self, first: int, last: int) -> DayRange:
        return DayRange(max(first, 0), min(last, self.n_days - 1))

    # ---- races and windows ---------------------------------------------------------------
    @cached_property
    def race_on_day(self) -> dict[int, RaceInfo]:
        return {race.day: race for race in self.races}

    def races_with(self, *priorities: Priority) -> list[RaceInfo]:
        return [race for race in self.races if race.priority in priorities]

    def taper(self, race: RaceInfo) -> DayRange:
        """V7: the taper days before an A race (empty for B and C races)."""
        if race.priority != Priority.A:
            return DayRange(0, -1)
        return self.clip(race.day - race.taper_days, race.day - 1)

    def mini_taper(self, race: RaceInfo) -> DayRange:
        """The mini taper of a B race: the days before it (RULES.md windows)."""
        if race.priority != Priority.B:
            return DayRange(0, -1)
        return self.clip(race.day - self.rules.V7.mini_taper_days, race.day - 1)

    def recovery(self, race: RaceInfo) -> DayRange:
        """V8: the recovery days after every race."""
        return self.clip(race.day + 1, race.day + race.recovery_days)

    def pre_race(self, race: RaceInfo) -> DayRange:
        """P11: the light-strength window before an A race."""
        if race.priority != Priority.A:
            return DayRange(0, -1)
        return self.clip(race.day - self.rules.P11.light_window_days, race.day - 1)

    def no_strength_before(self, race: RaceInfo) -> DayRange:
        """P11: the last days before an A race, with no strength at all."""
        if race.priority != Priority.A:
            return DayRange(0, -1)
        return self.clip(race.day - self.rules.P11.no_strength_days, race.day - 1)

    def no_strength_after(self, race: RaceInfo) -> DayRange:
        """V8: the first days of a race's recovery, with no strength at all (as many as the
        recovery has, up to ``no_strength_days``: a C race's two)."""
        recovery = self.recovery(race)
        return DayRange(recovery.first, min(recovery.last, race.day + self.rules.V8.no_strength_days))

    def windows(self, race: RaceInfo) -> list[DayRange]:
        return [self.taper(race), self.mini_taper(race), self.recovery(race), self.pre_race(race)]

    @cached_property
    def window_day(self) -> tuple[bool, ...]:
        """Days inside any window of any race (a normal week has none)."""
        flags = [False] * self.n_days
        for race in self.races:
            for window in self.windows(race):
                for day in window.days():
                    flags[day] = True
        return tuple(flags)

    @cached_property
    def recovery_day(self) -> tuple[bool, ...]:
        flags = [False] * self.n_days
        for race in self.races:
            for day in self.recovery(race).days():
                flags[day] = True
        return tuple(flags)

    # ---- weeks ---------------------------------------------------------------------------
    def week_of_day(self, day: int) -> int:
        return day // 7

    def race_days_in_week(self, week: int) -> list[int]:
        return [day for day in self.week_days(week) if day in self.race_on_day]

    def has_race(self, week: int, *priorities: Priority) -> bool:
        wanted = priorities or tuple(Priority)
        return any(self.race_on_day[day].priority in wanted for day in self.race_days_in_week(week))

    def c_race_days(self, week: int) -> list[int]:
        """The week's C race days: each counts as a quality session (P4)."""
        return [day for day in self.race_days_in_week(week) if self.race_on_day[day].priority == Priority.C]

    def is_exception_week(self, week: int) -> bool:
        return any(self.exception_day[day] for day in self.week_days(week))

    def exception_note(self, week: int) -> str | None:
        """The availability exceptions a week touches, in words, for the plan's week (its
        ``note``): a holiday week of rest days reads as a "build" week of 0 minutes without it."""
        monday = self.week_start(week)
        sunday = monday + timedelta(days=6)
        touching = [e for e in self.athlete.exceptions if e.from_ <= sunday and monday <= e.to]
        return "; ".join(f"{e.note or 'availability exception'} ({e.from_} to {e.to}, {e.minutes} min a day)"
                         for e in touching) or None

    def exception_takes_time(self, week: int) -> bool:
        """An exception leaves some training day of the week fewer minutes than its weekday
        normally has (race days aside: P12 exempts them). V7 yields to this, not to every
        exception: one on the race day alone, or one that adds time, had waived its minimum."""
        return any(self.exception_day[day] and day not in self.race_on_day
                   and self.available[day] < self.athlete.availability.minutes_on(self.date_of(day).weekday())
                   for day in self.week_days(week))

    def v7_race_week_waived(self, week: int) -> bool:
        """Whether V7's "race week at 40 % of the reference week or more" asks at most its
        floor (``v7_week_floor``: P6's runs in the week, which P6 caps by the days with time):
        where an availability exception takes training time from the race week, or from both
        weeks before it (``exception_takes_time``).

        Reading (not in RULES.md, which waives P4's and P6's minimums and V7's taper quality
        session in an exception week but not this one): V7's lower bound and P12 collide where
        a runner cannot train in race week, e.g. travelling to the race with a 0-minute
        exception from Monday to Saturday; every such season had no plan. And it collides
        with V1 after two busy weeks: a work trip of 30 minutes a day in the two weeks before
        an A half holds them at 150, V1 then caps race week at 165, and 40 % of the reference
        (420, the weeks before the trip) asks 168. Lowering a minimum where the athlete has
        had no time keeps the plan safe and makes it feasible; one busy week before leaves V1
        the other to grow from."""
        return self.exception_takes_time(week) or (
            week >= 2 and self.exception_takes_time(week - 1) and self.exception_takes_time(week - 2)
        ) or self._race_week_below_its_floor(week)

    def _race_week_below_its_floor(self, week: int) -> bool:
        """Whether ``week``'s days cannot hold V7's 40 % of the least its A race's reference week
        can be: at most ``runs_per_week.max`` runs beside its races, each within its day's
        minutes and P14's longest run beside a long run, one of them a long run up to V4's cap,
        the eve of an A or B race at P13's cap; the reference at least the minimum week where
        one of its weeks must hold it (``long_run_required``), or the current minutes before
        the plan.

        Reading (a collision of V7's floor with P13 on the athlete's own days): a weekend runner
        (Saturday and Sunday only) with a Sunday A half trains in race week only on its eve,
        which P13 holds to 30 minutes, while 40 % of any reference week (a long run of 60 and a
        run of 20) asks 32: no plan. The floor then asks only P6's runs, as where an exception
        takes the week's time."""
        races = [race for race in self.races_with(Priority.A) if self.v7_floor_week(race) == week]
        if not races:
            return False
        low, most = self.rules.V7.race_week_min_pct, self.race_week_most(week)
        for race in races:
            least = max((self.athlete.volume.current_weekly_minutes if reference < 0
                         else self.minimum_week if self.long_run_required(reference) else 0)
                        for reference in self.reference_weeks(race))
            if most * 100 < low * least:
                return True
        return False

    def race_week_most(self, week: int) -> int:
        """The most training minutes ``week``'s days hold beside its races: at most
        ``runs_per_week.max`` runs less its race days, each within its day's minutes and P14's
        longest run beside a long run, one of them a long run up to V4's cap, the eve of an A or
        B race at P13's cap. What V7's race-week floor can ask of its reference weeks
        (``_race_week_below_its_floor``, explain's reasons)."""
        beside = self.longest_run_beside_long
        eves = {race.day - 1 for race in self.races if race.priority in (Priority.A, Priority.B)}
        days = [day for day in self.week_days(week) if day not in self.race_on_day]
        return roomiest_runs(
            [min(max(self.available[day], 0), self.rules.P13.max_easy_minutes if day in eves else beside) for day in days],
            [min(max(self.available[day], 0), self.rules.V4.max_minutes) for day in days if day not in eves],
            beside=beside, runs=self.athlete.runs_per_week.max - len(self.race_days_in_week(week)))

    @cached_property
    def longest_run_beside_long(self) -> int:
        """The longest run other than a long run, in minutes (P14's caps of the other kinds)."""
        p14 = self.rules.P14
        return max(p14.easy_max, p14.recovery_max, p14.quality_max, p14.tempo_max)

    def touched_by_recovery(self, week: int) -> bool:
        return any(self.recovery_day[day] for day in self.week_days(week))

    @cached_property
    def normal_weeks(self) -> tuple[bool, ...]:
        """RULES.md: no race day, no window day, no availability exception."""
        return tuple(
            not self.race_days_in_week(week)
            and not any(self.window_day[day] for day in self.week_days(week))
            and not self.is_exception_week(week)
            for week in range(self.n_weeks)
        )

    def long_run_required(self, week: int) -> bool:
        """P3's "a normal week has exactly one" long run: a normal week, unless races take
        away every day with the minutes for it (``_race_blocks_long_run``). Only such a week
        holds at least the minimum week, which counts the long run, so the solver's lower
        bounds on a normal week read this too.

        Reading (a collision of P3 with P2, P13 and V7's easy days): a runner with 45 minutes
        on weekdays and Saturday and a long Sunday, and a C 10k on a bank-holiday Monday: P2
        keeps that Sunday off hard runs, no other day holds 60 minutes, and the season had no
        plan. RULES.md lets other weeks go without where nothing leaves a day for the long
        run; this week does too, at O7's cost. A week whose days lack the minutes with no race
        near keeps P3: that is the athlete's availability, which explain names, not a rule
        collision. Only seasons that had no plan change."""
        if not self.normal_weeks[week]:
            return False
        roomy = [day for day in self.week_days(week) if self.available[day] >= self.rules.P14.long_min]
        return not roomy or not all(self._race_blocks_long_run(day) for day in roomy)

    def _race_blocks_long_run(self, day: int) -> bool:
        """Whether a race keeps ``day`` off a long run: it is the eve of a race (P2, P13) or one
        of V7's easy days before an A or B race."""
        return day + 1 in self.race_on_day or day in self._v7_easy_day_set

    @cached_property
    def _v7_easy_day_set(self) -> frozenset[int]:
        return frozenset(day for race in self.races for day in self.v7_easy_days(race))

    def taper_weeks(self, race: RaceInfo) -> list[int]:
        """Weeks whose Monday falls inside an A race's taper, race week included."""
        if race.priority != Priority.A:
            return []
        first = race.day - race.taper_days
        weeks = [week for week in range(self.n_weeks) if first <= 7 * week <= race.day]
        if race.week not in weeks and race.week < self.n_weeks:
            weeks.append(race.week)
        return sorted(weeks)

    def v7_cut_weeks(self, race: RaceInfo) -> tuple[int, ...]:
        """The weeks V7's race-week cap (60 % of the reference week) holds: the race's week, and
        the week before it where the race falls early in its week (``_v7_early``)."""
        return (race.week - 1, race.week) if self._v7_early(race) else (race.week,)

    def v7_floor_week(self, race: RaceInfo) -> int | None:
        """The week V7's race-week floor (40 % of the reference week) holds: the race's week,
        or none where the race falls early in its week (``_v7_early``)."""
        return None if self._v7_early(race) else race.week

    def v7_week_floor(self, week: int) -> int:
        """V7's "or ... where that is more" for a week V7 caps (a taper week, and the race-week
        cut): the shortest easy run times the runs P6 still requires beside the week's race
        days; and in a week that must hold quality sessions (a taper week before race week:
        V7's taper session, or P4's lower bound where it applies), the least they ask of the
        week: beside P6's other runs, and under V6's share (30 minutes of quality need a week
        of 120 at 25 %). The fewest training minutes the hard rules leave the week, so no cap
        at it can be safer. Without it, a 60 % cap below 120 (a reference week under 200
        minutes) had left no plan, and so had a taper after three holiday weeks of 0 minutes
        (``volume.v7_taper_floor``)."""
        p14 = self.rules.P14
        runs_left = self._runs_beside_races(week)
        floor = p14.shortest_easy_run * runs_left
        sessions = max(int(self.taper_quality_required(week)),
                       self.quality_sessions_required if self.quality_lower_bound_applies(week) else 0)
        if not sessions:
            return floor
        quality = sessions * min(p14.quality_min, p14.tempo_min)
        by_share = on_grid(self.v6_week_for_quality(sessions))
        return max(floor, quality + p14.shortest_easy_run * max(0, runs_left - sessions), by_share)

    def _runs_beside_races(self, week: int) -> int:
        """The runs P6 still requires in ``week`` beside its race days."""
        return max(0, self.min_running_days(week) - len(self.race_days_in_week(week)))

    def v6_week_for_quality(self, sessions: int) -> int:
        """The fewest training minutes in which V6's share lets ``sessions`` of the shortest
        quality session fit (0 where V6 allows no quality at all: nothing fits)."""
        quality = sessions * min(self.rules.P14.quality_min, self.rules.P14.tempo_min)
        share = self.rules.V6.max_share_pct
        return math.ceil(quality * 100 / share) if share > 0 else 0

    def v7_easy_days(self, race: RaceInfo) -> list[int]:
        """V7's days with no hard run before a B race (``b_race_easy_days``, 2), within the plan,
        and before an A race too, less the days of other races there.

        Reading (README, V7): RULES.md names B races, whose taper is short; an A race's full
        taper caps its weeks' minutes but not what its last days hold, and a long run two days
        before an A marathon had been planned. The season's goal race is kept at least as easy
        as a B race in what the plan chooses; a race the calendar puts there is the athlete's
        (noted as a race in the A race's taper, ``calendar_notes``): read as a hard day, a B
        race two days before an A race, which RULES.md allows, had left the season no plan.
        Before a B race RULES.md says it: a race there leaves no plan."""
        if race.priority == Priority.C:
            return []
        days = range(max(race.day - self.rules.V7.b_race_easy_days, 0), race.day)
        if race.priority == Priority.A:
            return [day for day in days if day not in self.race_on_day]
        return list(days)

    def v7_sharpening_days(self, race: RaceInfo) -> frozenset[int]:
        """The days of an A race's easy days (``v7_easy_days``, the README's reading) where a
        quality or tempo session may run all the same (a long run may not): those of a week
        that must hold a quality session (V7's taper session, or P4's lower bound) where every
        other day that could hold one is barred.

        Reading (a collision of the README's A-race easy days with V7's taper session and the
        athlete's days): a runner with 25 minutes on weekdays and a Monday A 5k has only the
        weekend for the taper week's quality session; P13 keeps Sunday easy, and the easy days
        kept Saturday easy too, so there was no plan, where RULES.md's letter (its easy days are
        a B race's) allows a Saturday tempo. Keeping the taper's intensity is V7's own rule
        (Bosquet: keep intensity), and a short sharpening session two days before a race is
        common practice; a long run there stays barred, the case the reading was made for. Only
        a week with no other open day changes, so only seasons that had no plan change."""
        if race.priority != Priority.A:
            return frozenset()
        released: set[int] = set()
        easy = self.v7_easy_days(race)
        for week in sorted({self.week_of_day(day) for day in easy}):
            if not self._quality_session_required(week):
                continue
            open_days = [day for day in self.week_days(week) if self._quality_day_open(day)]
            if open_days and all(day in self._a_race_easy_day_set for day in open_days):
                released.update(day for day in open_days if day in easy)
        return frozenset(released)

    def _quality_session_required(self, week: int) -> bool:
        """Whether ``week`` must hold a quality or tempo session of its own: V7's taper session
        or P4's lower bound, and no C race in the week to count as one."""
        if any(self.race_on_day[day].priority == Priority.C for day in self.race_days_in_week(week)):
            return False
        return self.taper_quality_required(week) or (
            self.quality_lower_bound_applies(week) and self.quality_sessions_required > 0)

    def _quality_day_open(self, day: int) -> bool:
        """Whether the calendar and the day's minutes leave ``day`` open to a quality or tempo
        session, A races' easy days aside: minutes for the shortest one (P12, P14), no race that
        day or next to it (P2, P13), no recovery window (V8), not a B race's easy days (V7)."""
        p14 = self.rules.P14
        if self.available[day] < min(p14.quality_min, p14.tempo_min) or self.recovery_day[day]:
            return False
        if any(near in self.race_on_day for near in (day - 1, day, day + 1)):
            return False
        return not any(day in self.v7_easy_days(race) for race in self.races if race.priority == Priority.B)

    @cached_property
    def _a_race_easy_day_set(self) -> frozenset[int]:
        return frozenset(day for race in self.races if race.priority == Priority.A for day in self.v7_easy_days(race))

    def _v7_early(self, race: RaceInfo) -> bool:
        """Whether an A race falls Monday to Thursday, so that most of its last seven days lie
        in the week before it, and that week is a taper week.

        Reading (README, V7): "race week's training minutes are 40-60 %" is Bosquet's cut of
        the last week before the race. For a race early in its week, read as written, it had
        held the six days after an A marathon on a Monday (Boston) at 40 % of the reference
        week, 240 minutes of easy running, while the week before, untapered, ran 74 % with a
        tempo run and a long run. The cap then holds the week before as well, and the floor
        holds neither week: on the race's week it asks only for running after the race, and
        moved to the week before it left generated seasons with no plan (a Wednesday 10k
        whose week before holds three runs, V5 keeping its long run short after a holiday)."""
        before = race.week - 1
        return race.date.weekday() <= 3 and before >= 0 and before in self.taper_weeks(race)

    def reference_weeks(self, race: RaceInfo) -> list[int]:
        """V7: the three weeks before the first taper week. Negative indices are weeks before
        the plan, which count as ``current_weekly_minutes``."""
        taper = self.taper_weeks(race)
        if not taper:
            return []
        return [taper[0] - 3, taper[0] - 2, taper[0] - 1]

    def a_recovery_weeks(self, race: RaceInfo) -> list[int]:
        """V8: weeks overlapping an A race's recovery (capped against its reference week)."""
        if race.priority != Priority.A:
            return []
        window = self.recovery(race)
        return sorted({self.week_of_day(day) for day in window.days()})

    @cached_property
    def taper_week_of(self) -> dict[int, RaceInfo]:
        return {week: race for race in self.races_with(Priority.A) for week in self.taper_weeks(race)}

    @cached_property
    def phases(self) -> tuple[Phase, ...]:
        """RULES.md phases, first match wins."""
        ab_recovery_weeks = {
            self.week_of_day(day)
            for race in self.races_with(Priority.A, Priority.B)
            for day in self.recovery(race).days()
        }
        phases: list[Phase] = []
        for week in range(self.n_weeks):
            if self.has_race(week, Priority.A, Priority.B):
                phases.append("race")
            elif week in self.taper_week_of:
                phases.append("taper")
            elif week in ab_recovery_weeks:
                phases.append("recovery")
            else:
                to_taper = self.weeks_to_taper(week)
                if to_taper is not None and to_taper <= 3:
                    phases.append("peak")
                elif to_taper is not None and to_taper <= 11:
                    phases.append("build")
                else:
                    phases.append("base")
        return tuple(phases)

    @cached_property
    def first_taper_weeks(self) -> tuple[int, ...]:
        return tuple(sorted(weeks[0] for race in self.races_with(Priority.A) if (weeks := self.taper_weeks(race))))

    def weeks_to_taper(self, week: int) -> int | None:
        """Weeks from ``week`` to the next A race's first taper week (None with no A race ahead)."""
        ahead = [first - week for first in self.first_taper_weeks if first > week]
        return min(ahead) if ahead else None

    @cached_property
    def phase_targets(self) -> tuple[int, ...]:
        """O1: the training minutes each week aims at, from the phase curve toward peak."""
        params = self.rules.O1
        peak = self.athlete.volume.peak_weekly_minutes
        targets: list[int] = []
        for week, phase in enumerate(self.phases):
            if phase == "build":
                position = 12 - (self.weeks_to_taper(week) or 12)  # 1 .. 8 through the build
                pct = params.base_pct + (params.peak_pct - params.base_pct) * position / 9
            elif phase == "race":
                pct = params.race_pct if self.has_race(week, Priority.A) else params.b_race_pct
            else:
                pct = {"base": params.base_pct, "peak": params.peak_pct, "taper": params.taper_pct,
                       "recovery": params.recovery_pct}[phase]
            targets.append(round(peak * pct / 100))
        return tuple(targets)

    # ---- per-week numbers the rules use ----------------------------------------------------
    def volume_floor(self, week: int) -> int:
        """V1's and V2's "never capped below the minimum week", for ``week``: the minimum week,
        or in a taper week that keeps a quality session (V7) the least that week must hold
        (``v7_week_floor``) where that is more; the same number in every other week.

        Reading (a collision of V1 with V7's taper session and V6): the minimum week counts
        P4's lower bound of quality sessions, 0 for a beginner, while the taper asks for one,
        and V6 lets 30 minutes of quality be at most 25 % of a week of 120. A beginner at 90
        minutes a week whose half marathon's taper started in the plan's third week (V1: 99,
        108, then at most 119) had no plan. No volume cap forces a week below what its own
        hard rules ask, as RULES.md says of normal weeks."""
        return max(self.minimum_week, self.v7_week_floor(week))

    @cached_property
    def minimum_week(self) -> int:
        """RULES.md: the fewest training minutes the rules allow in a normal week.

        Reading (a collision of RULES.md's formula with P3 and V4): the formula adds the
        shortest long run (P14's ``long_min``) to the other sessions, but P3 makes the long run
        the week's longest run, and V4 caps a long run above ``long_min`` at its share of the
        week. Where a quality session or an easy run is set longer than ``long_min``
        (``P14: {quality_min: 75}``), every normal week held more than the formula's minimum
        week, V3's deload was capped at that minimum week all the same, and the season had no
        plan. The long run here is at least the longest of the week's shortest sessions, and
        the week at least what V4's share (at the fewest running days, its largest) asks of
        it: still the fewest minutes the rules allow, and the same number wherever ``long_min``
        is the longest (RULES.md's defaults).

        On the plans' 5-minute grid (``on_grid``): V6's or V4's share can ask a number no plan
        can hold (V6 at 7 % asks 429 minutes of a week with a 30-minute quality session), and
        V1's floor at 429 then capped the first week below the 430 it needed: no plan."""
        p14, sessions = self.rules.P14, self.quality_sessions_required
        shortest_quality = min(p14.quality_min, p14.tempo_min)
        other_runs = max(0, self.athlete.runs_per_week.min - 1 - sessions)
        shortest_long = max(p14.long_min, shortest_quality if sessions else 0,
                            p14.shortest_easy_run if other_runs else 0)
        by_sessions = shortest_long + sessions * shortest_quality + other_runs * p14.shortest_easy_run
        long_share = self.rules.V4.share_pct(self.athlete.runs_per_week.min)
        by_long_share = (math.ceil(shortest_long * 100 / long_share) if shortest_long > p14.long_min and long_share > 0
                         else 0)
        return on_grid(max(by_sessions, by_long_share, self.v6_week_for_quality(sessions)))

    def p10_sessions(self, week: int) -> int:
        """P10's count for ``week``: a normal week holds exactly this many, any other week at
        most this many (RULES.md's "at most that many"). ``strength.sessions_per_week``, or in a
        normal week whose days hold fewer beside its runs, that many (``_sessions_the_days_hold``).
        P10, S4's busy pair, the validator and explain read this; O6 still counts sessions
        missing against ``sessions_per_week`` outside normal weeks, as RULES.md says.

        Reading (a collision of P10 with P7 and P8 on the athlete's own days, read for safety,
        then feasibility): a runner with Saturday and Sunday only and 2 sessions a week must
        hold a long run every normal week (P3) and both sessions, but P7 keeps strength off the
        long run's day and P8 off the day before it, so only the day after a Saturday long run
        is left: no plan, where the runner asked for strength, not for fewer runs. The plan
        keeps P7 and P8, which guard the long run, and a normal week holds the sessions its days
        allow: at one, the full session (S4: "at 1 session a week the session is full"); solve
        says so. A C race on the next Monday takes that week's Sunday too (P2, P8). A runner
        whose weeks have room for the sessions is unchanged."""
        asked = self.athlete.strength.sessions_per_week
        if not asked or not self.normal_weeks[week]:
            return asked
        eves = frozenset(offset for offset, day in enumerate(self.week_days(week)) if day + 1 in self.race_on_day)
        key = (eves, self.long_run_required(week))
        if key not in self._sessions_held:  # few distinct weeks: most are the same week
            self._sessions_held[key] = self._sessions_the_days_hold(asked, *key)
        return self._sessions_held[key]

    @cached_property
    def _sessions_held(self) -> dict[tuple[frozenset[int], bool], int]:
        return {}

    @cached_property
    def weeks_holding_fewer_sessions(self) -> list[int]:
        """The normal weeks whose days hold fewer sessions than ``sessions_per_week`` (``p10_sessions``)."""
        asked = self.athlete.strength.sessions_per_week
        return [week for week in range(self.n_weeks) if self.normal_weeks[week] and self.p10_sessions(week) < asked]

    def _sessions_the_days_hold(self, asked: int, eves: frozenset[int], long_run_required: bool) -> int:
        """The most strength sessions, up to ``asked``, a normal week holds on the athlete's
        training days (those of the weekly availability with any minutes, P12) beside its runs:
        a long run (P3, where required) and P4's quality sessions (``quality_sessions_required``),
        none beside another hard day or on a race's eve (P2; ``eves``, by weekday), the sessions
        on other days (P7), none the day before the long run or a race (P8), A and B two days
        apart (P9), running days within ``runs_per_week`` and P5's rest days; Sunday beside the
        next Monday, as every week repeats. The days' lengths are left out: where the days could
        hold the sessions but their minutes cannot, that is the athlete's time, not the rules
        colliding, and P10 keeps asking (explain names the minutes)."""
        runs, rest = self.athlete.runs_per_week, self.rules.P5.min_rest_days
        days = [day for day in range(7) if self.athlete.availability.minutes_on(day) > 0]
        hard_days = [day for day in days if day not in eves]

        def runs_fit(hard: int) -> bool:
            """Room for easy runs filling P6's running days beside ``hard`` runs, P5's rest days
            kept (strength may share an easy or a rest day)."""
            return max(runs.min - hard, 0) <= min(runs.max - hard, 7 - rest - hard, len(days) - hard)

        candidates = [(long_run, hard)
                      for long_run in [(day,) for day in hard_days] + ([] if long_run_required else [()])
                      for hard in itertools.combinations([day for day in hard_days if day not in long_run],
                                                         self.quality_sessions_required)
                      if apart_in_a_week([*long_run, *hard]) and runs_fit(len(long_run) + len(hard))]
        if not candidates:  # the runs fail whatever the sessions: not P10's collision
            return asked

        def open_days(long_run: tuple[int, ...], hard: tuple[int, ...]) -> int:
            barred = {*long_run, *((day - 1) % 7 for day in long_run), *hard, *eves}
            return sum(1 for day in days if day not in barred)

        # The sessions on the other days: A + B two days apart, or else the busy pair (full +
        # short, S4) on any two, or one full.
        return min(asked, max(open_days(long_run, hard) for long_run, hard in candidates))

    def minimum_strength_minutes(self, week: int) -> int:
        """P10: the fewest strength minutes (as planned, P14) a week can hold."""
        return self.strength_minutes_range(week)[0]

    def strength_minutes_range(self, week: int) -> tuple[int, int]:
        """P10: the fewest and the most strength minutes (as planned, P14) a week can hold. A
        normal week holds ``p10_sessions`` sessions, A + B or the busy-week full + short at 2
        (S4), one full at 1; any other week holds none up to that many, of any kind."""
        per_week = self.p10_sessions(week)
        planned = self.rules.P14.planned_minutes
        if per_week == 0:
            return 0, 0
        if not self.normal_weeks[week]:
            return 0, per_week * max(planned(kind) for kind in ("A", "B", "full", "short"))
        if per_week == 1:
            return planned("full"), planned("full")
        pairs = (planned("A") + planned("B"), planned("full") + planned("short"))
        return min(pairs), max(pairs)

    @cached_property
    def exception_run_day_minutes(self) -> int:
        """The minutes that make a day of an exception week count toward P6's minimum:
        ``P6.exception_day_minutes``, or the shortest easy run where that is more.

        Reading (a collision of P6 and P14): RULES.md's "days with at least 20 minutes" is the
        shortest run at P14's defaults; set below the shortest run (``exception_day_minutes:
        0``, or P14's easy and recovery minimums at 30 beside a 25-minute trip), P6 counted
        days no run fits and asked runs of them, and the season had no plan. A day counts
        only where a run fits: safe, and feasible."""
        return max(self.rules.P6.exception_day_minutes, self.rules.P14.shortest_easy_run)

    def min_running_days(self, week: int) -> int:
        """P6's minimum; in an exception week capped by the days with enough time (race days
        count; ``exception_run_day_minutes``)."""
        wanted = self.athlete.runs_per_week.min
        if not self.is_exception_week(week):
            return wanted
        enough = self.exception_run_day_minutes
        days_with_time = sum(
            1 for day in self.week_days(week) if self.available[day] >= enough or day in self.race_on_day
        )
        return min(wanted, days_with_time)

    def fewest_training_minutes(self, week: int) -> int:
        """A lower bound on plan week ``week``'s training minutes in every plan the hard rules
        allow: the minimum week in a normal week with its long run (``long_run_required``);
        P6's runs at the shortest easy run beside a race (a C race stands in for a quality
        session, P4); elsewhere ``v7_week_floor`` (P6's runs, and P4's or the taper's quality
        sessions under V6's share)."""
        if self.long_run_required(week):
            return self.minimum_week
        if self.race_days_in_week(week):
            return self.rules.P14.shortest_easy_run * self._runs_beside_races(week)
        return self.v7_week_floor(week)

    def quality_upper_bound(self, week: int) -> int:
        """P4's most quality sessions in ``week``, C races counted: ``max_sessions``, or the
        week's C races where they alone are more (then the week holds no quality session).

        Reading (a collision of P4's cap with the race calendar): a beginner (at most 1) with a
        Wednesday club 5k and a Sunday parkrun in one week, both C races, had no plan, and no
        change but dropping a race could give one. The races are the athlete's; the plan adds
        no quality session beside them, which keeps the week as safe as the calendar allows."""
        return max(self.rules.P4.max_sessions, len(self.c_race_days(week)))

    def quality_lower_bound_applies(self, week: int) -> bool:
        """P4: the lower bound is waived in an A-race week, a recovery week or an exception week."""
        return not (self.has_race(week, Priority.A) or self.touched_by_recovery(week) or self.is_exception_week(week))

    @cached_property
    def quality_sessions_required(self) -> int:
        """P4's lower bound where it applies: ``min_sessions``, or where the athlete's weekly
        availability holds fewer quality sessions beside the long run, that many
        (``_quality_days_beside_long_run``).

        Reading (a collision of P4's lower bound with P2 and P3 on the athlete's own days): a
        weekend runner (Saturday and Sunday only, two runs a week) must hold a long run every
        normal week (P3) and a quality session (P4), and P2 forbids two hard days in a row: no
        plan, and no single change of the file gave one. Both rules ask for hard days; P2 keeps
        them apart, which is the safety rule. The plan keeps the long run (a week without one
        costs O7, RULES.md's own price) and holds as many quality sessions as the days allow
        apart from it; a runner whose week has room for them is unchanged. None where the
        athlete's rules allow no quality at all (``allows_quality``)."""
        if not self.allows_quality:
            return 0
        return self._quality_sessions_shares_hold(self.quality_sessions_by_days)

    @cached_property
    def runs_a_week_hold(self) -> int:
        """The most runs a week of the athlete's weekly availability holds: ``runs_per_week.max``,
        or the days with minutes for the shortest run where they are fewer."""
        p14 = self.rules.P14
        run_days = sum(1 for day in range(7) if self.athlete.availability.minutes_on(day) >= p14.shortest_easy_run)
        return min(self.athlete.runs_per_week.max, run_days)

    @cached_property
    def quality_sessions_by_days(self) -> int:
        """P4's lower bound held to the athlete's days alone (``_quality_days_beside_long_run``),
        before the shares: which of the two readings holds it, for the solve note."""
        return min(self.rules.P4.min_sessions, self._quality_days_beside_long_run())

    def _quality_sessions_shares_hold(self, sessions: int) -> int:
        """The most of ``sessions`` quality sessions a normal week of at most
        ``runs_per_week.max`` runs (and days with minutes for one) holds beside its long run by
        the rules' numbers alone: V6's share for the quality minutes, V4's share (by running
        days) for the long run, P14's lengths, P3's long run the week's longest run. Which days
        could hold them is counted apart (``_quality_days_beside_long_run``); this counts what
        no day's minutes could change.

        Reading (a collision of P4's lower bound with V4 and V6, read for safety, then
        feasibility): a runner of two runs a week with a long run (P3) and one quality session
        (P4) can keep neither share: V4's 50 % makes the quality run at least as long as the long
        run, and V6's 25 % makes the long run three times the quality run. Such a runner with
        45 minutes on weekdays had no plan, and explain could only offer a third run. The plan
        keeps the long run, the 80/20 split and V4's share, which guard the athlete, and holds
        as many quality sessions as the shares allow; one whose shares hold P4's sessions is
        unchanged, and so is one whose V6 share is too small for them even without a long run."""
        p14, v4, runs_most = self.rules.P14, self.rules.V4, self.runs_a_week_hold
        quality = on_grid(min(p14.quality_min, p14.tempo_min))
        at_floor = MINUTE_STEP * (p14.long_min // MINUTE_STEP)  # V4 never holds the long run below the shortest
        easy_most = MINUTE_STEP * (p14.easy_max // MINUTE_STEP)

        def holds(count: int, runs: int) -> bool:
            for long_run in range(max(on_grid(p14.long_min), quality), v4.max_minutes + 1, MINUTE_STEP):
                if runs - 1 - count and p14.shortest_easy_run > long_run:
                    continue
                week = long_run + count * quality + (runs - 1 - count) * min(easy_most, long_run)
                v4_holds = long_run <= at_floor or long_run * 100 <= v4.share_pct(runs) * week
                if v4_holds and count * quality * 100 <= self.rules.V6.max_share_pct * week:
                    return True
            return False

        def v6_alone_holds(count: int, runs: int) -> bool:  # the other runs at their longest, V4 aside
            week = count * quality + (runs - 1 - count) * easy_most + v4.max_minutes
            return count * quality * 100 <= self.rules.V6.max_share_pct * week

        for count in range(sessions, 0, -1):
            counts = range(count + 1, runs_most + 1)
            if any(holds(count, runs) for runs in counts) or not any(v6_alone_holds(count, runs) for runs in counts):
                # Where V6's share alone is too small for the sessions, the athlete's own numbers
                # ask it (V6 at 2 %): refused as before, the input error naming them.
                return count
        return 0

    @cached_property
    def allows_quality(self) -> bool:
        """Whether the athlete's rules let any week hold a quality or tempo session: not where
        ``P4.max_sessions`` is 0 or ``V6.max_share_pct`` is 0.

        Reading (a collision of the athlete's overrides with P4's lower bound and V7's taper
        session): RULES.md asks every normal week for P4's ``min_sessions`` and every taper week
        before race week for one quality or tempo session, but an athlete who set either
        number to 0 asked for no intensity at all. With P4 at 0 and an A half, and with V6 at 0
        beside P4's default minimum of 1, there had been no plan (exit 3 after 21-25 s), and no
        change to V7's taper session could give one. The plan holds no quality session there:
        an all-easy season is the safe side of both rules."""
        return self.rules.P4.max_sessions > 0 and self.rules.V6.max_share_pct > 0

    def _quality_days_beside_long_run(self) -> int:
        """The most quality sessions a week of the athlete's availability holds beside a long
        run: each on a day with the shortest quality or tempo session's minutes, the long run on
        a day with the shortest long run's (P14, P12), no two of them on neighbouring days (P2),
        Sunday beside the next Monday as every week repeats, within ``runs_per_week.max`` (P6).
        Where no day holds the long run, the most quality sessions alone."""
        p14 = self.rules.P14
        available = [self.athlete.availability.minutes_on(weekday) for weekday in range(7)]
        quality_days = [day for day in range(7) if available[day] >= min(p14.quality_min, p14.tempo_min)]
        long_days = [day for day in range(7) if available[day] >= p14.long_min]

        most = 0
        for long_run in [[day] for day in long_days] or [[]]:
            beside = [day for day in quality_days if day not in long_run]
            for count in range(len(beside), most, -1):
                if any(apart_in_a_week([*combo, *long_run]) for combo in itertools.combinations(beside, count)):
                    most = count
                    break
        runs = self.athlete.runs_per_week.max - (1 if long_days else 0)
        return max(0, min(most, runs))

    def taper_quality_required(self, week: int) -> bool:
        """V7: a taper week before race week keeps a quality session unless recovery or an
        exception touches it (``v7_asks_taper_session``), or the athlete's rules allow none
        (``allows_quality``)."""
        return self.allows_quality and self.v7_asks_taper_session(week)

    def v7_asks_taper_session(self, week: int) -> bool:
        """RULES.md's V7 alone: ``week`` is a taper week before race week, and no recovery
        window or exception touches it (``taper_quality_required`` also reads ``allows_quality``)."""
        race = self.taper_week_of.get(week)
        if race is None or week == race.week:
            return False
        return not (self.touched_by_recovery(week) or self.is_exception_week(week))


def apart_in_a_week(days: Sequence[int]) -> bool:
    """Whether no two of ``days`` (weekdays, 0 = Monday) are neighbours, Sunday beside the next
    Monday as every week repeats: P2's hard days, P9's A and B."""
    return all((second - first) % 7 not in (1, 6) for first, second in itertools.combinations(days, 2))


def roomiest_runs(day_caps: Sequence[int], long_run_caps: Sequence[int], *, beside: int, runs: int) -> int:
    """The most a week's ``runs`` runs can hold: the roomiest of ``day_caps`` (each day's most
    for a run other than a long run, at most ``beside``), and one of them a long run of up to
    the roomiest of ``long_run_caps`` (P3: at most one a week). The capacity behind V7's
    race-week waiver (``Skeleton._race_week_below_its_floor``) and the volume relaxation's
    (``relaxation.week_capacity_units``), each in its own units."""
    if runs <= 0:
        return 0
    return sum(sorted(day_caps, reverse=True)[:runs]) + max(max(long_run_caps, default=0) - beside, 0)


def on_grid(minutes: int) -> int:
    """``minutes`` rounded up to the plans' grid (``MINUTE_STEP``): the least a plan can hold
    that is at least ``minutes``."""
    return MINUTE_STEP * math.ceil(minutes / MINUTE_STEP)


def season_end(athlete: Athlete, rules: Rules) -> date:
    """The season's last date: given, or the end of the races' recoveries (the contract's "last
    race + its recovery (V8)").

    Reading: the latest recovery to end, not only the last race's. A C 10k two days after an A
    half (recovery 2 days) had ended the season six days into the half's 13, leaving the rest
    of its recovery unplanned; the contract is silent where an earlier race's recovery outlasts
    the last race's, and the safe reading plans all of it. Where the last race's recovery ends
    last, as in every season without such an overlap, the two readings agree."""
    if athlete.season.end is not None:
        return athlete.season.end
    index, days = _latest_recovery(athlete, rules)
    return athlete.races[index].date + timedelta(days=days)


def _latest_recovery(athlete: Athlete, rules: Rules) -> tuple[int, int]:
    """The race whose recovery ends last (the last race on a tie), by its place in the file,
    and its recovery's days."""
    days = [recovery_days(race, rules) for race in athlete.races]
    index = max(range(len(athlete.races)),
                key=lambda number: (athlete.races[number].date.toordinal() + days[number], athlete.races[number].date))
    return index, days[index]


def races_of_no_minutes(athlete: Athlete) -> list[tuple[tuple[str | int, ...], str]]:
    """Races whose estimated minutes (``race_minutes``) round to 0: a distance of 0.05 km was
    planned as an A race of 0 minutes, a race day with nothing to run. Most likely metres
    typed as kilometres, or a missing decimal point."""
    return [(("races", index, "distance"), f"{race.km:g} km is a race of 0 minutes at the {athlete.level.value} pace of "
             f"{PACE_MIN_PER_KM[athlete.level]:g} min/km; give the distance in kilometres (10 for a 10k), or expected_minutes")
            for index, race in enumerate(athlete.races) if race_minutes(race, athlete.level) == 0]


def recovery_past_limits(athlete: Athlete, rules: Rules) -> list[tuple[tuple[str | int, ...], str]]:
    """Where the season ends after its races' recoveries (no ``season.end``) beyond the weeks
    periodize plans (``MAX_SEASON_WEEKS``, which the athlete model checks up to the race itself)
    or the calendar's end. Only the rules know the recovery: a 400 km race with V8 at 5 days a
    mile ended 1,245 days after it (a 282-week season, or an OverflowError)."""
    if athlete.season.end is not None or not athlete.races:
        return []
    index, days = _latest_recovery(athlete, rules)
    race = athlete.races[index]
    because = f"{race.name}'s recovery of {days} days ({recovery_rule(race, rules)})"
    if race.date.toordinal() + days + 7 > date.max.toordinal():
        return [(("races", index), f"{because} runs past the calendar's end")]
    end = race.date + timedelta(days=days)
    weeks = athlete.weeks_to(end)
    if weeks > MAX_SEASON_WEEKS:
        return [(("races", index), f"the season would end on {end}, after {because}: a season of {weeks} weeks "
                 f"from its start {athlete.season.start}; periodize plans seasons of at most {MAX_SEASON_WEEKS} "
                 f"weeks: set season.end, or check the race's distance and rules.V8")]
    return []


#: The rule numbers that set the fewest minutes a week must hold (``minimum_week``,
#: ``v7_week_floor``), as the athlete's ``rules:`` may override them (``peak_below_a_week``).
MINIMUM_WEEK_NUMBERS = {
    "P14": frozenset({"long_min", "quality_min", "tempo_min", "easy_min", "recovery_min"}),
    "P4": frozenset({"min_sessions"}),
    "V6": frozenset({"max_share_pct"}),
    "V4": frozenset({"share_pct_3_or_fewer", "share_pct_4", "share_pct_5_or_more"}),
}


def peak_below_a_week(athlete: Athlete, rules: Rules) -> list[tuple[tuple[str | int, ...], str]]:
    """A ``peak_weekly_minutes`` below what a week of the season must hold
    (``Skeleton.fewest_training_minutes``): V9 caps every week at the peak, so no plan exists.
    Why at load time: the solve and explain found it only after 17-65 s (exit 3), where the
    numbers say it at once (exit 2, naming the field and the minutes needed)."""
    peak = athlete.volume.peak_weekly_minutes
    skeleton = build_skeleton(athlete, rules)
    for week in range(skeleton.n_weeks):
        needed = skeleton.fewest_training_minutes(week)
        if needed > peak:
            if skeleton.long_run_required(week):
                quality = ", P4's quality sessions under V6's share" if skeleton.quality_sessions_required else ""
                why = f"the minimum week: the shortest long run{quality} and P6's other runs"
            else:
                quality = " and the week's quality sessions (P4, V7's taper) under V6's share"
                why = f"P6's runs{quality if skeleton.allows_quality else ''}"
            asking = _numbers_asking(athlete, rules, week, needed)
            rules_fix = f"change the rules that ask it ({', '.join(asking)})" if asking else ""
            if needed <= MAX_WEEKLY_MINUTES:
                fix = f"so raise it to at least {needed}" + (f", or {rules_fix}" if rules_fix else "")
            else:
                fix = f"which is at most {MAX_WEEKLY_MINUTES}" + (f": {rules_fix}" if rules_fix else "")
            return [(("volume", "peak_weekly_minutes"),
                     f"{peak} is below the {needed} training minutes the week of {skeleton.week_start(week)} "
                     f"must hold ({why}); V9 caps every week at the peak, {fix}")]
    return []


def _numbers_asking(athlete: Athlete, rules: Rules, week: int, needed: int) -> list[str]:
    """The athlete's rule numbers (``MINIMUM_WEEK_NUMBERS``) to set back to their defaults so
    that ``week`` needs no more than the peak: all of them, then each kept as set where the week
    still fits without it (where even all together do not fit, those that ask more minutes each
    alone). Why: V6 at 2 % had been answered only "raise it to at least 1500" (the override was
    the cause), P14's lengths at 1440 "raise it to at least 5760" beside a maximum of 3000, and
    naming every override had named an ``easy_min`` of 30 where V6 at 1 % asked 6,000 minutes."""
    defaults = Rules.model_validate(level_defaults(athlete))
    numbers = [(code, field, value) for code, fields in MINIMUM_WEEK_NUMBERS.items()
               for field, value in athlete.rules.get(code, {}).items() if field in fields]

    def needed_without(reverted: list[tuple[str, str, Any]]) -> int:
        changed = rules
        for code, field, _ in reverted:
            section = getattr(changed, code)
            changed = changed.model_copy(
                update={code: section.model_copy(update={field: getattr(getattr(defaults, code), field)})})
        return build_skeleton(athlete, changed).fewest_training_minutes(week)

    peak = athlete.volume.peak_weekly_minutes
    if not numbers or needed_without(numbers) > peak:
        asking = [number for number in numbers if needed_without([number]) < needed]
    else:
        asking = list(numbers)
        for number in numbers:
            if needed_without([other for other in asking if other != number]) <= peak:
                asking.remove(number)
    return [f"rules.{code}.{field} {value}" for code, field, value in asking]


def recovery_rule(race: Race, rules: Rules) -> str:
    """Which of V8's numbers sets a race's recovery, in words (``recovery_days``)."""
    params = rules.V8
    days = f"{params.days_per_mile:g} day{'' if params.days_per_mile == 1 else 's'} a mile"  # not "1 days"
    if race.priority == Priority.A:
        return f"V8: {days} raced"
    if race.priority == Priority.B:
        return f"V8: {params.b_race_share:g} of an A race's {days}"
    return f"V8: c_race_days {params.c_race_days}"


def round_half_up(value: float) -> int:
    """The nearest whole number, halves up. Python's ``round`` sends halves to the even
    neighbour (2.5 -> 2, 4.5 -> 4), which would give a 2.5-mile race two days of recovery and
    a 4.5-day window four: where a recovery length is a tie, the longer (safer) one wins."""
    return math.floor(value + 0.5)


def miles_raced(km: float) -> int:
    """Whole miles raced (5k 3, 10k 6, half 13, marathon 26), halves up."""
    return round_half_up(km / KM_PER_MILE)


def recovery_days(race: Race, rules: Rules) -> int:
    """V8: one day per mile raced for A races, half that rounded up for B, fixed for C."""
    params = rules.V8
    a_days = round_half_up(miles_raced(race.km) * params.days_per_mile)
    if race.priority == Priority.A:
        return a_days
    if race.priority == Priority.B:
        return math.ceil(a_days * params.b_race_share)
    return params.c_race_days


def build_skeleton(athlete: Athlete, rules: Rules | None = None) -> Skeleton:
    """Lay out the season: weeks from the start's Monday to the end's Sunday, availability with
    exceptions applied, and every race with its taper and recovery lengths."""
    rules = rules or resolve_rules(athlete)
    start = athlete.plan_start
    end = season_end(athlete, rules)
    n_weeks = athlete.weeks_to(end)
    available: list[int] = []
    exception_day: list[bool] = []
    notes: list[str | None] = []
    for offset in range(7 * n_weeks):
        today = start + timedelta(days=offset)
        # At most one: the athlete file rejects overlapping exceptions.
        exception = next((exc for exc in athlete.exceptions if exc.covers(today)), None)
        available.append(exception.minutes if exception else athlete.availability.minutes_on(today.weekday()))
        exception_day.append(exception is not None)
        notes.append(exception.note if exception else None)
    races = tuple(
        sorted(
            (
                RaceInfo(
                    name=race.name,
                    day=(race.date - start).days,
                    date=race.date,
                    priority=race.priority,
                    km=race.km,
                    distance=standard_distance(race.km),
                    miles=miles_raced(race.km),
                    minutes=race_minutes(race, athlete.level),
                    taper_days=rules.V7.taper_days(standard_distance(race.km)),
                    recovery_days=recovery_days(race, rules),
                )
                for race in athlete.races
            ),
            key=lambda info: info.day,
        )
    )
    return Skeleton(
        athlete=athlete,
        rules=rules,
        start=start,
        n_weeks=n_weeks,
        available=tuple(available),
        exception_day=tuple(exception_day),
        exception_notes=tuple(notes),
        races=races,
    )


__all__ = ["DISTANCE_KM", "DayRange", "RaceInfo", "Skeleton", "build_skeleton", "race_minutes", "standard_distance"]
