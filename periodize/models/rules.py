"""Rule numbers: RULES.md defaults, level-dependent defaults, then the athlete's overrides.

This module is the only place a rule number is written down. The solver, the validator and the
explanations all read a resolved :class:`Rules`; none of them holds a literal of its own.

An athlete overrides a number with ``rules: {V1: {max_increase_pct: 12}}`` and switches a soft
rule off with ``rules: {O3: {enabled: false}}``. Hard rules have no ``enabled`` switch: RULES.md
says they can only be loosened by changing their numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from periodize.models.athlete import Athlete, CalendarError, Level
from periodize.models.base import NoBooleanNumbers

#: Plans count run minutes in steps of this many (the solver's unit: ``solver.variables.UNIT``).
MINUTE_STEP = 5


def _in_minute_steps(minutes: int) -> int:
    """A run length the plans can hold: a multiple of ``MINUTE_STEP``. Easy runs of 21-24 min
    had been accepted, and then no plan existed ("no plan keeps the hard rules", P14 named),
    though a hand-made plan of 22-minute runs keeps every rule."""
    if minutes % MINUTE_STEP:
        below = minutes - minutes % MINUTE_STEP
        # Not 0: no run lasts 0 minutes ("use 0 or 5" for 1, and 0 was then refused).
        choices = f"{below} or {below + MINUTE_STEP}" if below else f"{MINUTE_STEP}"
        raise ValueError(f"{minutes} is not a multiple of {MINUTE_STEP}: plans count run minutes in {MINUTE_STEP}-minute "
                         f"steps, so use {choices}")
    return minutes


Pct = Annotated[float, Field(ge=0, le=1000)]
#: A part of a whole (a deload or race week of the week before, a long run's share of its
#: week): at most all of it. "Deload" weeks 52 % above the week before had been accepted.
#: Caps that only loosen above 100 % (V1's increase, V8's recovery weeks) stay ``Pct``.
Share = Annotated[float, Field(ge=0, le=100)]
Min = Annotated[int, Field(ge=0, le=1440)]
#: The shortest a session may be set to: a run or a gym session of 0 minutes is none at all
#: (``easy_min: 0`` gave plans with "tempo 0 min" counted as the week's quality session).
SessionMin = Annotated[int, Field(ge=1, le=1440)]
#: A run's length or cap, in the plans' minute steps.
RunMin = Annotated[int, Field(ge=1, le=1440, json_schema_extra={"multipleOf": MINUTE_STEP}), AfterValidator(_in_minute_steps)]
RunCap = Annotated[int, Field(ge=0, le=1440, json_schema_extra={"multipleOf": MINUTE_STEP}), AfterValidator(_in_minute_steps)]


class RuleParams(NoBooleanNumbers):
    """Base of every rule's parameters. ``text`` is the one-line rule, cited by reports."""

    # ``.nan`` had been read and refused as "must be at most 1000, got nan"; ``.inf`` where
    # no bound stops it: a rule's number is finite.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --- placement and recovery (P) -------------------------------------------------------------
class P4Params(RuleParams):
    """quality+tempo sessions per week within bounds."""

    min_sessions: Annotated[int, Field(ge=0, le=7)] = 1
    max_sessions: Annotated[int, Field(ge=0, le=7)] = 2

    @model_validator(mode="after")
    def _ordered(self) -> P4Params:
        if self.min_sessions > self.max_sessions:
            raise ValueError(f"min_sessions {self.min_sessions} is above max_sessions {self.max_sessions}")
        return self


class P5Params(RuleParams):
    """At least this many rest days per week."""

    min_rest_days: Annotated[int, Field(ge=0, le=7)] = 1


class P6Params(RuleParams):
    """Running days per week; in an exception week the minimum is capped by days with time."""

    exception_day_minutes: Min = 20


