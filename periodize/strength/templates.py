"""The article's strength sessions as data (S1, S4), with home-equipment substitutions.

Names, sets ranges and reps are copied from ``shared/reference/strength-for-runners-article.txt``
exactly, so a report can be traced back to the source line by line. Everything that changes a
session's dose (cycle week, season phase, deload) lives elsewhere; a template only says what
the session is and which exercises are main lifts, primary lifts or accessories, because those
roles decide who gets progressed (S2), who gets an extra set (S2 week 3, S3 base) and who is
dropped first when time is short (S4).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from periodize.models.plan import SessionKind

Equipment = Literal["gym", "home"]


class Role(StrEnum):
    """What an exercise is for, which decides how the cycle treats it.

    ``primary``: the first heavy lift of a day (S2 week 3 adds a set to one of them; the
    warm-up ramps up on it). Primary lifts are main lifts too.
    ``main``: loaded compound lifts that take the +2.5-5 % of S2 week 2.
    ``calf``: calf raises; kept in every session (runner-specific tissue work) but not loaded
    by percentage.
    ``accessory``: "nice-to-have" work, the first thing dropped in busy weeks (S4) and where
    the base phase adds its one accessory set (S3).
    """

    primary = "primary"
    main = "main"
    calf = "calf"
    accessory = "accessory"


@dataclass(frozen=True)
class ExerciseTemplate:
    """One line of a session: an article exercise with its sets range and reps.

    ``base_sets`` is where the cycle starts: the low end of the article's range unless a
    session sets it lower to fit its minutes (the short session, S4).
    """

    name: str
    sets_low: int
    sets_high: int
    reps: str
    per_side: bool
    role: Role
    #: Movement pattern, used to match the week-3 primary lift across sessions.
    pattern: str
    base_sets: int | None = None

    @property
    def reps_text(self) -> str:
        """Reps as a plan shows them: ``"6-8/side"`` for unilateral work."""
        return f"{self.reps}/side" if self.per_side else self.reps

    @property
    def starting_sets(self) -> int:
        return self.sets_low if self.base_sets is None else self.base_sets

    @property
    def is_main(self) -> bool:
        return self.role in (Role.primary, Role.main)


@dataclass(frozen=True)
class SessionTemplate:
    kind: SessionKind
    title: str
    exercises: tuple[ExerciseTemplate, ...]


# ---- the article's exercises (S1) ------------------------------------------------------------
DEADLIFT = ExerciseTemplate("Trap-bar deadlift or barbell deadlift", 3, 4, "4-6", False, Role.primary, "hinge")
SPLIT_SQUAT = ExerciseTemplate("Split squat", 3, 3, "6-8", True, Role.main, "split_squat")
CALF_STRAIGHT = ExerciseTemplate("Calf raise (straight knee)", 3, 3, "8-12", False, Role.calf, "calf")
HAMSTRING_CURL = ExerciseTemplate("Hamstring curl (machine or Nordic variation)", 2, 3, "6-10", False,
                                  Role.accessory, "hamstring")
PALLOF = ExerciseTemplate("Core anti-rotation (Pallof press)", 2, 3, "8-12", True, Role.accessory, "core")

FRONT_SQUAT = ExerciseTemplate("Front squat or goblet squat", 3, 4, "4-6", False, Role.primary, "squat")
STEP_UP = ExerciseTemplate("Step-up (knee drive finish)", 3, 3, "6-8", True, Role.main, "step_up")
RDL = ExerciseTemplate("Romanian deadlift", 3, 3, "6-8", False, Role.main, "rdl")
CALF_BENT = ExerciseTemplate("Bent-knee calf raise (soleus bias)", 3, 3, "10-15", False, Role.calf, "calf_bent")
LATERAL_HIP = ExerciseTemplate("Lateral hip work (band walk or cable abduction)", 2, 3, "10-15", False,
                               Role.accessory, "lateral_hip")

DAY_A = SessionTemplate(SessionKind.A, "Day A (force + control)",
                        (DEADLIFT, SPLIT_SQUAT, CALF_STRAIGHT, HAMSTRING_CURL, PALLOF))
DAY_B = SessionTemplate(SessionKind.B, "Day B (single-leg + stiffness)",
                        (FRONT_SQUAT, STEP_UP, RDL, CALF_BENT, LATERAL_HIP))

#: S4 busy weeks, "keep one full-body session (35-45 minutes)": the main patterns of A and B
#: (hinge, squat, single leg, calf), accessories dropped first.
FULL = SessionTemplate(SessionKind.full, "Full body (minimum effective)",
                       (DEADLIFT, FRONT_SQUAT, SPLIT_SQUAT, CALF_STRAIGHT))

#: S4 "one short session focused on calves, split squat, and hinge" (15-25 min with the
#: warm-up), below the article's 3 sets so that it fits its planned minutes (P14's
#: ``short_planned``, 20): with the 8-minute warm-up, two sets of calves and split squat and
#: one of the hinge take 19.5 minutes by :func:`estimate_minutes` (20 at home). Two hinge sets
#: had made it 24 with a 10-minute warm-up. The hinge gives way: the busy week's full session
#: holds the deadlift. The hinge is the Romanian deadlift: lighter on the back than the
#: day-A deadlift.
SHORT = SessionTemplate(SessionKind.short, "Short (calves, split squat, hinge)",
                        (replace(CALF_STRAIGHT, base_sets=2), replace(SPLIT_SQUAT, base_sets=2),
                         replace(RDL, base_sets=1)))

TEMPLATES: dict[SessionKind, SessionTemplate] = {t.kind: t for t in (DAY_A, DAY_B, FULL, SHORT)}

# ---- warm-up ---------------------------------------------------------------------------------
#: "Warm-up sequence before each gym session (8-12 minutes)", every session (RULES.md).
WARMUP_MINUTES = "8-12 min"
WARMUP_STEPS: tuple[str, ...] = (
    "3-4 minutes easy bike or treadmill",
    "Ankle mobility and calf activation (1-2 sets)",
    "Glute bridge or banded lateral walk (1-2 sets)",
    "Bodyweight squat and split squat patterning",
    "2 ramp-up sets on your first primary lift",
)
#: At home there is no bike or treadmill; the easy cardio opener becomes the closest thing.
HOME_WARMUP_OPENER = "3-4 minutes easy jog in place, marching or skipping"

# ---- home equipment --------------------------------------------------------------------------
#: Home substitutions: goblet squat for barbell/trap-bar squats, single-leg RDL for the
#: deadlift and RDL hinge, bands for machine and cable work. Sets and reps stay the article's
#: (per side where the substitute is unilateral), so the cycle arithmetic is unchanged.
HOME_SUBSTITUTES: dict[str, tuple[str, bool]] = {
    DEADLIFT.name: ("Single-leg RDL (dumbbell or kettlebell)", True),
    RDL.name: ("Single-leg RDL (dumbbell or kettlebell)", True),
    FRONT_SQUAT.name: ("Goblet squat", False),
    HAMSTRING_CURL.name: ("Nordic hamstring curl or band hamstring curl", False),
    PALLOF.name: ("Core anti-rotation (band Pallof press)", True),
    LATERAL_HIP.name: ("Lateral band walk", False),
}


def for_equipment(exercise: ExerciseTemplate, equipment: Equipment) -> ExerciseTemplate:
    """The exercise as the athlete's equipment allows; gym exercises are the article's own."""
    if equipment != "home" or exercise.name not in HOME_SUBSTITUTES:
        return exercise
    name, per_side = HOME_SUBSTITUTES[exercise.name]
    return replace(exercise, name=name, per_side=per_side)


def session_template(kind: SessionKind, equipment: Equipment = "gym") -> SessionTemplate:
    """A session's template with the athlete's equipment substitutions applied."""
    template = TEMPLATES[SessionKind(kind)]
    return replace(template, exercises=tuple(for_equipment(e, equipment) for e in template.exercises))


def warmup_steps(first_primary: str | None, equipment: Equipment = "gym") -> list[str]:
    """The warm-up's steps, naming the lift the ramp-up sets are for."""
    steps = list(WARMUP_STEPS)
    if equipment == "home":
        steps[0] = HOME_WARMUP_OPENER
    if first_primary:
        steps[-1] = f"2 ramp-up sets on {first_primary}"
    return steps


