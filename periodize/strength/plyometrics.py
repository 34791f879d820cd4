"""S5: where plyometrics may go.

Plyometrics are optional (``athlete.strength.plyometrics``, off by default). The article's
warning is "adding plyometrics and heavy lifting at once during peak mileage", so a week that
is one of the peak-mileage weeks *and* holds heavy lifting gets none. Peak-mileage weeks are,
for each A race with a taper, the three weeks with the most training minutes (from the plan,
with every week tied with the third) before its first taper week and after the previous A
race, and for each B race the three before its mini taper's week and after the previous A or
B race (``peak_mileage_weeks``). Heavy lifting is any session at normal dose that is not
``short`` (it holds main lifts at working load).

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
    """The three highest-volume weeks before each A race's taper and before each B race's
    mini taper, and every week tied with the third of them: ties had gone to the later weeks,
    and a B half's season whose eleven highest weeks all held 295 minutes barred three of them,
    leaving plyometrics beside heavy lifting in eight weeks of the same peak mileage.

    Reading: RULES.md's windows give a B race a "mini taper", and S5 reads "before a taper".
    With A races alone, a season of B races only (a masters club runner's) had no peak weeks,
    and plyometrics went beside heavy lifting in its four highest-volume weeks; both readings
    are held (the union), the safe one, as plyometrics are optional. An A race's weeks count
    from the previous A race as before; a B race's from the previous A or B race."""
    peaks: set[int] = set()
    previous_a = previous_ab = -1
    for race in sorted(skeleton.races_with(Priority.A, Priority.B), key=lambda r: r.day):
        if race.priority == Priority.A:
            taper = skeleton.taper_weeks(race)
            start, since = (taper[0] if taper else None), previous_a
            previous_a = race.week
        else:
            mini = skeleton.mini_taper(race)
            start, since = (race.week if mini.empty else skeleton.week_of_day(mini.first)), previous_ab
        previous_ab = race.week
        if start is None:
            continue
        before = range(since + 1, min(start, len(plan.weeks)))
        ranked = sorted((plan.weeks[w].training_minutes for w in before), reverse=True)
        if ranked:  # a week tied with the third highest is peak mileage too
            third = ranked[min(PEAK_WEEKS, len(ranked)) - 1]
            peaks.update(w for w in before if plan.weeks[w].training_minutes >= third)
    return peaks


def is_heavy(session: StrengthSession) -> bool:
    return session.dose == "normal" and session.session != SessionKind.short


def has_heavy_lifting(week: Week) -> bool:
    return any(day.strength is not None and is_heavy(day.strength) for day in week.days)


def plyo_barred_weeks(skeleton: Skeleton, plan: Plan) -> set[int]:
    """S5: peak-mileage weeks that also hold heavy lifting."""
    return {w for w in peak_mileage_weeks(skeleton, plan) if has_heavy_lifting(plan.weeks[w])}
