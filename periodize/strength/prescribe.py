"""Fill every strength session of a plan with its exercises (S1-S5), deterministically.

``prescribe`` is a pure function of the season skeleton and the plan: no solver, no clock, no
randomness, so the same plan always gets the same sessions and a validator can recompute them.

How a session's exercises are written (within :class:`periodize.models.plan.Exercise`):

- The warm-up is the session's ``warmup`` (``"8-12 min"`` and its steps,
  :data:`periodize.strength.templates.WARMUP_STEPS`), not an exercise: the contract's exercises
  are working sets, which a tool counts.
- First plyometrics where S5 allows and outside race recovery windows (``"Plyometrics: ..."``,
  ``reps_in_reserve`` ``None``; see :mod:`periodize.strength.plyometrics`).
- Then the template's lifts, each with ``sets``, ``reps`` (``"6-8/side"`` for unilateral work),
  ``load_change_pct`` relative to the current cycle's baseline (main lifts only; calves and
  accessories stay at +0) and ``reps_in_reserve`` ``"1-3"`` (S1).

Sessions prescribed at deload dose have ``dose`` set to ``"deload"`` in the returned plan, so
the plan's own light-session count (P11) agrees with what the athlete is asked to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from periodize.models.plan import (
    Exercise,
    Plan,
    SessionKind,
    StrengthSession,
    Warmup,
    Week,
)
from periodize.season import Skeleton
from periodize.strength.cycle import (
    WEEK2_LOAD_PCT,
    CycleWeek,
    deload_sets,
    strength_cycle,
)
from periodize.strength.guidance import load_guidance
from periodize.strength.phase import (
    StrengthPhase,
    in_pre_race_window,
    in_recovery_window,
    strength_phase,
)
from periodize.strength.plyometrics import FIRST_PLYO_CYCLE, plyo_barred_weeks
from periodize.strength.templates import (
    PLYOMETRICS,
    WARMUP_MINUTES,
    WARMUP_SHORTEST,
    Equipment,
    ExerciseTemplate,
    Role,
    estimate_minutes,
    session_template,
    warmup_duration,
    warmup_steps,
)

RIR = "1-3"
#: Plyometrics go into A and B only: a full session is a busy-week session, kept minimal (S4).
PLYO_SESSIONS = frozenset({SessionKind.A, SessionKind.B})
#: S3's off-season accessory set comes "where recovery allows", from this cycle of steady
#: lifting (``CycleWeek.steady_cycle``) on. The first cycle after the plan's start or a layoff
#: is where the athlete finds the baseline (S2 week 1, "conservative loads"; S6's starting
#: loads), and how they recover from lifting is not yet known; nor can the set come in its
#: week 2 or 3, as S2's week 2 keeps the sets and week 3 adds one to a primary lift only. A
#: home beginner's first session had held Nordic curls at 3 sets.
FIRST_ACCESSORY_CYCLE = 2


@dataclass(frozen=True)
class WeekDose:
    """What the cycle and the phase ask of one week's normal-dose sessions."""

    cycle: CycleWeek
    phase: StrengthPhase
    load_pct: float
    #: S2 week 3: the primary lifts' patterns that may take the week's one more set, preferred
    #: first (:func:`primary_pattern_for`), those the week's normal-dose sessions hold; empty
    #: where no set is due.
    extra_set_patterns: tuple[str, ...]
    #: S3 base: one accessory set added to the week's normal volume, from the second cycle of
    #: steady lifting (:data:`FIRST_ACCESSORY_CYCLE`). A deload week cuts its 30-40 % from that
    #: normal volume, so the added set is cut with the rest, never added on top.
    accessory_set: bool
    plyometrics: bool


def primary_pattern_for(cycle: int) -> tuple[str, str]:
    """S2 week 3 adds a set to ONE primary lift: the hinge in odd cycles, the squat in even
    ones, so both get their turn over the season. Returns (preferred, fallback)."""
    return ("hinge", "squat") if cycle % 2 == 1 else ("squat", "hinge")


