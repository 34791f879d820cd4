"""What a scenario's plan means for the athlete, measured the same way for every scenario, and
how it differs from the baseline: the numbers behind the side-by-side table and the verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from periodize.calendar_notes import race_clashes
from periodize.models.athlete import Priority
from periodize.models.plan import QUALITY_RUN_TYPES, Day, Plan, RunType
from periodize.search_hint import gap_share, search_on
from periodize.season import Skeleton

BUILD_PHASES = ("build", "peak")
#: The verdict names the weeks whose training minutes moved most, at most this many, and only
#: moves of at least this many minutes (a few minutes' shuffle between weeks is no news).
WEEK_CHANGES_SHOWN = 2
WEEK_CHANGE_MINUTES = 30


@dataclass(frozen=True)
class RaceOutlook:
    """How prepared the plan leaves the athlete for one A race."""

    race: str
    date: date
    peak_minutes: int
    #: Build and peak weeks together: the build-up since the previous A race.
    build_weeks: int
    taper_days: int
    #: The longest long run of that build-up (0 without one): what a marathoner asks first.
    longest_long_run: int

    def figure(self, attribute: str) -> int | None:
        """One of the outlook's figures, None where it belongs to a build-up the race has none
        of (``BUILD_UP_FIGURES``): the table shows "-", and the verdict says no change of it."""
        if attribute in BUILD_UP_FIGURES and not self.build_weeks:
            return None
        value: int = getattr(self, attribute)
        return value


#: A build-up's figures, none where the race has no build-up weeks: an A race added two weeks
#: into a season had read "peak min 0" and "longest long run 0", as if planned so; and a race a
#: week after another A race "gains 50 peak minutes (50)", the one week between them.
BUILD_UP_FIGURES = frozenset({"peak_minutes", "longest_long_run"})


@dataclass
class ScenarioResult:
    name: str
    status: str
    feasible: bool
    objective: int | None = None
    objective_terms: dict[str, int] = field(default_factory=dict)
    #: The proven lower bound: an unproven plan's objective may be as low as this.
    bound: int | None = None
    #: The plan's weeks: a moved or dropped race changes the season's length.
    weeks: int | None = None
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
    #: Weeks whose training minutes differ from the baseline's, ``{"week", "baseline",
    #: "scenario"}`` by Monday (a week only one plan holds has None on the other side).
    week_changes: list[dict[str, Any]] = field(default_factory=list)
    #: Races the scenario places where a coach would look twice (``calendar_notes``), beyond
    #: those the baseline already has, after the baseline's list entries a scenario file's
    #: lists leave out (``Scenario.replaced_entries``).
    calendar_notes: list[str] = field(default_factory=list)
    verdict: str = ""
    explanation: list[str] = field(default_factory=list)
    #: Where there is no plan: the smallest changes that make the scenario solvable, each
    #: checked by solving again (``periodize explain``'s, ``{"change", "patch"}``), and why
    #: none is offered where none is. The conflict alone had said why, not what would do.
    fixes: list[dict[str, Any]] = field(default_factory=list)
    no_fix: str | None = None

    @property
    def planning_objective(self) -> int:
        """The objective without O5: what the plan costs, not how far it moved."""
        return (self.objective or 0) - self.objective_terms.get("O5", 0)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        # A build-up's figures as the table shows them: null where the race has none.
        data["races"] = [{**asdict(r), "date": r.date.isoformat(),
                          **{attribute: r.figure(attribute) for attribute in sorted(BUILD_UP_FIGURES)}}
                         for r in self.races]
        return data


def race_outlooks(skeleton: Skeleton, plan: Plan) -> list[RaceOutlook]:
    """For each A race: the most training minutes of a week before race week, the build and
    peak weeks since the previous A race, the taper days the season leaves and the longest
    long run of those weeks."""
    outlooks = []
    previous_week = -1
    for race in sorted(skeleton.races_with(Priority.A), key=lambda r: r.day):
        weeks = range(previous_week + 1, min(race.week, len(plan.weeks)))
        peak = max((plan.weeks[w].training_minutes for w in weeks), default=0)
        build = sum(1 for w in weeks if plan.weeks[w].phase in BUILD_PHASES)
        taper = len(skeleton.taper(race).days())
        longest = max((day.run.minutes for w in weeks for day in plan.weeks[w].days if day.run.type == RunType.long),
                      default=0)
        outlooks.append(RaceOutlook(race.name, race.date, peak, build, taper, longest))
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


def week_changes(plan: Plan, baseline: Plan) -> list[dict[str, Any]]:
    """Weeks whose training minutes differ from the baseline plan's, by Monday, in date order
    (a week only one plan holds has None on the other side), as ``changed_days`` for days."""
    mine = {week.start.isoformat(): week.training_minutes for week in plan.weeks}
    theirs = {week.start.isoformat(): week.training_minutes for week in baseline.weeks}
    return [{"week": monday, "baseline": theirs.get(monday), "scenario": mine.get(monday)}
            for monday in sorted(mine.keys() | theirs.keys()) if mine.get(monday) != theirs.get(monday)]


def new_calendar_notes(skeleton: Skeleton, baseline: Skeleton) -> list[str]:
    """The scenario's race clashes (``calendar_notes.race_clashes``) the baseline does not have."""
    known = set(race_clashes(baseline))
    return [note for note in race_clashes(skeleton) if note not in known]


