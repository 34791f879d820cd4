"""Why the plan pays each soft penalty: where it is paid and what in the athlete file or the
calendar makes it so.

Reasons come from the same places the rules read (the skeleton's windows, the availability and
its exceptions, the preferences), so a coach can act on them: "O7 in week 16: recovery after
City Marathon (V8) allows no long run" points at the race, "O3 on 2027-02-08: ..., quality stays
on tue, thu (preferences)" at the preference that forces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from periodize.explain.binding import o1_target, ramp_at_limit
from periodize.explain.sentences import exception_text
from periodize.models.athlete import WEEKDAYS, Priority
from periodize.models.plan import QUALITY_RUN_TYPES, Plan, RunType
from periodize.season import Skeleton
from periodize.validate import PlanView, v2_chronic_mean


@dataclass(frozen=True)
class Penalty:
    """A soft rule paid in some weeks, with the reason in words."""

    code: str
    weeks: tuple[int, ...]  # 1-based
    text: str

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "weeks": list(self.weeks), "text": self.text}


def week_reason(skeleton: Skeleton, week: int, *, c_races: bool = False) -> str:
    """What in the calendar shapes a week: a race, a window, an exception (first found). A C
    race counts only with ``c_races``: it shapes a week's long run (it takes its day, and P13
    and V8 the days around it) but not its volume."""
    for race in skeleton.races:
        if race.week == week and (race.priority != Priority.C or c_races):
            return f"race week of {race.name} ({race.priority} race, {WEEKDAYS[race.date.weekday()]} {race.date})"
    for race in skeleton.races:
        if any(skeleton.week_of_day(day) == week for day in skeleton.recovery(race).days()):
            return f"recovery after {race.name} (V8)"
    for race in skeleton.races_with(Priority.A):
        if week in skeleton.taper_weeks(race):
            return f"taper before {race.name} (V7, P11)"
        if any(skeleton.week_of_day(day) == week for day in skeleton.pre_race(race).days()):
            return f"the {skeleton.rules.P11.light_window_days} days before {race.name} (P11)"
    return exception_text(skeleton, skeleton.week_days(week))


def _group(code: str, weeks: list[int], skeleton: Skeleton, what: str, *, c_races: bool = False) -> list[Penalty]:
    """One penalty line per distinct calendar reason, weeks listed."""
    by_reason: dict[str, list[int]] = {}
    for week in weeks:
        by_reason.setdefault(week_reason(skeleton, week, c_races=c_races) or "no window or exception: a trade-off with other terms", []).append(week)
    return [
        Penalty(code, tuple(w + 1 for w in found), f"{what} in week{'s' if len(found) > 1 else ''} "
                f"{', '.join(str(w + 1) for w in found)}: {reason}")
        for reason, found in by_reason.items()
    ]


def penalty_reasons(skeleton: Skeleton, plan: Plan, week: int | None = None) -> list[Penalty]:
    """Each soft rule the plan pays, where, and why (``week`` is 1-based, None for all)."""
    weeks = range(len(plan.weeks)) if week is None else [week - 1]
    days = plan.days()
    found: list[Penalty] = []
    prefs = skeleton.athlete.preferences
    rules = skeleton.rules
    if rules.O7.active_weight:
        without_long = [w for w in weeks if not skeleton.has_race(w, Priority.A, Priority.B)
                        and not any(d.run.type == RunType.long for d in plan.weeks[w].days)]
        found += _group("O7", without_long, skeleton, "no long run", c_races=True)
    per_week = skeleton.athlete.strength.sessions_per_week
    if rules.O6.enabled and per_week:
        short = [w for w in weeks if not skeleton.normal_weeks[w]
                 and sum(1 for d in plan.weeks[w].days if d.strength) < per_week]
        found += _group("O6", short, skeleton, "strength sessions missing")
    if rules.O3.active_weight:
        dates = [day.date for index, day in enumerate(days[:-1])
                 if day.strength and days[index + 1].run.type in QUALITY_RUN_TYPES
                 and (week is None or skeleton.week_of_day(index) == week - 1)]
        if dates:
            because = (f"; quality stays on {', '.join(prefs.quality_days)} (preferences, O4)" if prefs.quality_days else "")
            found.append(Penalty("O3", tuple(sorted({skeleton.week_of_day(skeleton.day_of(d)) + 1 for d in dates})),
                                 f"strength the day before a quality session {len(dates)} time"
                                 f"{'s' if len(dates) > 1 else ''} ({', '.join(d.isoformat() for d in dates)}){because}"))
    if rules.O4.active_weight and prefs.long_run_day:
        moved = [w for w in weeks if any(d.run.type == RunType.long and WEEKDAYS[d.date.weekday()] != prefs.long_run_day
                                         for d in plan.weeks[w].days)]
        found += _group("O4", moved, skeleton, f"long run not on {prefs.long_run_day}", c_races=True)
    if rules.O1.active_weight:
        view = PlanView(skeleton.athlete, plan, rules, skeleton)
        targets = {w: o1_target(skeleton, plan, w) for w in weeks}
        far = sorted(weeks, key=lambda w: -abs(plan.weeks[w].training_minutes - targets[w]))[:3]
        for w in sorted(far):
            gap = plan.weeks[w].training_minutes - targets[w]
            if gap:
                direction = "above" if gap > 0 else "below"
                reason = week_reason(skeleton, w) or (ramp_reason(skeleton, view, w)
                                                     if gap < 0 else "staying near the next weeks' volume (V1, V2)")
                found.append(Penalty("O1", (w + 1,), f"week {w + 1} is {abs(gap)} min {direction} its "
                                     f"{_target_name(skeleton, plan, w)}: {reason}"))
    return found


def _target_name(skeleton: Skeleton, plan: Plan, week: int) -> str:
    """"build target 416", "peak deload target 336" (a due deload's lowered target) or "peak
    target 480 (an early deload is measured against the full curve)": "deload target" beside
    the full curve's number read as a mistake."""
    phase, target = plan.weeks[week].phase, o1_target(skeleton, plan, week)
    if not plan.weeks[week].deload:
        return f"{phase} target {target}"
    if target != skeleton.phase_targets[week]:
        return f"{phase} deload target {target}"
    return f"{phase} target {target} (an early deload is measured against the full curve)"


def ramp_reason(skeleton: Skeleton, view: PlanView, week: int) -> str:
    """Why a week with no window or exception stays below its target: the ramp rule at its
    limit there (V1 from the larger of the two weeks before, else V2 from the four weeks'
    mean), with what shapes the weeks it reads: "the ramp rules from the starting volume"
    for a peak week right after a B race's recovery pointed away from the race."""
    if ramp_at_limit(view, week, "V1"):
        before = max((week - 1, week - 2), key=view.T)
        source = f"week {before + 1}'s {view.T(before)}" if before >= 0 else f"the starting {view.T(before)}"
        shaped = week_reason(skeleton, before, c_races=True) if before >= 0 else ""
        return (f"V1 allows at most {view.rules.V1.max_increase_pct:g} % above {source} training minutes"
                f"{f' ({shaped})' if shaped else ''}")
    if ramp_at_limit(view, week, "V2"):
        chronic = range(week - view.rules.V2.chronic_weeks, week)
        lowest = min(chronic, key=view.T)
        shaped = week_reason(skeleton, lowest, c_races=True)
        mean = v2_chronic_mean(view, week)
        return (f"V2 allows at most {view.rules.V2.max_ratio:g} x the mean of weeks {chronic[0] + 1}-{chronic[-1] + 1} "
                f"({float(mean or 0):.0f} min), the lowest week {lowest + 1} at {view.T(lowest)}"
                f"{f' ({shaped})' if shaped else ''}")
    if view.deload[week]:
        return "a deload week (V3)"
    return "no ramp rule at its limit here: the week's available time and session lengths, or a trade-off with other terms"