class P11Params(RuleParams):
    """No strength in the last N days before an A race; one light session in the window."""

    no_strength_days: Annotated[int, Field(ge=0, le=60)] = 7
    light_window_days: Annotated[int, Field(ge=0, le=60)] = 14

    @model_validator(mode="after")
    def _ordered(self) -> P11Params:
        # The light session's window holds the days without strength: shorter, it says nothing.
        if self.no_strength_days > self.light_window_days:
            raise ValueError(f"no_strength_days {self.no_strength_days} is above light_window_days "
                             f"{self.light_window_days}: the light session's window would lie inside the days without strength")
        return self


class P13Params(RuleParams):
    """The day before an A or B race is rest, or easy/recovery of at most this many minutes."""

    max_easy_minutes: RunCap = 30


class P14Params(RuleParams):
    """Session lengths in minutes. ``*_planned`` is the length the plan gives each strength
    session (warm-up included); it must lie inside that session's range."""

    easy_min: RunMin = 20
    easy_max: RunMin = 90
    recovery_min: RunMin = 20
    recovery_max: RunMin = 35
    quality_min: RunMin = 30
    quality_max: RunMin = 90
    tempo_min: RunMin = 30
    tempo_max: RunMin = 90
    long_min: RunMin = 60
    ab_min: SessionMin = 40
    ab_max: SessionMin = 60
    full_min: SessionMin = 35
    full_max: SessionMin = 45
    short_min: SessionMin = 15
    short_max: SessionMin = 25
    ab_planned: Min = 45
    full_planned: Min = 40
    short_planned: Min = 20

    @property
    def shortest_easy_run(self) -> int:
        """RULES.md's "shortest easy run": a recovery run is a short easy run (the vocabulary),
        so the shorter of the two minimums. Read by the minimum week, V7's race-week floor and
        the explanations; V7's floor had read ``easy_min`` alone, so with ``recovery_min`` below
        it a race week could exceed its 60 % through a floor of easy runs the week held as
        recovery runs."""
        return min(self.easy_min, self.recovery_min)

    def planned_minutes(self, session: str) -> int:
        """Minutes the plan gives a strength session of this kind (``A``, ``B``, ``full``, ``short``)."""
        return self.ab_planned if session in ("A", "B") else int(getattr(self, f"{session}_planned"))

    def session_range(self, session: str) -> tuple[int, int]:
        """P14's allowed minutes for a strength session of this kind."""
        prefix = "ab" if session in ("A", "B") else session
        return int(getattr(self, f"{prefix}_min")), int(getattr(self, f"{prefix}_max"))

    @model_validator(mode="after")
    def _ranges(self) -> P14Params:
        pairs = [
            ("easy", self.easy_min, self.easy_max),
            ("recovery", self.recovery_min, self.recovery_max),
            ("quality", self.quality_min, self.quality_max),
            ("tempo", self.tempo_min, self.tempo_max),
            ("ab", self.ab_min, self.ab_max),
            ("full", self.full_min, self.full_max),
            ("short", self.short_min, self.short_max),
        ]
        for name, low, high in pairs:
            if low > high:
                raise ValueError(f"{name}_min {low} is above {name}_max {high}")
        for name, planned, low, high in [
            ("ab", self.ab_planned, self.ab_min, self.ab_max),
            ("full", self.full_planned, self.full_min, self.full_max),
            ("short", self.short_planned, self.short_min, self.short_max),
        ]:
            if not low <= planned <= high:
                raise ValueError(f"{name}_planned {planned} is outside {name}_min..{name}_max ({low}-{high})")
        return self


# --- volume and progression (V) -------------------------------------------------------------
class V1Params(RuleParams):
    """Weekly training minutes exceed the larger of the two previous weeks by at most this share."""

    max_increase_pct: Pct = 10


class V2Params(RuleParams):
    """Acute:chronic ratio cap (Gabbett 2016), checked from the fifth week."""

    max_ratio: Annotated[float, Field(gt=0, le=10)] = 1.3
    #: The chronic window: the mean of this many weeks before; checked from the week after them.
    chronic_weeks: Annotated[int, Field(ge=1, le=12)] = 4


