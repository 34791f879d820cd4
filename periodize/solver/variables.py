"""The decision variables of the season model, created once and named after what they mean.

Durations are in 5-minute units (``UNIT``): session lengths in RULES.md are multiples of five,
and a coarser grid makes the search space 5x smaller per day without losing a plan a runner
would distinguish. Run minutes are split by kind (easy/recovery, quality/tempo, long) so that
weekly sums of each kind are linear, which keeps the LP relaxation, and so the proof, tight.

Race days carry no run variables: P1 fixes them to ``race``, and their minutes are not training
minutes. Only strength kinds the athlete's ``sessions_per_week`` can use get variables.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.models.plan import Day, RunType, SessionKind
from periodize.models.rules import MINUTE_STEP
from periodize.season import Skeleton
from periodize.solver.cpsat import IntExpr

UNIT = MINUTE_STEP
#: Which minute variable of a day holds each run type's minutes.
MINUTE_KINDS: dict[RunType, str] = {RunType.easy: "easy", RunType.recovery: "easy", RunType.quality: "quality",
                                    RunType.tempo: "quality", RunType.long: "long"}
TRAINING_RUN_TYPES: tuple[RunType, ...] = (
    RunType.rest, RunType.easy, RunType.recovery, RunType.quality, RunType.tempo, RunType.long,
)


def units_floor(minutes: float) -> int:
    """Most whole units inside ``minutes`` (an upper bound stays an upper bound)."""
    return math.floor(minutes / UNIT)


def units_ceil(minutes: float) -> int:
    """Fewest whole units covering ``minutes`` (a lower bound stays a lower bound)."""
    return math.ceil(minutes / UNIT)


#: The widest a day's run can be, a whole day. The explanation model bounds its run minutes by
#: this alone, so that every rule's number (P14's lengths, V4's cap) is a guarded constraint
#: a conflict can name; the solver's model bounds them by those numbers, which presolve and
#: the LP read well.
DAY_UNITS = units_floor(24 * 60)


@dataclass(frozen=True)
class RunCaps:
    """The most units a day's run of each kind can hold: the bounds of its minute variables."""

    easy: int
    quality: int
    long: int

    @property
    def day(self) -> int:
        """The longest run of any kind."""
        return max(self.easy, self.quality, self.long)


def run_caps(skeleton: Skeleton, *, rule_free: bool = False) -> RunCaps:
    """P14's session lengths and V4's long-run cap, or the day alone (``DAY_UNITS``) for the
    conflict search's model, where those numbers are the rules' own guarded constraints."""
    if rule_free:
        return RunCaps(DAY_UNITS, DAY_UNITS, DAY_UNITS)
    p14 = skeleton.rules.P14
    return RunCaps(easy=units_floor(max(p14.easy_max, p14.recovery_max)),
                   quality=units_floor(max(p14.quality_max, p14.tempo_max)),
                   long=units_floor(skeleton.rules.V4.max_minutes))


def strength_kinds(sessions_per_week: int) -> tuple[SessionKind, ...]:
    """P10/S4: two sessions use A + B (or full + short in a busy week); one session is full."""
    if sessions_per_week == 2:
        return (SessionKind.A, SessionKind.B, SessionKind.full, SessionKind.short)
    if sessions_per_week == 1:
        return (SessionKind.full,)
    return ()


@dataclass
class SeasonVariables:
    """``run[d][t]``: day d's run is type t (absent on race days). ``easy_minutes``,
    ``quality_minutes``, ``long_minutes``: units of each kind on day d (0 unless that kind).
    ``strength[d][k]``: session k on day d. ``training[w]``: week w's training units;
    ``long_run[w]``: its long run's units (0 without one)."""

    run: list[dict[RunType, cp_model.IntVar]]
    easy_minutes: list[cp_model.IntVar | int]
    quality_minutes: list[cp_model.IntVar | int]
    long_minutes: list[cp_model.IntVar | int]
    strength: list[dict[SessionKind, cp_model.IntVar]]
    training: list[cp_model.IntVar]
    long_run: list[cp_model.IntVar]
    has_long: list[cp_model.IntVar]
    deload: dict[int, cp_model.IntVar]
    busy: dict[int, cp_model.IntVar]
    #: The upper bound of every ``long_run[w]`` (units).
    long_run_cap: int

    # ---- expressions the rules share --------------------------------------------------------
    def hard_literals(self, day: int) -> list[cp_model.IntVar]:
        return [self.run[day][t] for t in (RunType.quality, RunType.tempo, RunType.long) if t in self.run[day]]

    def long_literals(self, day: int) -> list[cp_model.IntVar]:
        return [self.run[day][RunType.long]] if RunType.long in self.run[day] else []

    def quality_literals(self, day: int) -> list[cp_model.IntVar]:
        return [self.run[day][t] for t in (RunType.quality, RunType.tempo) if t in self.run[day]]

    def strength_literals(self, day: int, *kinds: SessionKind) -> list[cp_model.IntVar]:
        wanted = kinds or tuple(self.strength[day])
        return [self.strength[day][k] for k in wanted if k in self.strength[day]]

    def run_units(self, day: int) -> IntExpr:
        return self.easy_minutes[day] + self.quality_minutes[day] + self.long_minutes[day]

    def week_quality_units(self, skeleton: Skeleton, week: int) -> IntExpr:
        return sum(self.quality_minutes[d] for d in skeleton.week_days(week))

    def values_of(self, day: int, planned: Day) -> Iterator[tuple[cp_model.IntVar, int]]:
        """A finished plan's day as values of day ``day``'s variables (none on a race day):
        what hints a search with a plan (re-planning, explanations) and what fixes a day to
        its plan. Minutes off the 5-minute grid are rounded down; such a plan is no solution."""
        units = planned.run.minutes // UNIT
        kind = MINUTE_KINDS.get(planned.run.type)
        for run_type, literal in self.run[day].items():
            yield literal, int(run_type == planned.run.type)
        for name, variable in (("easy", self.easy_minutes[day]), ("quality", self.quality_minutes[day]),
                               ("long", self.long_minutes[day])):
            if isinstance(variable, cp_model.IntVar):
                yield variable, units if name == kind else 0
        for session, literal in self.strength[day].items():
            yield literal, int(planned.strength is not None and planned.strength.session == session)


