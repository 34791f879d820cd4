"""S2: the four-week strength cycle, and where each week of a plan sits in it.

Week 1 sets the baseline, week 2 adds load to the main lifts, week 3 adds one set to one
primary lift, week 4 deloads (sets cut 30-40 %). Only weeks that hold strength advance the
cycle: a week without lifting teaches the body nothing to progress from. A layoff of two weeks
or more without strength (a holiday, a race's taper and recovery) restarts the cycle at week
1, from a reassessed baseline: G4's "missing one week is fine" holds for one week, and a
coach's review found a cycle resumed at +2.5 % load after 19 days without lifting.

The strength deload lines up with the running deload (S2, "coincides where both exist"):

- a week the plan marks ``deload`` (V3) is a strength deload week, whatever the position, and
  the cycle restarts after it;
- a week whose every session is at deload dose (e.g. the P11 pre-race window) already is a
  deload for the body, so it too counts as the cycle's deload and restarts it;
- when the cycle reaches week 4 with no running deload, it deloads on its own, unless the very
  next strength week is a running deload: then this week repeats week 3's dose ("extended")
  so the two deloads fall together instead of back to back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from periodize.models.plan import Plan, Week
from periodize.models.rules import S2_DELOAD_CUT, S2_LOAD_STEP_PCT

CYCLE_LENGTH = 4
#: Weeks in a row without strength after which the cycle restarts at week 1 (G4: "missing one
#: week is fine").
LAYOFF_WEEKS = 2
#: S2 week 2: "+2.5-5 % on main lifts". The written number is the conservative end.
WEEK2_LOAD_PCT = S2_LOAD_STEP_PCT[0]
WEEK2_LOAD_RANGE = f"+{S2_LOAD_STEP_PCT[0]:g}-{S2_LOAD_STEP_PCT[1]:g} %"
#: S2 week 4: "reduce volume 30-40 %"; the middle (35 %) is aimed at, per session.
DELOAD_CUT = sum(S2_DELOAD_CUT) / 2


@dataclass(frozen=True)
class CycleWeek:
    """A strength week's place in the cycle.

    ``position`` is 1-4 (4 = deload); ``cycle`` counts cycles from 1; ``reason`` says why a
    deload or an extension happened, for reports.
    """

    week: int
    cycle: int
    position: int
    reason: str = ""
    #: Cycles of steady lifting this week is in: 1 in the first cycle after the plan's start or
    #: a layoff, counting up with each deload that ends a cycle of lifting at normal dose (what
    #: "strength consistency is stable" reads, S5).
    steady_cycle: int = 1

    @property
    def deload(self) -> bool:
        return self.position == CYCLE_LENGTH


def has_strength(week: Week) -> bool:
    return any(day.strength is not None for day in week.days)


def all_sessions_deload(week: Week) -> bool:
    sessions = [day.strength for day in week.days if day.strength is not None]
    return bool(sessions) and all(s.dose == "deload" for s in sessions)


def after_layoff(previous_strength_week: int, week: int) -> bool:
    """Whether ``week`` follows the strength week before it after a layoff (``LAYOFF_WEEKS``
    or more weeks in a row without strength between them)."""
    return week - previous_strength_week - 1 >= LAYOFF_WEEKS


def strength_cycle(plan: Plan) -> list[CycleWeek | None]:
    """Each plan week's cycle position; ``None`` for weeks without strength."""
    strength_weeks = [i for i, week in enumerate(plan.weeks) if has_strength(week)]
    result: list[CycleWeek | None] = [None] * len(plan.weeks)
    cycle, position, steady = 1, 0, 1
    lifted = False  # a week at normal dose since the last deload or layoff
    for n, index in enumerate(strength_weeks):
        week = plan.weeks[index]
        restarted = n > 0 and after_layoff(strength_weeks[n - 1], index)
        if restarted:
            steady, lifted = 1, False
            if position > 0:
                cycle, position = cycle + 1, 0
        position += 1
        if week.deload:
            entry = CycleWeek(index, cycle, CYCLE_LENGTH, "running deload week (V3)", steady)
        elif all_sessions_deload(week):
            entry = CycleWeek(index, cycle, CYCLE_LENGTH, "every session at deload dose", steady)
        elif position >= CYCLE_LENGTH:
            following = strength_weeks[n + 1] if n + 1 < len(strength_weeks) else None
            if position == CYCLE_LENGTH and following is not None and plan.weeks[following].deload:
                entry = CycleWeek(index, cycle, CYCLE_LENGTH - 1, "week 3 extended to meet the running deload", steady)
            else:
                entry = CycleWeek(index, cycle, CYCLE_LENGTH, "fourth strength week", steady)
        else:
            entry = CycleWeek(index, cycle, position, "restarted after a layoff" if restarted else "", steady)
        result[index] = entry
        if entry.deload:  # a cycle of steady lifting ends here only where it lifted
            cycle, position, steady, lifted = cycle + 1, 0, steady + (1 if lifted else 0), False
        else:
            lifted = True
    return result


def deload_sets(sets: list[int], accessory: list[bool]) -> list[int]:
    """Cut a session's sets by about 35 % (S2 week 4: 30-40 %), every exercise keeping at least
    one set. Sets come off the exercise with the most sets first, accessories first among
    equals, so the main patterns are maintained ("maintain movement patterns").

    Done per session rather than per exercise because single exercises of 2-3 sets cannot hit
    30-40 % on their own (2 -> 1 is 50 %), while a session total can (A: 13 -> 8).
    """
    target = max(len(sets), math.floor(sum(sets) * (1 - DELOAD_CUT) + 0.5))
    cut = list(sets)
    while sum(cut) > target:
        candidates = [i for i, n in enumerate(cut) if n > 1]
        if not candidates:
            break
        most = max(cut[i] for i in candidates)
        tied = [i for i in candidates if cut[i] == most]
        # accessories before others, then the later exercise (lower in the session)
        pick = max(tied, key=lambda i: (accessory[i], i))
        cut[pick] -= 1
    return cut