class V3Params(RuleParams):
    """At most this many loading weeks in a row, then a deload week at 60-80 % of the week before."""

    max_loading_weeks: Annotated[int, Field(ge=1, le=20)] = 3
    deload_min_pct: Share = 60
    deload_max_pct: Share = 80

    @model_validator(mode="after")
    def _ordered(self) -> V3Params:
        if self.deload_min_pct > self.deload_max_pct:
            raise ValueError(f"deload_min_pct {self.deload_min_pct:g} is above deload_max_pct {self.deload_max_pct:g}")
        return self


class V4Params(RuleParams):
    """The long run's share of the week's training minutes, by running days, and its cap."""

    share_pct_3_or_fewer: Share = 50
    share_pct_4: Share = 40
    share_pct_5_or_more: Share = 30
    max_minutes: RunCap = 180

    def share_pct(self, running_days: int) -> float:
        """The long run's most share of the week, in %, with this many running days."""
        if running_days <= 3:
            return self.share_pct_3_or_fewer
        return self.share_pct_4 if running_days == 4 else self.share_pct_5_or_more


class V5Params(RuleParams):
    """The long run grows by at most this many minutes over its reference."""

    max_increase_minutes: Min = 15


class V6Params(RuleParams):
    """quality+tempo minutes at most this share of the week's training minutes (80/20)."""

    max_share_pct: Share = 25


class V7Params(RuleParams):
    """Taper before an A race (days by distance); race week at 40-60 % of the reference week;
    B races: no hard day in the days before; the mini taper of a B race (a window, RULES.md).
    ``b_race_easy_days`` holds before A races too (README, V7 readings), under its RULES.md
    name so that athlete files overriding it keep working."""

    taper_days_5k: Annotated[int, Field(ge=0, le=60)] = 7
    taper_days_10k: Annotated[int, Field(ge=0, le=60)] = 10
    taper_days_half: Annotated[int, Field(ge=0, le=60)] = 14
    taper_days_marathon: Annotated[int, Field(ge=0, le=60)] = 21
    race_week_min_pct: Share = 40
    race_week_max_pct: Share = 60
    b_race_easy_days: Annotated[int, Field(ge=0, le=14)] = 2
    mini_taper_days: Annotated[int, Field(ge=0, le=14)] = 4

    @model_validator(mode="after")
    def _ordered(self) -> V7Params:
        if self.race_week_min_pct > self.race_week_max_pct:
            raise ValueError(f"race_week_min_pct {self.race_week_min_pct:g} is above race_week_max_pct {self.race_week_max_pct:g}")
        return self

    def taper_days(self, distance: str) -> int:
        return int(getattr(self, f"taper_days_{distance}"))


class V8Params(RuleParams):
    """Recovery after races: days per mile raced (A), half that (B), fixed days (C)."""

    days_per_mile: Annotated[float, Field(ge=0, le=5)] = 1.0
    b_race_share: Annotated[float, Field(ge=0, le=1)] = 0.5
    c_race_days: Annotated[int, Field(ge=0, le=30)] = 2
    no_strength_days: Annotated[int, Field(ge=0, le=30)] = 3
    week_cap_pct: Pct = 70


class S3Params(RuleParams):
    """In-season: within this many weeks of an A or B race."""

    in_season_weeks: Annotated[int, Field(ge=0, le=52)] = 8


#: S2's numbers as RULES.md writes them (no override column): week 2's load step on the main
#: lifts, in %, and week 4's cut of a session's sets, as a share, each (least, most). The
#: prescription picks within them (``strength/cycle.py``); the validator accepts all of them
#: (``validate/strength.py``). Each side had written its own copy.
S2_LOAD_STEP_PCT: tuple[float, float] = (2.5, 5.0)
S2_DELOAD_CUT: tuple[float, float] = (0.30, 0.40)


class EmptyParams(RuleParams):
    """A rule with no numbers of its own (its numbers come from the athlete file)."""