def week_doses(skeleton: Skeleton, plan: Plan) -> list[WeekDose | None]:
    """Each week's dose from its cycle position and S3 phase (``None`` without strength)."""
    equipment = skeleton.athlete.strength.equipment
    plyo_on = skeleton.athlete.strength.plyometrics
    barred = plyo_barred_weeks(skeleton, plan)
    doses: list[WeekDose | None] = []
    cycle_load, current, cycle_accessory = 0.0, 0, False
    for index, entry in enumerate(strength_cycle(plan)):
        if entry is None:
            doses.append(None)
            continue
        if entry.cycle != current:
            cycle_load, current = 0.0, entry.cycle  # a new cycle starts from a reassessed baseline
            cycle_accessory = False
        phase = strength_phase(skeleton, index) if index < skeleton.n_weeks else StrengthPhase.in_season
        off_season = phase == StrengthPhase.off_season
        if entry.position == 1 and not entry.deload:
            # S3's set is part of the cycle's baseline (week 1), never added in its week 2 or 3:
            # where a race's season ended mid-cycle (in-season weeks 1-2, off-season week 3) it
            # had come in week 3 beside S2's primary set, two sets more than week 2.
            cycle_accessory = off_season and entry.steady_cycle >= FIRST_ACCESSORY_CYCLE
        if entry.deload:
            load = 0.0
        else:
            if off_season and entry.position == 2:
                # week 2 is the load step, week 3 keeps it (S2): where week 2 was in-season
                # (held), an off-season week 3 had taken the step a week late
                cycle_load = max(cycle_load, WEEK2_LOAD_PCT)
            load = cycle_load  # in-season: held at what this cycle already reached
        extra: tuple[str, ...] = ()
        if off_season and entry.position == 3:
            present = {
                exercise.pattern
                for day in plan.weeks[index].days
                if day.strength is not None and day.strength.dose == "normal"
                for exercise in session_template(day.strength.session, equipment).exercises
                if exercise.role == Role.primary
            }
            extra = tuple(p for p in primary_pattern_for(entry.cycle) if p in present)
        doses.append(WeekDose(
            cycle=entry,
            phase=phase,
            load_pct=load,
            extra_set_patterns=extra,
            accessory_set=off_season and cycle_accessory,
            plyometrics=plyo_on and entry.steady_cycle >= FIRST_PLYO_CYCLE and index not in barred,
        ))
    return doses


def session_exercises(
    session: StrengthSession, dose: WeekDose, *, deload: bool, extra_set: str | None, equipment: Equipment
) -> list[Exercise]:
    """One session's plyometrics and lifts (its warm-up is ``session_warmup``'s); ``extra_set``
    is the pattern of the primary lift that takes S2's week-3 set here, if any."""
    template = session_template(session.session, equipment)
    lifts = list(template.exercises)
    sets = [exercise.starting_sets for exercise in lifts]
    if dose.accessory_set:
        i = next((i for i, e in enumerate(lifts) if e.role == Role.accessory and sets[i] < e.sets_high), None)
        if i is not None:
            sets[i] += 1
    if deload:
        # cut from the phase's normal volume (base: with its accessory set), so 30-40 % holds
        sets = deload_sets(sets, [e.role == Role.accessory for e in lifts])
    elif extra_set is not None:
        i = next(i for i, e in enumerate(lifts) if e.role == Role.primary and e.pattern == extra_set)
        sets[i] += 1
    out: list[Exercise] = []
    if dose.plyometrics and not deload and session.session in PLYO_SESSIONS:
        out += [Exercise(name=p.name, sets=p.sets, reps=p.reps) for p in PLYOMETRICS]
    out += [_lift(e, n, 0.0 if deload else dose.load_pct) for e, n in zip(lifts, sets, strict=True)]
    return out


def fitted_session(
    session: StrengthSession, dose: WeekDose, *, deload: bool, extra_set: str | None, equipment: Equipment
) -> tuple[Warmup, list[Exercise], str | None]:
    """The session's warm-up and exercises, fitted to the minutes the plan gives it, and the
    pattern of week 3's set where it is among them (None where it is not, or not asked).

    The plan's minutes are the session's length: P14's planned length, which P12 fitted into
    the day beside its run, so the prescription fits its content to them rather than the other
    way round (a short session planned at 20 minutes had held 24 by the estimate,
    :func:`~periodize.strength.templates.estimate_minutes`). Where the content and a 10-minute
    warm-up do not fit, the warm-up goes down toward RULES.md's 8 minutes; where they do not
    fit with 8 either, what the rules make optional goes, in turn: plyometrics (optional, S5),
    S3's accessory set ("where recovery allows"), then week 3's set (:func:`week3_set_place`
    puts it where it fits). The templates' own sets fit RULES.md's planned lengths;
    a length set shorter is said before solving (``calendar_notes.session_length_notes``)."""
    trims = ((dose, extra_set), (replace(dose, plyometrics=False), extra_set),
             (replace(dose, plyometrics=False, accessory_set=False), extra_set),
             (replace(dose, plyometrics=False, accessory_set=False), None))
    for option, extra in trims:
        exercises = session_exercises(session, option, deload=deload, extra_set=extra, equipment=equipment)
        spare = session.minutes - estimate_minutes([(e.name, e.sets) for e in exercises], warmup=0)
        if spare >= WARMUP_SHORTEST:
            break
    return session_warmup(session, equipment, warmup_duration(spare)), exercises, extra