# ---- plyometrics (S5) ------------------------------------------------------------------------
@dataclass(frozen=True)
class PlyoTemplate:
    name: str
    sets: int
    reps: str


PLYO_PREFIX = "Plyometrics: "
#: S5 and the article: "Add small doses only after strength consistency is stable."
PLYOMETRICS: tuple[PlyoTemplate, ...] = (
    PlyoTemplate(PLYO_PREFIX + "pogo hops", 2, "10"),
    PlyoTemplate(PLYO_PREFIX + "A-skips", 2, "20 m"),
)

# ---- time check ------------------------------------------------------------------------------
#: Rough minutes per working set with rest, to fit prescriptions to their sessions' minutes.
#: Assumptions, not rules: heavy bilateral 2.5, unilateral 3 (both sides), other 1.5. The
#: warm-up written "8-12 min" counts its middle, 10; one written shorter counts its minutes.
WARMUP_ESTIMATE = 10.0
#: RULES.md's warm-up takes 8-12 minutes: the least a session that is short of time gives it.
WARMUP_SHORTEST = 8


def set_minutes(exercise: ExerciseTemplate) -> float:
    if exercise.per_side:
        return 3.0 if exercise.is_main else 2.0
    return 2.5 if exercise.is_main else 1.5


@functools.cache  # the templates are constants; the prescription estimates up to four times a session
def _all_exercises() -> dict[str, ExerciseTemplate]:
    found: dict[str, ExerciseTemplate] = {}
    for equipment in ("gym", "home"):
        for kind in TEMPLATES:
            for exercise in session_template(kind, equipment).exercises:
                found.setdefault(exercise.name, exercise)
    return found