# --- soft objectives (O) --------------------------------------------------------------------
class SoftParams(RuleParams):
    weight: Annotated[int, Field(ge=0, le=10_000)] = 1
    enabled: bool = True

    @property
    def active_weight(self) -> int:
        return self.weight if self.enabled else 0


class O1Params(SoftParams):
    """Phase curve: percent of ``peak_weekly_minutes`` each phase aims at. Build weeks ramp from
    ``base_pct`` to ``peak_pct``; a deload week aims at ``deload_pct`` of its phase's target."""

    weight: Annotated[int, Field(ge=0, le=10_000)] = 1
    base_pct: Pct = 70
    peak_pct: Pct = 100
    taper_pct: Pct = 70
    race_pct: Pct = 50
    b_race_pct: Pct = 80
    recovery_pct: Pct = 60
    deload_pct: Share = 70


class O2Params(SoftParams):
    weight: Annotated[int, Field(ge=0, le=10_000)] = 2


class O3Params(SoftParams):
    weight: Annotated[int, Field(ge=0, le=10_000)] = 10


class O4Params(SoftParams):
    """Preferences, per day off preference; a group session (batch rosters) missed in a week
    costs ``group_weight``, so joining the group comes before personal preferences."""

    weight: Annotated[int, Field(ge=0, le=10_000)] = 3
    group_weight: Annotated[int, Field(ge=0, le=10_000)] = 20


class O5Params(SoftParams):
    weight: Annotated[int, Field(ge=0, le=10_000)] = 5


class O6Params(SoftParams):
    """Missing strength sessions; ``busy_week_weight`` is paid by each week outside an
    availability exception that takes its sessions from the busy-week pair (full + short, S4;
    or a lone full or short where a week outside normal weeks holds one of two) instead of A + B,
    so that A + B stays the default."""

    weight: Annotated[int, Field(ge=0, le=10_000)] = 20
    busy_week_weight: Annotated[int, Field(ge=0, le=10_000)] = 5


class O7Params(SoftParams):
    weight: Annotated[int, Field(ge=0, le=10_000)] = 30


