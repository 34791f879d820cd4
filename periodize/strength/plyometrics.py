"""S5: where plyometrics may go.

Plyometrics are optional (``athlete.strength.plyometrics``, off by default). The article's
warning is "adding plyometrics and heavy lifting at once during peak mileage", so a week that
is one of the peak-mileage weeks *and* holds heavy lifting gets none. Peak-mileage weeks are,
for each A race with a taper, the three weeks with the most training minutes (from the plan)
before its first taper week and after the previous A race. Heavy lifting is any session at
normal dose that is not ``short`` (it holds main lifts at working load).

"Add small doses only after strength consistency is stable": plyometrics start with the
second strength cycle of steady lifting (counted from the plan's start, and again after a
layoff, ``strength.cycle.LAYOFF_WEEKS``), and only in A and B sessions at normal dose (a
short, full or deload-dose session is a minimal or reduced session and is kept that way,
S2/S4).

Nor inside a race's recovery window: V8 keeps quality sessions out of it while the body
recovers from the race, and plyometrics are impact work at intensity. RULES.md does not bar
them there, but they are optional (S5), so leaving them out is always within the rules, and it
is the safe reading (a coach's review found pogo hops five days after an A half marathon).
"""

from __future__ import annotations

from periodize.models.athlete import Priority
from periodize.models.plan import Plan, SessionKind, StrengthSession, Week
from periodize.season import Skeleton

PEAK_WEEKS = 3
FIRST_PLYO_CYCLE = 2


def peak_mileage_weeks(skeleton: Skeleton, plan: Plan) -> set[int]:
    """The three highest-volume weeks before each A race's taper (ties go to the later week)."""
    peaks: set[int] = set()
    previous_a = -1
    for race in sorted(skeleton.races_with(Priority.A), key=lambda r: r.day):
        taper = skeleton.taper_weeks(race)
        if taper:
            before = [w for w in range(previous_a + 1, min(taper[0], len(plan.weeks)))]
            ranked = sorted(before, key=lambda w: (plan.weeks[w].training_minutes, w), reverse=True)
            peaks.update(ranked[:PEAK_WEEKS])
        previous_a = race.week
    return peaks


def is_heavy(session: StrengthSession) -> bool:
    return session.dose == "normal" and session.session != SessionKind.short


def has_heavy_lifting(week: Week) -> bool:
    return any(day.strength is not None and is_heavy(day.strength) for day in week.days)


def plyo_barred_weeks(skeleton: Skeleton, plan: Plan) -> set[int]:
    """S5: peak-mileage weeks that also hold heavy lifting."""
    return {w for w in peak_mileage_weeks(skeleton, plan) if has_heavy_lifting(plan.weeks[w])}
