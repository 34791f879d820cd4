"""S3: the season phase a strength week belongs to, which sets its dose.

- ``off_season``: running phase ``base`` or ``build`` and more than ``S3.in_season_weeks``
  weeks before the next A or B race. Progression as S2, and one accessory set added where
  recovery allows (busy-week sessions have no accessories to add to; a deload week cuts its
  30-40 % from this normal volume, so the added set never comes on top of a deload).
- ``in_season``: within ``in_season_weeks`` of an A or B race, or any other running phase
  (peak, recovery, a B-race week). "Keep two sessions, but lower total volume. Hold heavy sets
  to low-moderate dose": sets at the low end of every range, no week-3 extra set, and main
  lifts held at the load the current cycle has already reached (no new +2.5 %). The cycle
  still runs, so deload weeks still come; the next cycle starts from a reassessed baseline.
- ``taper``: the taper weeks and race week of an A race. Dosed as in-season; in addition every
  session inside P11's pre-race window is prescribed at deload dose, whether or not the plan
  marks it (the solver does; a hand-written plan may not), since P11 allows only light
  sessions there.
"""

from __future__ import annotations

from enum import StrEnum

from periodize.models.athlete import Priority
from periodize.season import Skeleton


class StrengthPhase(StrEnum):
    off_season = "off_season"
    in_season = "in_season"
    taper = "taper"


def weeks_to_next_race(skeleton: Skeleton, week: int) -> int | None:
    """Weeks from ``week`` to the week of the next A or B race (0 = race week)."""
    ahead = [race.week - week for race in skeleton.races_with(Priority.A, Priority.B) if race.week >= week]
    return min(ahead) if ahead else None


def strength_phase(skeleton: Skeleton, week: int) -> StrengthPhase:
    """S3's phase of one week (by the skeleton, never by labels in a plan)."""
    running_phase = skeleton.phases[week]
    if week in skeleton.taper_week_of or skeleton.has_race(week, Priority.A):
        return StrengthPhase.taper
    to_race = weeks_to_next_race(skeleton, week)
    if running_phase in ("base", "build") and (to_race is None or to_race > skeleton.rules.S3.in_season_weeks):
        return StrengthPhase.off_season
    return StrengthPhase.in_season


def in_pre_race_window(skeleton: Skeleton, day: int) -> bool:
    """P11: the day lies in the 14 days before an A race, where only light sessions belong."""
    return any(day in skeleton.pre_race(race) for race in skeleton.races_with(Priority.A))


def in_recovery_window(skeleton: Skeleton, day: int) -> bool:
    """V8: the day lies in a race's recovery window (no quality, tempo or long run there)."""
    return skeleton.recovery_day[day]