class Rules(BaseModel):
    """Every rule's resolved numbers for one athlete. Field names are the RULES.md codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    P1: EmptyParams = EmptyParams()
    P2: EmptyParams = EmptyParams()
    P3: EmptyParams = EmptyParams()
    P4: P4Params = P4Params()
    P5: P5Params = P5Params()
    P6: P6Params = P6Params()
    P7: EmptyParams = EmptyParams()
    P8: EmptyParams = EmptyParams()
    P9: EmptyParams = EmptyParams()
    P10: EmptyParams = EmptyParams()
    P11: P11Params = P11Params()
    P12: EmptyParams = EmptyParams()
    P13: P13Params = P13Params()
    P14: P14Params = P14Params()
    V1: V1Params = V1Params()
    V2: V2Params = V2Params()
    V3: V3Params = V3Params()
    V4: V4Params = V4Params()
    V5: V5Params = V5Params()
    V6: V6Params = V6Params()
    V7: V7Params = V7Params()
    V8: V8Params = V8Params()
    V9: EmptyParams = EmptyParams()
    S1: EmptyParams = EmptyParams()
    S2: EmptyParams = EmptyParams()
    S3: S3Params = S3Params()
    S4: EmptyParams = EmptyParams()
    S5: EmptyParams = EmptyParams()
    S6: EmptyParams = EmptyParams()
    O1: O1Params = O1Params()
    O2: O2Params = O2Params()
    O3: O3Params = O3Params()
    O4: O4Params = O4Params()
    O5: O5Params = O5Params()
    O6: O6Params = O6Params()
    O7: O7Params = O7Params()

    @model_validator(mode="after")
    def _long_run_fits_its_cap(self) -> Rules:
        """V4's cap in minutes at least P14's shortest long run. Below it no long run exists,
        and P3 asks one in every normal week: ``V4: {max_minutes: 60}`` with ``P14: {long_min:
        75}`` was accepted and then found infeasible by the solver (a rules-override fuzz)."""
        if self.V4.max_minutes < self.P14.long_min:
            raise CalendarError([(("V4", "max_minutes"), (
                f"{self.V4.max_minutes} is below P14.long_min {self.P14.long_min}, the shortest long run, "
                "so no week could hold the long run P3 asks of a normal week"))])
        return self


#: Hard-rule codes in RULES.md order: what the solver posts and the validator checks.
HARD_RULE_CODES: tuple[str, ...] = tuple(f"P{i}" for i in range(1, 15)) + tuple(f"V{i}" for i in range(1, 10))
#: What each soft rule's points are for, in RULES.md's words and units: a bare "O6 60" told a
#: runner nothing (fact-check of explain).
SOFT_RULE_MEANINGS: dict[str, str] = {
    "O1": "minutes off the phase curve", "O2": "minutes over the time budget",
    "O3": "strength the day before quality", "O4": "days off preference and group sessions missed", "O5": "days changed from the previous plan",
    "O6": "strength sessions missing", "O7": "weeks without a long run",
}


def number_step(code: str, param: str) -> int:
    """The steps a rule number moves in: ``MINUTE_STEP`` for a run length or cap, else 1."""
    params = Rules.model_fields[code].annotation
    field = params.model_fields.get(param) if isinstance(params, type) and issubclass(params, BaseModel) else None
    extra = field.json_schema_extra if field is not None else None
    step = extra.get("multipleOf") if isinstance(extra, dict) else None
    return step if isinstance(step, int) else 1


def exact(value: float | int) -> Fraction:
    """A rule number as the exact decimal it is written as (1.3 is 13/10, not the nearest
    binary float), so that solver and validator compare the very same integers."""
    return Fraction(str(value))


def level_defaults(athlete: Athlete) -> dict[str, dict[str, Any]]:
    """RULES.md defaults that depend on who the athlete is (beginner, masters)."""
    defaults: dict[str, dict[str, Any]] = {}
    if athlete.level == Level.beginner:
        defaults["P4"] = {"min_sessions": 0, "max_sessions": 1}
        defaults["P5"] = {"min_rest_days": 2}
        defaults["P14"] = {"long_min": 45}
    if athlete.level == Level.beginner or athlete.is_masters:
        defaults["V3"] = {"max_loading_weeks": 2}
    return defaults


def days_past_a_week(athlete: Athlete, rules: Rules) -> list[tuple[tuple[str | int, ...], str]]:
    """``runs_per_week.min`` running days and P5's rest days that do not fit in seven: every
    normal week would break one of P5 and P6, and the solver said so after seconds of search
    (exit 3), where the numbers alone contradict each other (exit 2, as P4's minimum above
    its maximum is). A beginner's 2 rest days are a level default, and the message says so."""
    rest = rules.P5.min_rest_days
    runs = athlete.runs_per_week.min
    if runs + rest <= 7:
        return []
    default = "P5" not in athlete.rules or "min_rest_days" not in athlete.rules["P5"]
    whose = f", this athlete's default as a {athlete.level.value}" if default and "P5" in level_defaults(athlete) else ""
    return [(("runs_per_week", "min"), f"{runs} running days a week leave {7 - runs} rest day{'s' if 7 - runs != 1 else ''}, "
             f"and P5 asks at least {rest} (rules.P5.min_rest_days{whose}); at most {7 - rest} running days fit")]


def resolve_rules(athlete: Athlete) -> Rules:
    """RULES.md defaults, then level defaults, then the athlete's ``rules:`` overrides.

    Raises pydantic ``ValidationError`` with locations relative to ``rules`` for unknown codes,
    unknown parameter names and out-of-range numbers; the loader prefixes ``rules.``.
    """
    merged: dict[str, dict[str, Any]] = {code: dict(values) for code, values in level_defaults(athlete).items()}
    for code, values in athlete.rules.items():
        merged.setdefault(code, {}).update(values)
    return Rules.model_validate(merged)