def create_variables(model: cp_model.CpModel, skeleton: Skeleton, *, rule_free: bool = False) -> SeasonVariables:
    """Every variable with bounds from the skeleton; the rules then only add constraints. With
    ``rule_free`` (the conflict search's model) the run minutes are bounded by the day alone
    (``DAY_UNITS``) and a week may hold more than one long run literal: P14's lengths, V4's
    cap and P3's one long run a week are then the rules' own guarded constraints."""
    kinds = strength_kinds(skeleton.athlete.strength.sessions_per_week)
    caps = run_caps(skeleton, rule_free=rule_free)
    run: list[dict[RunType, cp_model.IntVar]] = []
    easy: list[cp_model.IntVar | int] = []
    quality: list[cp_model.IntVar | int] = []
    long: list[cp_model.IntVar | int] = []
    strength: list[dict[SessionKind, cp_model.IntVar]] = []
    for day in range(skeleton.n_days):
        if day in skeleton.race_on_day:
            run.append({})
            easy.append(0)
            quality.append(0)
            long.append(0)
            strength.append({})
            continue
        run.append({t: model.new_bool_var(f"d{day}_{t.value}") for t in TRAINING_RUN_TYPES})
        # Bounds from session lengths only: availability (P12) and the caps of other rules are
        # posted as constraints, so explanations can name them; presolve tightens the domains.
        easy.append(model.new_int_var(0, caps.easy, f"d{day}_easy_units"))
        quality.append(model.new_int_var(0, caps.quality, f"d{day}_quality_units"))
        long.append(model.new_int_var(0, caps.long, f"d{day}_long_units"))
        strength.append({k: model.new_bool_var(f"d{day}_strength_{k.value}") for k in kinds})
    variables = _week_variables(model, skeleton, run, easy, quality, long, strength, caps)
    for week in range(skeleton.n_weeks):
        days = skeleton.week_days(week)
        model.add(variables.training[week] == sum(easy[d] + quality[d] + long[d] for d in days))
        model.add(variables.long_run[week] == sum(long[d] for d in days))
        long_literals = [run[d][RunType.long] for d in days if run[d]]
        if rule_free and long_literals:  # "a long run this week"; P3 posts its "at most one" where a conflict can name it
            model.add_max_equality(variables.has_long[week], long_literals)
        else:  # a Boolean sum: at most one long run a week (P3) is part of what the variable means
            model.add(variables.has_long[week] == sum(long_literals))
    return variables


#: The run types whose day literals the week-level rules read: V7 asks for a quality session
#: in taper weeks, V7 and V8 forbid hard days before and after races.
WEEK_RULE_RUN_TYPES = (RunType.quality, RunType.tempo, RunType.long)


def create_week_variables(model: cp_model.CpModel, skeleton: Skeleton) -> SeasonVariables:
    """The week-level variables alone, for the volume relaxation: week variables as in
    ``create_variables``, but free of the days. Each training day keeps only the hard-run
    literals the week-level rules read, unlinked from the week's minutes; no day minutes, no
    strength. Dropping the link only relaxes; it spares CP-SAT's presolve some 2,000 day
    variables a 26-week season carries."""
    run = [{} if day in skeleton.race_on_day else
           {t: model.new_bool_var(f"d{day}_{t.value}") for t in WEEK_RULE_RUN_TYPES}
           for day in range(skeleton.n_days)]
    zeros: list[cp_model.IntVar | int] = [0] * skeleton.n_days
    return _week_variables(model, skeleton, run, zeros, zeros, zeros, [{} for _ in range(skeleton.n_days)], run_caps(skeleton))


def _week_variables(
    model: cp_model.CpModel, skeleton: Skeleton, run: list[dict[RunType, cp_model.IntVar]],
    easy: list[cp_model.IntVar | int], quality: list[cp_model.IntVar | int], long: list[cp_model.IntVar | int],
    strength: list[dict[SessionKind, cp_model.IntVar]], caps: RunCaps,
) -> SeasonVariables:
    """The week-level variables around given day variables, bounded by the days' ``caps``."""
    kinds = strength_kinds(skeleton.athlete.strength.sessions_per_week)
    training = [model.new_int_var(0, 7 * caps.day, f"w{w}_training_units") for w in range(skeleton.n_weeks)]
    long_run = [model.new_int_var(0, caps.long, f"w{w}_long_units") for w in range(skeleton.n_weeks)]
    has_long = [model.new_bool_var(f"w{w}_has_long") for w in range(skeleton.n_weeks)]
    deload = {w: model.new_bool_var(f"w{w}_deload") for w in range(skeleton.n_weeks) if skeleton.normal_weeks[w]}
    busy = {w: model.new_bool_var(f"w{w}_busy") for w in range(skeleton.n_weeks)} if len(kinds) > 1 else {}
    return SeasonVariables(run, easy, quality, long, strength, training, long_run, has_long, deload, busy, caps.long)