def _day_dose(skeleton: Skeleton, dose: WeekDose, day_index: int) -> WeekDose:
    """The week's dose on one day: no plyometrics inside a race's recovery window."""
    return replace(dose, plyometrics=False) if in_recovery_window(skeleton, day_index) else dose


def week3_set_place(skeleton: Skeleton, week: Week, index: int, dose: WeekDose) -> tuple[int, str] | None:
    """Where S2's week-3 set goes: (the day's offset in the week, the primary lift's pattern).
    ONE primary lift gets it, once in the week: the preferred lift in the first normal-dose
    session that holds it within its minutes (:func:`fitted_session`), else the other primary
    lift likewise. The preferred lift's first session had been the only one tried, so where its
    minutes could not hold the set (a B session planned at 40) the week went without it, though
    Day A's hinge had the room. None where no session of the week can hold it."""
    equipment = skeleton.athlete.strength.equipment
    for pattern in dose.extra_set_patterns:
        for offset, day in enumerate(week.days):
            session = day.strength
            if session is None or dose.cycle.deload or session.dose == "deload" or not any(
                    e.role == Role.primary and e.pattern == pattern
                    for e in session_template(session.session, equipment).exercises):
                continue
            _, _, kept = fitted_session(session, _day_dose(skeleton, dose, 7 * index + offset), deload=False,
                                        extra_set=pattern, equipment=equipment)
            if kept is not None:
                return offset, pattern
    return None


def session_warmup(session: StrengthSession, equipment: Equipment, duration: str = WARMUP_MINUTES) -> Warmup:
    """The warm-up, its ramp-up sets on the session's first primary lift."""
    lifts = session_template(session.session, equipment).exercises
    first = next((e for e in lifts if e.role == Role.primary), None) or next(e for e in lifts if e.is_main)
    return Warmup(duration=duration, steps=warmup_steps(first.name, equipment))


def _lift(exercise: ExerciseTemplate, sets: int, load_pct: float) -> Exercise:
    return Exercise(
        name=exercise.name,
        sets=sets,
        reps=exercise.reps_text,
        load_change_pct=load_pct if exercise.is_main else 0.0,
        reps_in_reserve=RIR,
    )


def prescribe(skeleton: Skeleton, plan: Plan) -> Plan:
    """A copy of ``plan`` whose every strength session has its exercises filled in."""
    # Copied down to the days, the only objects changed below (each day's session is replaced,
    # never edited): a deep copy of a 26-week plan cost 15 ms, 3 % of solving it.
    result = plan.model_copy(update={"weeks": [
        week.model_copy(update={"days": [day.model_copy() for day in week.days]}) for week in plan.weeks]})
    if any(day.strength is not None for day in result.days()):
        result.strength_guidance = load_guidance()
    # P11's window holds light sessions only: marked before the cycle is reckoned, so that the
    # cycle sees the doses the plan will carry (the solver marks them; a hand-written plan may
    # not, and its weeks were counted otherwise by the cycle and by the validator).
    for day_index, day in enumerate(result.days()):
        if day.strength is not None and in_pre_race_window(skeleton, day_index):
            day.strength = day.strength.model_copy(update={"dose": "deload"})
    equipment = skeleton.athlete.strength.equipment
    for index, (week, dose) in enumerate(zip(result.weeks, week_doses(skeleton, result), strict=True)):
        if dose is None:
            continue
        place = week3_set_place(skeleton, week, index, dose)
        for offset, day in enumerate(week.days):
            session = day.strength
            if session is None:
                continue
            deload = dose.cycle.deload or session.dose == "deload"
            extra = place[1] if place is not None and place[0] == offset else None
            warmup, exercises, _ = fitted_session(session, _day_dose(skeleton, dose, 7 * index + offset),
                                                  deload=deload, extra_set=extra, equipment=equipment)
            day.strength = session.model_copy(update={
                "dose": "deload" if deload else session.dose, "warmup": warmup, "exercises": exercises})
    return result


__all__ = ["WeekDose", "load_guidance", "prescribe", "week_doses"]