def estimate_minutes(names_and_sets: list[tuple[str, int]], warmup: float = WARMUP_ESTIMATE) -> float:
    """Rough session minutes of prescribed ``(name, sets)`` pairs, the warm-up's added."""
    known = _all_exercises()
    total = warmup
    for name, sets in names_and_sets:
        if name.startswith(PLYO_PREFIX):
            total += 1.0 * sets
        else:
            total += set_minutes(known[name]) * sets
    return total


def least_minutes(kind: SessionKind, equipment: Equipment) -> float:
    """The fewest minutes a session of this kind takes by :func:`estimate_minutes`: its
    template's starting sets and RULES.md's shortest warm-up (8 minutes), nothing optional.
    The prescription cannot fit its content into fewer (only a deload cuts sets, S2), so a
    planned length below it is said before solving (``calendar_notes.season_notes``)."""
    return estimate_minutes([(e.name, e.starting_sets) for e in session_template(kind, equipment).exercises],
                            warmup=WARMUP_SHORTEST)


def week3_set_minutes(kind: SessionKind, equipment: Equipment) -> float:
    """The fewest minutes a session of this kind takes with S2's week-3 set in it: its
    :func:`least_minutes` and one set of its quickest primary lift (infinite where it has none:
    the short session). What the prescription's fitting keeps the set within, and what the
    validator and the notes read as room for it."""
    primary = [set_minutes(e) for e in session_template(kind, equipment).exercises if e.role == Role.primary]
    return least_minutes(kind, equipment) + min(primary) if primary else math.inf


def warmup_duration(spare: float) -> str:
    """The warm-up's stated minutes, given the minutes its session leaves it: RULES.md's
    "8-12 min" where the session holds its middle, else the whole minutes left, never below 8."""
    if spare >= WARMUP_ESTIMATE:
        return WARMUP_MINUTES
    return f"{max(WARMUP_SHORTEST, math.floor(spare))} min"