def measure(name: str, skeleton: Skeleton, plan: Plan) -> ScenarioResult:
    feasible = plan.status in ("optimal", "feasible")
    result = ScenarioResult(name=name, status=plan.status, feasible=feasible)
    if not feasible:
        return result
    days = plan.days()
    result.objective = plan.objective
    result.objective_terms = dict(plan.objective_terms)
    result.bound = plan.bound
    result.weeks = len(plan.weeks)
    result.races = race_outlooks(skeleton, plan)
    result.quality_sessions = sum(1 for day in days if day.run.type in QUALITY_RUN_TYPES)
    result.strength_sessions = sum(1 for day in days if day.strength is not None)
    result.total_minutes = sum(day.run.minutes for day in days)
    return result


def _amount(value: int, unit: str) -> str:
    return f"{value} {unit}{'' if value == 1 else 's'}"


def verdict(result: ScenarioResult, baseline: ScenarioResult, relative_gap: float = 0.0) -> str:
    """One line a runner can act on: what the scenario costs or buys for each A race, the
    weeks it moves most, what it does to the season's sessions and length, and the objective
    with what it leaves out."""
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
    parts = _race_parts(result, baseline) + _week_parts(result) + _season_parts(result, baseline)
    parts.append(_objective_part(result, baseline, relative_gap))
    return "; ".join(parts)


def _race_parts(result: ScenarioResult, baseline: ScenarioResult) -> list[str]:
    """Per A race: the build-up weeks, peak and longest long run it costs or gains. "The same
    build weeks and peak" had been said of a build whose last peak week fell from 450 to 180
    minutes, its long run gone: the peak is the highest week, which an earlier one still set."""
    before = {outlook.race: outlook for outlook in baseline.races}
    parts: list[str] = []
    unbuilt: list[str] = []  # A races with no build-up weeks, in either plan
    for outlook in result.races:
        old = before.get(outlook.race)
        # No build-up weeks first: an A race the week after another has no weeks of its own
        # (the outlook's weeks end at the previous A race), and "no training in the weeks before
        # its race week" had been said of it, though those weeks trained for the other race.
        if old is None and not outlook.build_weeks:
            parts.append(f"new A race {outlook.race}: no build-up weeks before it")
            continue
        if old is None and not outlook.peak_minutes:  # "peak 0 min, longest long run 0 min" read as a plan
            parts.append(f"new A race {outlook.race}: no training in the weeks before its race week (all rest)")
            continue
        if old is None:
            parts.append(f"new A race {outlook.race}: {_amount(outlook.build_weeks, 'build-up week')}, "
                         f"peak {outlook.peak_minutes} min, longest long run {outlook.longest_long_run} min")
            continue
        if not old.build_weeks and not outlook.build_weeks:
            unbuilt.append(outlook.race)
            continue
        changes = [(outlook.build_weeks - old.build_weeks, "build-up week", "")]
        # A build-up that starts or ends is said by its weeks alone: the weeks before the race
        # train either way, labelled base rather than build ("costs 340 peak minutes" had been
        # said where the weeks before still peaked at 320).
        now, was = outlook.figure("peak_minutes"), old.figure("peak_minutes")
        if now is not None and was is not None:
            changes.append((now - was, "peak minute", f" ({now})"))
        costs = [_amount(-change, unit) + after for change, unit, after in changes if change < 0]
        gains = [_amount(change, unit) + after for change, unit, after in changes if change > 0]
        longest = _longest_long_run(outlook, old)
        if not costs and not gains:
            parts.append(f"the same build-up weeks, peak and longest long run for {outlook.race}" if not longest else
                         f"the same build-up weeks and peak for {outlook.race}, {longest}")  # days may differ
            continue
        words = (["costs " + " and ".join(costs)] if costs else []) + (["gains " + " and ".join(gains)] if gains else [])
        cut = _cut_by(outlook, result.races, before) if outlook.build_weeks < old.build_weeks else ""
        parts.append(f"{' but '.join(words)} for {outlook.race}{cut}" + (f", {longest}" if longest else ""))
    if unbuilt:
        parts.append(f"no build-up weeks for {_names(unbuilt)}, as before")
    dropped = [name for name in before if name not in {o.race for o in result.races}]
    if dropped and not result.races:  # "no A race City Marathon" beside "objective -402" read as a gain
        return parts + [f"no A race left ({', '.join(dropped)} no longer one): the season builds toward no goal race"]
    return parts + [f"no A race {name}" for name in dropped]


