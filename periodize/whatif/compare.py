"""What a scenario's plan means for the athlete, measured the same way for every scenario, and
how it differs from the baseline: the numbers behind the side-by-side table and the verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from periodize.models.athlete import Priority
from periodize.models.plan import QUALITY_RUN_TYPES, Day, Plan
from periodize.season import Skeleton

BUILD_PHASES = ("build", "peak")


@dataclass(frozen=True)
class RaceOutlook:
    """How prepared the plan leaves the athlete for one A race."""

    race: str
    date: date
    peak_minutes: int
    build_weeks: int
    taper_days: int


@dataclass
class ScenarioResult:
    name: str
    status: str
    feasible: bool
    objective: int | None = None
    objective_terms: dict[str, int] = field(default_factory=dict)
    races: list[RaceOutlook] = field(default_factory=list)
    #: Counts over the scenario's plan; None where there is no plan (infeasible or
    #: unknown), so a table shows "-" and JSON null rather than a misleading 0.
    quality_sessions: int | None = None
    strength_sessions: int | None = None
    total_minutes: int | None = None
    #: Days that differ from the baseline plan; None where either has no plan.
    days_changed: int | None = None
    #: The days that differ, ``{"date", "baseline", "scenario"}`` in the table's compact notation.
    changed_days: list[dict[str, str]] = field(default_factory=list)
    #: Rule windows (taper V7, mini taper, recovery V8, pre-race P11) the scenario adds or removes.
    windows: list[dict[str, str]] = field(default_factory=list)
    verdict: str = ""
    explanation: list[str] = field(default_factory=list)

    @property
    def planning_objective(self) -> int:
        """The objective without O5: what the plan costs, not how far it moved."""
        return (self.objective or 0) - self.objective_terms.get("O5", 0)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["races"] = [{**asdict(r), "date": r.date.isoformat()} for r in self.races]
        return data


def race_outlooks(skeleton: Skeleton, plan: Plan) -> list[RaceOutlook]:
    """For each A race: the most training minutes of a week before race week, the build and
    peak weeks since the previous A race, and the taper days the season leaves."""
    outlooks = []
    previous_week = -1
    for race in sorted(skeleton.races_with(Priority.A), key=lambda r: r.day):
        weeks = range(previous_week + 1, min(race.week, len(plan.weeks)))
        peak = max((plan.weeks[w].training_minutes for w in weeks), default=0)
        build = sum(1 for w in weeks if plan.weeks[w].phase in BUILD_PHASES)
        taper = len(skeleton.taper(race).days())
        outlooks.append(RaceOutlook(race.name, race.date, peak, build, taper))
        previous_week = race.week
    return outlooks


def day_signature(day: Day) -> tuple[str, int, str | None]:
    """What a runner would notice on a day: run type, run minutes, strength session."""
    return (str(day.run.type), day.run.minutes, str(day.strength.session) if day.strength else None)


def compact(signature: tuple[str, int, str | None] | None) -> str:
    """``easy 40 + A`` style; ``-`` for a day the plan does not cover."""
    if signature is None:
        return "-"
    run_type, minutes, strength = signature
    text = f"{run_type} {minutes}" if minutes else run_type
    return f"{text} + {strength}" if strength else text


def changed_days(plan: Plan, baseline: Plan) -> list[dict[str, str]]:
    """Days whose run or strength differs from the baseline, matched by date (a day only one
    of the two plans covers counts as changed), in date order."""
    mine = {day.date: day_signature(day) for day in plan.days()}
    theirs = {day.date: day_signature(day) for day in baseline.days()}
    return [
        {"date": when.isoformat(), "baseline": compact(theirs.get(when)), "scenario": compact(mine.get(when))}
        for when in sorted(mine.keys() | theirs.keys()) if mine.get(when) != theirs.get(when)
    ]


def rule_windows(skeleton: Skeleton) -> set[tuple[str, str, str, str, str]]:
    """Every window the calendar creates: (rule, kind, race, first date, last date)."""
    found = set()
    for race in skeleton.races:
        for rule, kind, window in (("V7", "taper", skeleton.taper(race)), ("V7", "mini taper", skeleton.mini_taper(race)),
                                   ("V8", "recovery", skeleton.recovery(race)), ("P11", "pre-race", skeleton.pre_race(race))):
            if not window.empty:
                found.add((rule, kind, race.name, skeleton.date_of(window.first).isoformat(),
                           skeleton.date_of(window.last).isoformat()))
    return found


def window_changes(skeleton: Skeleton, baseline: Skeleton) -> list[dict[str, str]]:
    """Windows the scenario adds or removes compared with the baseline calendar."""
    mine, theirs = rule_windows(skeleton), rule_windows(baseline)
    changes = [("added", window) for window in mine - theirs] + [("removed", window) for window in theirs - mine]
    return [
        {"change": change, "rule": rule, "window": kind, "race": race, "from": first, "to": last}
        # By date, then by everything else: a total order, so output never depends on set order
        # (which follows Python's per-process string hashing).
        for change, (rule, kind, race, first, last) in sorted(changes, key=lambda item: (item[1][3], item[0], item[1]))
    ]


def measure(name: str, skeleton: Skeleton, plan: Plan) -> ScenarioResult:
    feasible = plan.status in ("optimal", "feasible")
    result = ScenarioResult(name=name, status=plan.status, feasible=feasible)
    if not feasible:
        return result
    days = plan.days()
    result.objective = plan.objective
    result.objective_terms = dict(plan.objective_terms)
    result.races = race_outlooks(skeleton, plan)
    result.quality_sessions = sum(1 for day in days if day.run.type in QUALITY_RUN_TYPES)
    result.strength_sessions = sum(1 for day in days if day.strength is not None)
    result.total_minutes = sum(day.run.minutes for day in days)
    return result


def _amount(value: int, unit: str) -> str:
    return f"{value} {unit}{'' if value == 1 else 's'}"


def verdict(result: ScenarioResult, baseline: ScenarioResult) -> str:
    """One line a runner can act on: what the scenario costs or buys for each A race."""
    if result.status == "unknown":
        return "no plan found within the time limit; try a longer --time-limit"
    if not result.feasible:
        # Every rule of the conflict, not the first alone: the rule a scenario changed may be
        # any of them (a scenario allowing 7 runs a week conflicts through P5 and P6).
        return f"not feasible ({result.status}): " + ("; ".join(result.explanation) or "no plan keeps the hard rules")
    if result is baseline:
        return "baseline"
    if not baseline.feasible:
        return "feasible, where the baseline is not"
    before = {outlook.race: outlook for outlook in baseline.races}
    parts = []
    for outlook in result.races:
        old = before.get(outlook.race)
        if old is None:
            parts.append(f"new A race {outlook.race}: {_amount(outlook.build_weeks, 'build week')}, peak {outlook.peak_minutes} min")
            continue
        build, peak = outlook.build_weeks - old.build_weeks, outlook.peak_minutes - old.peak_minutes
        if build == 0 and peak == 0:
            parts.append(f"the same build weeks and peak for {outlook.race}")  # days may still differ
            continue
        costs: list[str] = []
        gains: list[str] = []
        for change, text in ((build, _amount(abs(build), "build week")), (peak, f"{abs(peak)} peak minutes")):
            if change:
                (gains if change > 0 else costs).append(text)
        words = []
        if costs:
            words.append("costs " + " and ".join(costs))
        if gains:
            words.append("gains " + " and ".join(gains))
        parts.append(f"{' but '.join(words)} for {outlook.race}")
    dropped = [name for name in before if name not in {o.race for o in result.races}]
    parts += [f"no A race {name}" for name in dropped]
    delta = result.planning_objective - baseline.planning_objective
    notes = []
    if result.objective_terms.get("O5") or baseline.objective_terms.get("O5"):
        notes.append("O5, the cost of moving from the baseline, left out")  # the objective row holds it
    if result.status != "optimal" or baseline.status != "optimal":
        notes.append("not both proven optimal: a longer --time-limit may change it")
    parts.append(f"objective {delta:+d}" + (f" ({'; '.join(notes)})" if notes else ""))
    return "; ".join(parts)