def _cut_by(outlook: RaceOutlook, races: list[RaceOutlook], before: dict[str, RaceOutlook]) -> str:
    """`` (Track 5k, a new A race on 2027-04-22, falls in its build-up: ...)`` where a new A race
    falls inside ``outlook``'s old build-up, which is what takes its weeks: a build-up runs from
    the previous A race, and "costs 9 build-up weeks for City Marathon" had been said of an A 5k
    added three days before it, whose weeks trained as before."""
    earlier = [o.date for o in before.values() if o.date < outlook.date]
    start = max(earlier, default=None)
    new = [o for o in races if o.race not in before and o.date < outlook.date and (start is None or o.date > start)]
    if not new:
        return ""
    last = max(new, key=lambda o: o.date)
    return (f" ({last.race}, a new A race on {last.date}, falls in its build-up: the weeks before it count as "
            f"{last.race}'s build-up now)")


def _longest_long_run(outlook: RaceOutlook, old: RaceOutlook) -> str:
    """``longest long run 180 -> 145 min (...)`` where the build-up's longest long run moved, else
    empty. Said as a change, not a cost or a gain: no rule prices a long run's length (O1
    prices the week's minutes), so plans of equal cost differ in it, and "costs 35 minutes of
    longest long run" had led the verdict of a race moved a week, both plans optimal at 774."""
    now, was = outlook.figure("longest_long_run"), old.figure("longest_long_run")
    if now is None or was is None or now == was:
        return ""
    return f"longest long run {was} -> {now} min (no rule prices its length: plans of equal cost may differ in it)"


def _names(names: list[str]) -> str:
    """``H``, ``H and T``, ``H, T and F``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _week_parts(result: ScenarioResult) -> list[str]:
    """The weeks whose training minutes moved most (both plans holding the week), in date order."""
    moved = [change for change in result.week_changes if change["baseline"] is not None and change["scenario"] is not None
             and abs(change["scenario"] - change["baseline"]) >= WEEK_CHANGE_MINUTES]
    largest = sorted(moved, key=lambda c: -abs(c["scenario"] - c["baseline"]))[:WEEK_CHANGES_SHOWN]
    if not largest:
        return []
    shown = ", ".join(f"{c['baseline']} -> {c['scenario']} min in the week of {c['week']}"
                      for c in sorted(largest, key=lambda c: c["week"]))
    return [f"training {shown}"]


def _season_parts(result: ScenarioResult, baseline: ScenarioResult) -> list[str]:
    """Quality and strength sessions and the season's weeks, where the scenario changes them."""
    parts = []
    for label, mine, theirs in (("quality/tempo sessions", result.quality_sessions, baseline.quality_sessions),
                                ("strength sessions", result.strength_sessions, baseline.strength_sessions),
                                ("weeks", result.weeks, baseline.weeks)):
        if mine is not None and theirs is not None and mine != theirs:
            parts.append(f"{label} {theirs} -> {mine}")
    return parts


def _objective_part(result: ScenarioResult, baseline: ScenarioResult, relative_gap: float) -> str:
    """The objective's change, with what it leaves out. Across race calendars it is no cost of
    the change alone (adding a B race read "objective -43": race and recovery weeks aim lower,
    and a race week excuses its missing long run), and an unproven plan's bound gives the
    range the difference lies in."""
    delta = result.planning_objective - baseline.planning_objective
    notes = []
    stable = bool(result.objective_terms.get("O5") or baseline.objective_terms.get("O5"))
    if stable:
        notes.append("O5, the cost of moving from the baseline, left out")  # the objective row holds it
    if result.windows:
        notes.append("a different race calendar, whose phase targets and race weeks differ: not the change's cost alone")
    elif result.weeks != baseline.weeks:  # the season's dates moved, its races did not (season.start or end)
        notes.append("a season of other weeks, whose phase targets differ: not the change's cost alone")
    if result.status != "optimal" or baseline.status != "optimal":
        bounds = (result.bound, baseline.bound, result.objective, baseline.objective)
        hint = search_on(relative_gap, *(gap_share(plan.objective, plan.bound)
                                         for plan in (result, baseline) if plan.status != "optimal"))
        if stable or any(value is None for value in bounds):
            notes.append(f"not both proven optimal: {hint} may change it")
        else:
            low = (result.bound or 0) - (baseline.objective or 0)
            high = (result.objective or 0) - (baseline.bound or 0)
            notes.append(f"not both proven optimal: the optima differ by {low:+d} to {high:+d}, and the figures "
                         f"before may change with {hint}")
    return f"objective {delta:+d}" + (f" ({'; '.join(notes)})" if notes else "")
